package io.pointbridge.tenant.reward;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Makes coupon codes, and the keyed hash and sealed form they are stored as instead of their plaintext.
 *
 * <p>A code is 16 symbols drawn with {@link SecureRandom} from 32 that cannot be mistaken for one another
 * (digits 2 to 9 and the letters but I and O), 80 bits in all, shown in groups of four:
 * {@code 7KQ2-XM4T-9BWD-HC3R}. Typed codes are read case-insensitively, without dashes or spaces.
 *
 * <p>Per tenant, two keys are derived with HKDF-SHA256 (RFC 5869) from {@code pointbridge.reward.coupon-key}:
 * one for the digest, HMAC-SHA256 of the normal form, which finds a coupon by its code (a database copy alone
 * cannot produce a valid code from it); one for the seal, AES-256-GCM bound to the redemption id, which lets
 * the member's view show the code again. Neither key works for another tenant.
 */
@Component
public class CouponCodes {

    /** The version of the key derivation codes are hashed and sealed under, stored with each coupon. */
    public static final short KEY_VERSION = 1;

    static final String ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    static final int LENGTH = 16;

    private static final String HMAC = "HmacSHA256";
    private static final byte[] SALT = "pointbridge/reward/coupon".getBytes(StandardCharsets.UTF_8);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecureRandom random = new SecureRandom();
    private final byte[] pseudoRandomKey;

    CouponCodes(RewardSettings settings) {
        this.pseudoRandomKey = hmac(SALT, settings.couponKey().getBytes(StandardCharsets.UTF_8));
    }

    /** A new code in its display form. */
    public String generate() {
        var code = new StringBuilder(LENGTH + 3);
        for (int i = 0; i < LENGTH; i++) {
            if (i > 0 && i % 4 == 0) {
                code.append('-');
            }
            code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    /** The normal form of a typed code (upper case, no dashes or white space), if it can be a code at all. */
    public static Optional<String> normalise(String typed) {
        var code = typed.strip().toUpperCase(Locale.ROOT).replaceAll("[\\s-]", "");
        if (code.length() != LENGTH || !code.chars().allMatch(symbol -> ALPHABET.indexOf(symbol) >= 0)) {
            return Optional.empty();
        }
        return Optional.of(code);
    }

    /** The display form of a code in normal form. */
    static String display(String normal) {
        return String.join("-", normal.substring(0, 4), normal.substring(4, 8), normal.substring(8, 12),
            normal.substring(12, 16));
    }

    /** The keyed hash a coupon is found by, of a code in normal form. */
    byte[] digest(UUID tenant, String normal) {
        return hmac(tenantKey(tenant, "digest"), normal.getBytes(StandardCharsets.UTF_8));
    }

    /** The code sealed for the redemption: a random nonce, then the AES-GCM ciphertext and tag. */
    byte[] seal(UUID tenant, UUID redemption, String normal) {
        var nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        var sealed = crypt(Cipher.ENCRYPT_MODE, tenant, redemption, nonce, normal.getBytes(StandardCharsets.UTF_8), 0);
        return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    }

    /** The code (display form) a {@link #seal} of this redemption holds; fails if it was sealed for another. */
    String open(UUID tenant, UUID redemption, byte[] sealed) {
        var plain = crypt(Cipher.DECRYPT_MODE, tenant, redemption, sealed, sealed, NONCE_BYTES);
        return display(new String(plain, StandardCharsets.UTF_8));
    }

    private byte[] crypt(int mode, UUID tenant, UUID redemption, byte[] nonceSource, byte[] input, int offset) {
        try {
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(tenantKey(tenant, "seal"), "AES"),
                new GCMParameterSpec(TAG_BITS, nonceSource, 0, NONCE_BYTES));
            cipher.updateAAD(redemption.toString().getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input, offset, input.length - offset);
        } catch (GeneralSecurityException e) {
            var what = mode == Cipher.ENCRYPT_MODE ? "sealed" : "opened";
            throw new IllegalStateException("a coupon code could not be " + what, e);
        }
    }

    /** HKDF-Expand of one block: T(1) = HMAC(PRK, info || 0x01), info naming version, purpose and tenant. */
    private byte[] tenantKey(UUID tenant, String purpose) {
        var info = ("v" + KEY_VERSION + "/" + purpose + "/" + tenant).getBytes(StandardCharsets.UTF_8);
        return hmac(pseudoRandomKey, ByteBuffer.allocate(info.length + 1).put(info).put((byte) 1).array());
    }

    private static byte[] hmac(byte[] key, byte[] message) {
        try {
            var mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
