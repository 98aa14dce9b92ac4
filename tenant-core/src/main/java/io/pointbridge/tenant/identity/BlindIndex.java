package io.pointbridge.tenant.identity;

import io.pointbridge.tenant.TenantContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * {@code <kind>:<normal form>}.
 *
 * <p>The secret is versioned ({@code blind-index-key-version}), and each index is stored with the version it was
 * made under. After a rotation, contacts are found under every configured version, the current and the retired
 * ones; each contact is re-indexed under the current version when it is added again or by the key job, which
 * can open its sealed value and hash it anew. Once no index of a retired version is left, its secret can go.
 */
@Component
public class BlindIndex {

    private static final String HMAC = "HmacSHA256";
    private static final byte[] SALT = "pointbridge/identity/blind-index".getBytes(StandardCharsets.UTF_8);

    private final short currentVersion;
    private final Map<Short, byte[]> pseudoRandomKeys = new TreeMap<>();

    BlindIndex(IdentitySettings settings) {
        this.currentVersion = settings.blindIndexKeyVersion();
        pseudoRandomKeys.put(currentVersion, extract(settings.blindIndexKey()));
        settings.retiredBlindIndexKeys().forEach((version, secret) -> pseudoRandomKeys.put(version, extract(secret)));
    }

    /** The version new indexes are made under. */
    public short currentVersion() {
        return currentVersion;
    }

    /** The index of the contact point in the current tenant, under the current version. */
    public byte[] of(ContactPoint contact) {
        return of(TenantContext.require(), currentVersion, contact);
    }

    /** The contact point's indexes in the current tenant under the retired versions still configured, if any. */
    List<byte[]> underRetiredVersions(ContactPoint contact) {
        var tenant = TenantContext.require();
        return pseudoRandomKeys.keySet().stream()
            .filter(version -> version != currentVersion)
            .map(version -> of(tenant, version, contact))
            .toList();
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
        return HexFormat.of().formatHex(hmac(tenantKey(TenantContext.require(), currentVersion),
            ("request:" + text).getBytes(StandardCharsets.UTF_8)));
    }

    byte[] of(UUID tenant, short version, ContactPoint contact) {
        return hmac(tenantKey(tenant, version), (contact.kind() + ":" + contact.value()).getBytes(StandardCharsets.UTF_8));
    }

    /** HKDF-Extract: PRK = HMAC(salt, secret). */
    private static byte[] extract(String secret) {
        return hmac(SALT, secret.getBytes(StandardCharsets.UTF_8));
    }

    /** HKDF-Expand of one block: T(1) = HMAC(PRK, info || 0x01), info naming the version and the tenant. */
    private byte[] tenantKey(UUID tenant, short version) {
        var key = pseudoRandomKeys.get(version);
        if (key == null) {
            throw new IllegalStateException("Blind-index key version " + version + " is not configured");
        }
        var info = ("v" + version + "/" + tenant).getBytes(StandardCharsets.UTF_8);
        return hmac(key, ByteBuffer.allocate(info.length + 1).put(info).put((byte) 1).array());
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
