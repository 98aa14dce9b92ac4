package io.pointbridge.tenant.identity;

import io.pointbridge.tenant.TenantContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * The keyed hash (blind index) contact points are stored and found by, instead of their plaintext.
 *
 * <p>Each tenant has its own key, derived with HKDF-SHA256 (RFC 5869) from the configured secret
 * ({@code pointbridge.identity.blind-index-key}) with the tenant id in the info: the same email hashes
 * differently in two tenants, so an index can neither match nor be compared across tenants, and one
 * tenant's keys are not usable for another's. The index is HMAC-SHA256 under that key over
 * {@code <kind>:<normal form>}. {@link #KEY_VERSION} is stored with each index so that a rotation of this
 * secret can re-index under a new version while the old one still finds; since contact values are kept sealed
 * beside their index, a job can open each and hash it again (not built yet: changing the secret today makes
 * every stored contact unfindable).
 */
@Component
public class BlindIndex {

    /** The version of the key derivation the indexes computed here are stored under. */
    public static final short KEY_VERSION = 1;

    private static final String HMAC = "HmacSHA256";
    private static final byte[] SALT = "pointbridge/identity/blind-index".getBytes(StandardCharsets.UTF_8);

    private final byte[] pseudoRandomKey;

    BlindIndex(IdentitySettings settings) {
        this.pseudoRandomKey = hmac(SALT, settings.blindIndexKey().getBytes(StandardCharsets.UTF_8));
    }

    /** The index of the contact point in the current tenant. */
    public byte[] of(ContactPoint contact) {
        return of(TenantContext.require(), contact);
    }

    /** The index in hex, e.g. to fingerprint a request without its plaintext contact points. */
    public String hex(ContactPoint contact) {
        return HexFormat.of().formatHex(of(contact));
    }

    /**
     * A keyed hash of any text in the current tenant, in hex, under the same key as the index but in a domain of its
     * own (no contact kind is named {@code request}): for idempotency fingerprints of requests that carry personal
     * data, which must not be stored or hashed in the clear.
     */
    public String fingerprint(String text) {
        return HexFormat.of().formatHex(hmac(tenantKey(TenantContext.require()),
            ("request:" + text).getBytes(StandardCharsets.UTF_8)));
    }

    byte[] of(UUID tenant, ContactPoint contact) {
        return hmac(tenantKey(tenant), (contact.kind() + ":" + contact.value()).getBytes(StandardCharsets.UTF_8));
    }

    /** HKDF-Expand of one block: T(1) = HMAC(PRK, info || 0x01), info naming the version and the tenant. */
    private byte[] tenantKey(UUID tenant) {
        var info = ("v" + KEY_VERSION + "/" + tenant).getBytes(StandardCharsets.UTF_8);
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
