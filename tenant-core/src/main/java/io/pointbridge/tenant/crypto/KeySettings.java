package io.pointbridge.tenant.crypto;

import jakarta.validation.constraints.NotBlank;
import java.util.Base64;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The local key store's settings, bound to {@code pointbridge.privacy}.
 *
 * @param masterKey the key-encryption key of {@link LocalKeyProvider}: 32 random bytes in base64
 *     ({@code openssl rand -base64 32}). The value in {@code application.yml} is for development only; a
 *     production deployment sets its own ({@code POINTBRIDGE_MASTER_KEY}) from a secret store, or replaces the
 *     local provider by a KMS implementation of {@link KeyProvider}. Losing it loses every tenant's personal data.
 * @param retiredMasterKeys earlier master keys, still able to unwrap data keys wrapped under them until
 *     {@link DataKeys#rewrap()} has wrapped them all under the current one
 */
@ConfigurationProperties("pointbridge.privacy")
@Validated
public record KeySettings(@NotBlank String masterKey, @DefaultValue List<String> retiredMasterKeys) {

    public KeySettings {
        if (masterKey == null || masterKey.isBlank()) {
            throw new IllegalArgumentException("pointbridge.privacy.master-key must be set");
        }
        retiredMasterKeys = List.copyOf(retiredMasterKeys);
        decode(masterKey);
        retiredMasterKeys.forEach(KeySettings::decode);
    }

    /** The key's 32 bytes; refused with a message that names the setting but never shows the value. */
    static byte[] decode(String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pointbridge.privacy master keys must be base64");
        }
        if (key.length != 32) {
            throw new IllegalArgumentException("pointbridge.privacy master keys must be 32 bytes (AES-256), not " + key.length);
        }
        return key;
    }

    @Override
    public String toString() {
        return "KeySettings[masterKey=<secret>, retiredMasterKeys=<" + retiredMasterKeys.size() + " secrets>]";
    }
}
