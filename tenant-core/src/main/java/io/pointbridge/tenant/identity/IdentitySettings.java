package io.pointbridge.tenant.identity;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Identity settings, bound to {@code pointbridge.identity}.
 *
 * @param blindIndexKey the secret behind the keyed hashes contact points are found by (at least 32
 *     characters; generate one with {@code openssl rand -base64 48}). Every deployment sets its own:
 *     the value in {@code application.yml} is for development only. Changing it makes every stored
 *     contact point unfindable until re-indexed, so it is rotated through a new key version, not replaced.
 */
@ConfigurationProperties("pointbridge.identity")
@Validated
public record IdentitySettings(@NotBlank @Size(min = 32) String blindIndexKey) {

    @Override
    public String toString() {
        return "IdentitySettings[blindIndexKey=<secret>]";
    }
}
