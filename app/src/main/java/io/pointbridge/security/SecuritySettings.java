package io.pointbridge.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Security settings, bound to {@code pointbridge.security}.
 *
 * @param metricsPassword the password of the {@code prometheus} user that scrapes {@code /actuator/prometheus}
 */
@ConfigurationProperties("pointbridge.security")
record SecuritySettings(String metricsPassword) {
}
