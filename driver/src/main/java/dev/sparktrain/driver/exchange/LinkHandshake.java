package dev.sparktrain.driver.exchange;

import com.google.crypto.tink.subtle.Hkdf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The challenge and response that opens every link: each end proves it holds the link key without sending it, and
 * a recorded handshake cannot be replayed, since each proof covers a fresh nonce of the other end.
 * <pre>
 *   client → server   MAGIC, VERSION, encrypted?, client nonce                      (38 bytes)
 *   server → client   MAGIC, VERSION, encrypted?, server nonce, server proof        (70 bytes)
 *   client → server   client proof                                                  (32 bytes)
 * </pre>
 * A proof is HMAC-SHA256 under the link key of its role's label and both hellos, compared in constant time; the
 * server proves itself first, so a client never answers a stranger's challenge. Whether the link encrypts is in both
 * hellos and the proofs, so neither end can be talked into a link weaker than its own settings. An encrypted link's
 * two directions get keys of their own, derived with HKDF from the link key and both nonces ({@link FrameSeal}).
 */
final class LinkHandshake {

    private static final byte[] MAGIC = {'S', 'T', 'L', 'K'};
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 32;
    private static final int PROOF_BYTES = 32;
    private static final int HELLO_BYTES = MAGIC.length + 2 + NONCE_BYTES;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] SERVER_PROOF = label("sparktrain link server proof");
    private static final byte[] CLIENT_PROOF = label("sparktrain link client proof");
    private static final byte[] CLIENT_TO_SERVER = label("sparktrain link client to server");
    private static final byte[] SERVER_TO_CLIENT = label("sparktrain link server to client");

    private LinkHandshake() {
    }

    static void asServer(MessageChannel channel, LinkSecurity security) throws IOException {
        byte[] key = security.linkKey();
        byte[] clientHello = channel.readRaw(HELLO_BYTES);
        check(clientHello, security, "connecting peer");
        byte[] serverHello = hello(security);
        channel.writeRaw(concat(serverHello, mac(key, SERVER_PROOF, clientHello, serverHello)));
        byte[] proof = channel.readRaw(PROOF_BYTES);
        if (!MessageDigest.isEqual(proof, mac(key, CLIENT_PROOF, clientHello, serverHello))) {
            throw new IOException("the connecting peer failed authentication: a wrong secret, or a replayed "
                    + "handshake");
        }
        if (security.encrypted()) {
            channel.seal(new FrameSeal(sessionKey(security, SERVER_TO_CLIENT, clientHello, serverHello)),
                    new FrameSeal(sessionKey(security, CLIENT_TO_SERVER, clientHello, serverHello)));
        }
    }

    static void asClient(MessageChannel channel, LinkSecurity security) throws IOException {
        byte[] key = security.linkKey();
        byte[] clientHello = hello(security);
        channel.writeRaw(clientHello);
        byte[] reply = channel.readRaw(HELLO_BYTES + PROOF_BYTES);
        byte[] serverHello = Arrays.copyOf(reply, HELLO_BYTES);
        check(serverHello, security, "accepting peer");
        if (!MessageDigest.isEqual(Arrays.copyOfRange(reply, HELLO_BYTES, reply.length),
                mac(key, SERVER_PROOF, clientHello, serverHello))) {
            throw new IOException("the accepting peer failed authentication: it does not hold this job's secret");
        }
        channel.writeRaw(mac(key, CLIENT_PROOF, clientHello, serverHello));
        if (security.encrypted()) {
            channel.seal(new FrameSeal(sessionKey(security, CLIENT_TO_SERVER, clientHello, serverHello)),
                    new FrameSeal(sessionKey(security, SERVER_TO_CLIENT, clientHello, serverHello)));
        }
    }

    private static byte[] hello(LinkSecurity security) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return ByteBuffer.allocate(HELLO_BYTES).put(MAGIC).put(VERSION).put((byte) (security.encrypted() ? 1 : 0))
                .put(nonce).array();
    }

    /** Refuses a hello that is not this protocol's, or asks for other encryption than this end's settings. */
    private static void check(byte[] hello, LinkSecurity security, String peer) throws IOException {
        if (!Arrays.equals(hello, 0, MAGIC.length, MAGIC, 0, MAGIC.length) || hello[MAGIC.length] != VERSION) {
            throw new IOException("the " + peer + " is not a sparktrain link of version " + VERSION + " (it opened "
                    + "with bytes " + hex(Arrays.copyOf(hello, MAGIC.length + 1)) + ")");
        }
        boolean encrypted = hello[MAGIC.length + 1] == 1;
        if (hello[MAGIC.length + 1] > 1 || encrypted != security.encrypted()) {
            throw new IOException("the " + peer + " asks for " + (encrypted ? "an encrypted" : "a plain")
                    + " link, but this job's links are " + (security.encrypted() ? "encrypted" : "plain"));
        }
    }

    private static byte[] mac(byte[] key, byte[] label, byte[] clientHello, byte[] serverHello) throws IOException {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(label);
            mac.update(clientHello);
            return mac.doFinal(serverHello);
        } catch (GeneralSecurityException e) {
            throw new IOException("could not compute a handshake proof: " + e.getMessage(), e);
        }
    }

    private static byte[] sessionKey(LinkSecurity security, byte[] direction, byte[] clientHello, byte[] serverHello)
            throws IOException {
        byte[] nonces = concat(Arrays.copyOfRange(clientHello, HELLO_BYTES - NONCE_BYTES, HELLO_BYTES),
                Arrays.copyOfRange(serverHello, HELLO_BYTES - NONCE_BYTES, HELLO_BYTES));
        try {
            return Hkdf.computeHkdf("HMACSHA256", security.linkKey(), nonces, direction, security.cipherKeyBytes());
        } catch (GeneralSecurityException e) {
            throw new IOException("could not derive the link's session keys: " + e.getMessage(), e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] label(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
