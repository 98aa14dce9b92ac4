package io.pointbridge.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The API document's description and its two ways to authenticate. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI pointbridgeOpenApi() {
        return new OpenAPI()
            .info(new Info().title("Pointbridge API").version("v1")
                .description("""
                    Multi-tenant loyalty platform. People authenticate with a Keycloak access token \
                    (Authorization: Bearer), integrations with a brand's API key (X-Api-Key). Every write \
                    takes an Idempotency-Key header. Errors are RFC 9457 problem details with a stable type \
                    under https://pointbridge.io/problems/.""")
                .license(new License().name("Apache-2.0")))
            .components(new Components()
                .addSecuritySchemes("keycloak", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                    .bearerFormat("JWT"))
                .addSecuritySchemes("apiKey", new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                    .in(SecurityScheme.In.HEADER).name("X-Api-Key")))
            .addSecurityItem(new SecurityRequirement().addList("keycloak"))
            .addSecurityItem(new SecurityRequirement().addList("apiKey"));
    }
}
