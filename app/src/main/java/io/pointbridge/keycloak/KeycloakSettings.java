package io.pointbridge.keycloak;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the application reaches Keycloak's admin API, bound to {@code pointbridge.keycloak}.
 *
 * @param serverUrl      Keycloak's base address, e.g. {@code http://localhost:8180}
 * @param realm          the realm tenants' organizations and users live in
 * @param clientId       the confidential client whose service account provisions them
 * @param clientSecret   its secret
 * @param connectTimeout how long to wait for a connection before answering that Keycloak is unavailable
 * @param readTimeout    how long to wait for an answer, likewise
 */
@ConfigurationProperties("pointbridge.keycloak")
record KeycloakSettings(URI serverUrl, String realm, String clientId, String clientSecret,
        @DefaultValue("3s") Duration connectTimeout, @DefaultValue("10s") Duration readTimeout) {

    @Override
    public String toString() {
        return "KeycloakSettings[serverUrl=" + serverUrl + ", realm=" + realm + ", clientId=" + clientId + "]";
    }
}
