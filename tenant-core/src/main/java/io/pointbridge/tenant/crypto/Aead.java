package io.pointbridge.tenant.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a random 96-bit nonce per message, as the JDK provides it: {@code [format][nonce][ciphertext
 * and 128-bit tag]}. A random nonce is safe for far more messages than one key seals here (NIST SP 800-38D
 * allows 2^32 per key), and rotation starts a new key long before that.
 */
final class Aead {

    static final byte FORMAT = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Aead() {
    }

    static byte[] seal(byte[] key, byte[] plaintext, byte[] associatedData) {
        var nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData);
            var sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(FORMAT).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The plaintext; {@link Unreadable} if the key, the associated data or a single byte of the message differs. */
    static byte[] open(byte[] key, byte[] message, byte[] associatedData) {
        if (message.length < 1 + NONCE_BYTES + TAG_BITS / 8 || message[0] != FORMAT) {
            throw new Unreadable("not a sealed message of format " + FORMAT);
        }
        try {
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
                new GCMParameterSpec(TAG_BITS, Arrays.copyOfRange(message, 1, 1 + NONCE_BYTES)));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(message, 1 + NONCE_BYTES, message.length - 1 - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new Unreadable("authentication failed: wrong key, wrong context, or altered");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    static byte[] randomKey() {
        var key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    /** A sealed message that does not open: a wrong or missing key, a ciphertext moved elsewhere, or tampering. */
    static final class Unreadable extends IllegalStateException {
        Unreadable(String reason) {
            super("Sealed data does not open: " + reason);
        }
    }
}
