package dev.sparktrain.driver.exchange;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One direction of an encrypted link: AES-GCM with a key of its own (derived by {@link LinkHandshake} from the link's
 * secret and both ends' nonces) and the frame's sequence number as the nonce. Both ends count the frames, so a
 * replayed, reordered, dropped or altered frame fails its tag and is refused; the frame's length prefix is
 * authenticated with it.
 */
final class FrameSeal {

    static final int TAG_BYTES = 16;
    private static final int NONCE_BYTES = 12;

    private final Cipher cipher;
    private final SecretKeySpec key;
    private final byte[] nonce = new byte[NONCE_BYTES];
    private long sequence;

    FrameSeal(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM offers no AES/GCM cipher: " + e.getMessage(), e);
        }
    }

    /** Seals {@code plain}, with {@code header} authenticated beside it, into {@code out} (plain's size + the tag). */
    void seal(ByteBuffer header, ByteBuffer plain, ByteBuffer out) throws IOException {
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, nextNonce());
            cipher.updateAAD(header);
            cipher.doFinal(plain, out);
        } catch (GeneralSecurityException e) {
            throw new IOException("could not seal a message: " + e.getMessage(), e);
        }
    }

    /** Opens the next frame, {@code sealed}, whose length prefix was {@code header}, into {@code out}; returns out. */
    ByteBuffer open(ByteBuffer header, ByteBuffer sealed, ByteBuffer out) throws IOException {
        long frame = sequence;
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, nextNonce());
            cipher.updateAAD(header);
            cipher.doFinal(sealed, out);
            return out;
        } catch (AEADBadTagException e) {
            throw new IOException("message " + frame + " failed authentication: it was replayed, reordered, altered "
                    + "or sealed with another key");
        } catch (GeneralSecurityException e) {
            throw new IOException("could not open message " + frame + ": " + e.getMessage(), e);
        }
    }

    private GCMParameterSpec nextNonce() throws IOException {
        if (sequence == Long.MAX_VALUE) {
            throw new IOException("this link has sealed as many messages as its nonces allow");
        }
        long n = sequence++;
        for (int i = 0; i < Long.BYTES; i++) {
            nonce[NONCE_BYTES - 1 - i] = (byte) (n >>> (8 * i));
        }
        return new GCMParameterSpec(8 * TAG_BYTES, nonce);
    }
}
