package dev.sparktrain.driver.exchange;

import com.google.crypto.tink.subtle.Hkdf;
import java.io.IOException;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import org.apache.spark.SecurityManager;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;

/**
 * How the links of one channel job prove who is at each end and whether they encrypt, as the workers' Spark job
 * carries it to them; the one way to open a link of the exchange, driver to worker or worker to worker
 * ({@link #accept}, {@link #connect}; a {@link MessageLink} then carries the exchange's messages on it).
 *
 * <p>The link key comes from Spark's own secret when {@code spark.authenticate} is on: each end derives it with HKDF
 * from the secret its Spark process holds and a salt of the job's, so the job carries no secret. With Spark's
 * authentication off, the driver draws a random key for the job, which reaches the workers inside their Spark job
 * (as their task's closure does) and is never sent on a link. Either way a link opens with {@link LinkHandshake}'s
 * challenge and response, and its frames are encrypted with AES-GCM when Spark's settings ask Spark to encrypt its
 * own traffic ({@code spark.network.crypto.enabled}, SASL encryption, or TLS for RPC), with Spark's key length
 * ({@code spark.network.crypto.keyLength}).
 */
final class LinkSecurity implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int KEY_BYTES = 32;
    private static final byte[] LINK_KEY_INFO = "sparktrain exchange link key".getBytes(StandardCharsets.US_ASCII);
    static final String KEY_LENGTH = "spark.network.crypto.keyLength";

    /** Public: makes the key derived from Spark's secret one of this job's. */
    private final byte[] salt;
    /** The job's own random key when Spark authenticates nothing; null when the key comes from Spark's secret. */
    private final byte[] jobKey;
    private final boolean encrypted;
    private final int cipherKeyBytes;
    private transient byte[] linkKey;

    private LinkSecurity(byte[] salt, byte[] jobKey, boolean encrypted, int cipherKeyBytes) {
        this.salt = salt;
        this.jobKey = jobKey;
        this.encrypted = encrypted;
        this.cipherKeyBytes = cipherKeyBytes;
    }

    /** A new job's links under the driver's Spark settings. */
    static LinkSecurity forJob(SparkConf conf, SecurityManager spark) {
        int keyBits = conf.getInt(KEY_LENGTH, 128);
        if (keyBits != 128 && keyBits != 192 && keyBits != 256) {
            throw new IllegalArgumentException(KEY_LENGTH + " must be 128, 192 or 256, got " + keyBits);
        }
        boolean encrypted = spark.isEncryptionEnabled() || spark.isSslRpcEnabled();
        return new LinkSecurity(random(KEY_BYTES), spark.isAuthenticationEnabled() ? null : random(KEY_BYTES),
                encrypted, keyBits / 8);
    }

    /** Links keyed by {@code key} itself (tests, benchmarks): encrypted with AES-{@code keyBits} or not. */
    static LinkSecurity withKey(byte[] key, boolean encrypted, int keyBits) {
        return new LinkSecurity(random(KEY_BYTES), key.clone(), encrypted, keyBits / 8);
    }

    boolean encrypted() {
        return encrypted;
    }

    int cipherKeyBytes() {
        return cipherKeyBytes;
    }

    /** The key both ends of a link prove they hold: the job's, or derived from Spark's secret in this process. */
    byte[] linkKey() throws IOException {
        if (linkKey == null) {
            linkKey = jobKey != null ? jobKey : derive(sparkSecret());
        }
        return linkKey;
    }

    /**
     * The accepting end of a link on a fresh connection, as a polling channel ({@link MessageChannel#polling}) that
     * has {@code openingMillis} to open: the handshake is done when this returns, and the caller reads the peer's
     * first message within what is left, then calls {@link MessageChannel#opened}. Throws, with the connection
     * closed, when the peer does not prove it holds the key in time.
     */
    MessageChannel accept(SocketChannel socket, int pollMillis, int openingMillis, MessageChannel.Liveness liveness)
            throws IOException {
        MessageChannel channel = MessageChannel.polling(socket, pollMillis, liveness);
        try {
            channel.openWithin(openingMillis);
            accept(channel);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The connecting end of a link to {@code address}, blocking, after the handshake: the peer proved itself first. */
    MessageChannel connect(InetSocketAddress address) throws IOException {
        MessageChannel channel = MessageChannel.blocking(SocketChannel.open(address));
        try {
            connect(channel);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * The accepting end's handshake on {@code channel}, after which it is authenticated (and sealed when encrypted);
     * throws when the peer does not prove it holds the key.
     */
    void accept(MessageChannel channel) throws IOException {
        LinkHandshake.asServer(channel, this);
    }

    /** The connecting end's handshake on {@code channel}: the peer must prove it holds the key before this end does. */
    void connect(MessageChannel channel) throws IOException {
        LinkHandshake.asClient(channel, this);
    }

    /** What these links do, for logs. */
    String describe() {
        return (jobKey == null ? "authenticated with a key derived from Spark's secret"
                : "authenticated with the job's own key (spark.authenticate is off)")
                + (encrypted ? ", encrypted with AES-" + 8 * cipherKeyBytes + "-GCM" : ", not encrypted");
    }

    private byte[] derive(byte[] secret) throws IOException {
        try {
            return Hkdf.computeHkdf("HMACSHA256", secret, salt, LINK_KEY_INFO, KEY_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IOException("could not derive the link key: " + e.getMessage(), e);
        }
    }

    private static byte[] sparkSecret() throws IOException {
        SparkEnv env = SparkEnv.get();
        if (env == null) {
            throw new IOException("the link key derives from Spark's secret, but this process runs no Spark");
        }
        String secret = env.securityManager().getSecretKey();
        if (secret == null) {
            throw new IOException("the link key derives from Spark's secret, but this process's Spark has none "
                    + "(spark.authenticate is off here)");
        }
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] random(int bytes) {
        byte[] out = new byte[bytes];
        RANDOM.nextBytes(out);
        return out;
    }

    @Override
    public String toString() {
        return describe();
    }
}
