package io.pointbridge.security;

import io.pointbridge.tenant.Caller.Role;
import io.pointbridge.tenant.apikey.ApiKeys;
import io.pointbridge.web.Problems;
import java.time.Duration;
import java.util.stream.Stream;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

/**
 * Three filter chains: the actuator (health open, metrics behind basic auth), the API (Keycloak tokens
 * or API keys, stateless, every endpoint authenticated) and the rest (only the API document is open).
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
@EnableConfigurationProperties({SecuritySettings.class, RateLimitSettings.class, CorsSettings.class})
class SecurityConfiguration {

    /** The roles that may write at all; support agents only read, and members only convert their own points. */
    private static final String[] WRITERS = Stream.of(Role.PLATFORM_OPERATOR, Role.TENANT_ADMIN, Role.BRAND_MANAGER,
        Role.INTEGRATION).map(Role::name).toArray(String[]::new);

    /** The only writes a member may send: their own conversions (each endpoint still checks the role and the person). */
    private static final String[] MEMBER_WRITES = {"/api/v1/me/exchange/quotes", "/api/v1/me/exchange/quotes/*/transfer"};

    /**
     * Tokens expire on time: Keycloak and the app share a clock source in any sane deployment, so the
     * default leeway of 60 s is cut to 10 s. Spring Boot adds this to the issuer and audience checks.
     */
    @Bean
    OAuth2TokenValidator<Jwt> tokenLifetime() {
        return new JwtTimestampValidator(Duration.ofSeconds(10));
    }

    /** Requests Spring Security's firewall refuses (e.g. path tricks like {@code ..;}) get a problem too. */
    @Bean
    RequestRejectedHandler requestRejectedHandler(Problems problems) {
        return (request, response, rejected) -> problems.write(request, response,
            Problems.of(400, "malformed-request", "Malformed request", "The request's address is not acceptable."));
    }

    @Bean
    @Order(1)
    SecurityFilterChain actuator(HttpSecurity http, SecuritySettings settings) throws Exception {
        var encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
        var users = new InMemoryUserDetailsManager(User.withUsername("prometheus")
            .password(encoder.encode(settings.metricsPassword())).roles("METRICS").build());
        var provider = new DaoAuthenticationProvider(users);
        provider.setPasswordEncoder(encoder);
        return http.securityMatcher("/actuator/**")
            .authorizeHttpRequests(requests -> requests
                .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                .requestMatchers("/actuator/prometheus").hasRole("METRICS")
                .anyRequest().denyAll())
            .authenticationManager(new ProviderManager(provider))
            .httpBasic(basic -> {})
            .csrf(csrf -> csrf.disable())
            .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain api(HttpSecurity http, KeycloakCallers callers, ApiKeys apiKeys, Problems problems,
            RateLimitSettings rateLimits, CorsSettings cors) throws Exception {
        AuthenticationEntryPoint unauthenticated = (request, response, failure) -> {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"pointbridge\"");
            problems.write(request, response, Problems.of(401, "unauthenticated", "Unauthenticated",
                "Send a Keycloak access token (Authorization: Bearer) or an API key (X-Api-Key)."));
        };
        AccessDeniedHandler forbidden = (request, response, failure) -> problems.write(request, response,
            Problems.of(403, "forbidden", "Forbidden", "You may not do this."));
        return http.securityMatcher("/api/**")
            // Reads need any credential (each endpoint then names its roles); writes also need a role that
            // writes somewhere, so a support agent's write is refused here whatever an endpoint declares, and a
            // member's anywhere but their own conversions.
            .authorizeHttpRequests(requests -> requests
                .requestMatchers(HttpMethod.GET, "/api/**").authenticated()
                .requestMatchers(HttpMethod.HEAD, "/api/**").authenticated()
                .requestMatchers(HttpMethod.POST, MEMBER_WRITES).hasRole(Role.MEMBER.name())
                .anyRequest().hasAnyRole(WRITERS))
            .oauth2ResourceServer(resourceServer -> resourceServer
                .jwt(jwt -> jwt.jwtAuthenticationConverter(callers))
                .authenticationEntryPoint(unauthenticated)
                .accessDeniedHandler(forbidden))
            .addFilterBefore(new ApiKeyAuthenticationFilter(apiKeys, problems), BearerTokenAuthenticationFilter.class)
            .addFilterAfter(new RateLimits(rateLimits, problems), AuthorizationFilter.class)
            .addFilterAfter(new TenantContextFilter(), RateLimits.class)
            .addFilterAfter(new AuditContextFilter(), TenantContextFilter.class)
            .cors(configurer -> configurer.configurationSource(cors.source()))
            .headers(headers -> headers
                .contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'none'; frame-ancestors 'none'"))
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER)))
            .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(unauthenticated).accessDeniedHandler(forbidden))
            .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .csrf(csrf -> csrf.disable())
            .build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain everythingElse(HttpSecurity http, Problems problems) throws Exception {
        AccessDeniedHandler denied = (request, response, failure) -> problems.write(request, response,
            Problems.of(403, "forbidden", "Forbidden", "There is nothing for you at this address."));
        return http
            .authorizeHttpRequests(requests -> requests
                .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml", "/swagger-ui.html",
                    "/swagger-ui/**", "/error").permitAll()
                .anyRequest().denyAll())
            .exceptionHandling(exceptions -> exceptions
                .authenticationEntryPoint((request, response, failure) -> denied.handle(request, response, null))
                .accessDeniedHandler(denied))
            .csrf(csrf -> csrf.disable())
            .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .build();
    }
}
