package io.pointbridge.tenant.crypto;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.crypto.DataKeys.DataKey;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Seals personal data field by field under the current tenant's data key, and opens it again.
 *
 * <p>Each value is AES-256-GCM encrypted with a fresh random nonce; its associated data names the tenant, the
 * field ({@code table.column}) and the row, so a ciphertext copied to another field, row or tenant does not
 * open. The caller stores the key version beside the ciphertext (one version per row) to open it later.
 */
@Component
public class PersonalDataCipher {

    private final DataKeys keys;

    PersonalDataCipher(DataKeys keys) {
        this.keys = keys;
    }

    /** The key to seal a row's fields under: the current tenant's current version. */
    public DataKey sealingKey() {
        return keys.current();
    }

    /** The value sealed for the field of the row; null stays null. */
    public byte @Nullable [] seal(DataKey key, String field, String row, @Nullable String value) {
        if (value == null) {
            return null;
        }
        return Aead.seal(key.key(), value.getBytes(StandardCharsets.UTF_8), associatedData(field, row));
    }

    /** The value sealed under the given key version for the field of the row; null stays null. */
    public @Nullable String open(short version, String field, String row, byte @Nullable [] sealed) {
        if (sealed == null) {
            return null;
        }
        return new String(Aead.open(keys.version(version), sealed, associatedData(field, row)), StandardCharsets.UTF_8);
    }

    private static byte[] associatedData(String field, String row) {
        UUID tenant = TenantContext.require();
        return ("pointbridge/personal-data|" + tenant + "|" + field + "|" + row).getBytes(StandardCharsets.UTF_8);
    }
}
