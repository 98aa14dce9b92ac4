package io.pointbridge.tenant.identity;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Identity settings, bound to {@code pointbridge.identity}.
 *
 * @param blindIndexKey the secret behind the keyed hashes contact points are found by (at least 32
 *     characters; generate one with {@code openssl rand -base64 48}). Every deployment sets its own: the value
 *     in {@code application.yml} is for development only. It is rotated through a new key version, not replaced.
 * @param blindIndexKeyVersion the version of {@code blindIndexKey}, stored with every index made under it
 * @param retiredBlindIndexKeys earlier secrets by their version: contacts indexed under them are still found,
 *     and the key job re-indexes them under the current version (their values are kept sealed, so it can)
 */
@ConfigurationProperties("pointbridge.identity")
@Validated
public record IdentitySettings(@NotBlank @Size(min = 32) String blindIndexKey,
        @DefaultValue("1") @Min(1) short blindIndexKeyVersion, @DefaultValue Map<Short, String> retiredBlindIndexKeys) {

    public IdentitySettings {
        retiredBlindIndexKeys = Map.copyOf(retiredBlindIndexKeys);
        for (var retired : retiredBlindIndexKeys.entrySet()) {
            if (retired.getKey() >= blindIndexKeyVersion) {
                throw new IllegalArgumentException("pointbridge.identity.retired-blind-index-keys: version " + retired.getKey()
                    + " is not older than the current blind-index-key-version " + blindIndexKeyVersion);
            }
            if (retired.getValue() == null || retired.getValue().length() < 32) {
                throw new IllegalArgumentException("pointbridge.identity.retired-blind-index-keys: version " + retired.getKey()
                    + " needs a secret of at least 32 characters");
            }
        }
    }

    @Override
    public String toString() {
        return "IdentitySettings[blindIndexKey=<secret>, blindIndexKeyVersion=" + blindIndexKeyVersion
            + ", retiredBlindIndexKeys=<" + retiredBlindIndexKeys.size() + " secrets>]";
    }
}
