package dev.sparktrain.driver.exchange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Map;
import org.apache.spark.SecurityManager;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import scala.Option;

/**
 * The links follow Spark's security settings: encrypted exactly when Spark encrypts its own traffic, with Spark's key
 * length; keyed from Spark's secret when Spark authenticates (the job then carries no key), and with the job's own
 * random key, carried to the workers by their Spark job, when it does not.
 */
class LinkSecurityTest {

    private static LinkSecurity forSettings(Map<String, String> settings) {
        SparkConf conf = new SparkConf(false);
        settings.forEach(conf::set);
        return LinkSecurity.forJob(conf, new SecurityManager(conf, Option.empty(),
                SecurityManager.$lessinit$greater$default$3()));
    }

    private static LinkSecurity travelled(LinkSecurity security) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(security);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (LinkSecurity) in.readObject();
        }
    }

    @Test
    void withSparksAuthenticationAndEncryptionTheLinksDeriveTheirKeyAndEncrypt() throws Exception {
        LinkSecurity security = forSettings(Map.of("spark.authenticate", "true", "spark.authenticate.secret", "s3cret",
                "spark.network.crypto.enabled", "true", LinkSecurity.KEY_LENGTH, "256"));
        assertTrue(security.encrypted());
        assertEquals(32, security.cipherKeyBytes());
        assertEquals("authenticated with a key derived from Spark's secret, encrypted with AES-256-GCM",
                security.describe());
        // Outside a Spark process there is no secret to derive it from: the job itself carries none.
        IOException e = assertThrows(IOException.class, () -> travelled(security).linkKey());
        assertEquals("the link key derives from Spark's secret, but this process runs no Spark", e.getMessage());

        assertTrue(forSettings(Map.of("spark.authenticate", "true", "spark.authenticate.secret", "s3cret",
                "spark.authenticate.enableSaslEncryption", "true")).encrypted(), "SASL encryption asks for it too");
        LinkSecurity authenticatedOnly = forSettings(Map.of("spark.authenticate", "true",
                "spark.authenticate.secret", "s3cret"));
        assertFalse(authenticatedOnly.encrypted());
        assertEquals("authenticated with a key derived from Spark's secret, not encrypted",
                authenticatedOnly.describe());
    }

    @Test
    void withoutSparksAuthenticationEachJobHasItsOwnRandomKey() throws Exception {
        LinkSecurity first = forSettings(Map.of());
        LinkSecurity second = forSettings(Map.of());
        assertFalse(first.encrypted());
        assertEquals("authenticated with the job's own key (spark.authenticate is off), not encrypted",
                first.describe());
        assertEquals(32, first.linkKey().length);
        assertFalse(java.util.Arrays.equals(first.linkKey(), second.linkKey()));
        assertArrayEquals(first.linkKey(), travelled(first).linkKey(), "the workers get the job's key");
    }

    @Test
    void aKeyLengthSparkWouldNotTakeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> forSettings(Map.of(
                LinkSecurity.KEY_LENGTH, "64")));
        assertEquals("spark.network.crypto.keyLength must be 128, 192 or 256, got 64", e.getMessage());
    }
}
