package io.pointbridge.security;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Which browser origins may call the API, bound to {@code pointbridge.cors}. None by default: POS and
 * shop integrations call from servers; a web shop's front end is named here explicitly.
 */
@ConfigurationProperties("pointbridge.cors")
record CorsSettings(@DefaultValue List<String> allowedOrigins) {

    CorsConfigurationSource source() {
        var configuration = new CorsConfiguration();
        configuration.setAllowedOrigins(allowedOrigins);
        configuration.setAllowedMethods(List.of("GET", "POST", "PUT", "DELETE"));
        configuration.setAllowedHeaders(
            List.of("Authorization", "Content-Type", "Idempotency-Key", "X-Api-Key", "X-Request-Id"));
        configuration.setExposedHeaders(List.of("Location", "Retry-After", "RateLimit-Remaining", "Idempotent-Replayed"));
        configuration.setMaxAge(Duration.ofHours(1));
        var source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/api/**", configuration);
        return source;
    }
}
