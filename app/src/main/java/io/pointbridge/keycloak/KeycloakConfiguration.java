package io.pointbridge.keycloak;

import jakarta.ws.rs.client.ClientBuilder;
import java.util.concurrent.TimeUnit;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.JacksonProvider;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Keycloak's admin client as the provisioner's service account. It fetches (and renews) its token on
 * first use, so the application starts while Keycloak is down and onboarding then answers 503.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KeycloakSettings.class)
class KeycloakConfiguration {

    @Bean(destroyMethod = "close")
    Keycloak keycloakAdmin(KeycloakSettings settings) {
        var client = ClientBuilder.newBuilder()
            .connectTimeout(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .readTimeout(settings.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
            // The admin client's own Jackson 2 set-up, which ignores fields a newer server adds.
            .register(JacksonProvider.class, 100)
            .build();
        return KeycloakBuilder.builder()
            .serverUrl(settings.serverUrl().toString())
            .realm(settings.realm())
            .grantType(OAuth2Constants.CLIENT_CREDENTIALS)
            .clientId(settings.clientId())
            .clientSecret(settings.clientSecret())
            .resteasyClient(client)
            .build();
    }
}
