package io.pointbridge.security;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.Caller.Role;
import io.pointbridge.tenant.tenancy.TenantManagement;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/**
 * Turns a verified Keycloak token into a caller: realm roles become roles, and the Keycloak organization
 * the token names becomes the tenant. A token naming no organization, or several, acts for no tenant.
 */
@Component
class KeycloakCallers implements Converter<Jwt, AbstractAuthenticationToken> {

    private static final Map<String, Role> ROLES = Map.of(
        "platform-operator", Role.PLATFORM_OPERATOR,
        "tenant-admin", Role.TENANT_ADMIN,
        "brand-manager", Role.BRAND_MANAGER,
        "support-agent", Role.SUPPORT_AGENT,
        "member", Role.MEMBER);

    private final TenantManagement tenancy;

    KeycloakCallers(TenantManagement tenancy) {
        this.tenancy = tenancy;
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        var roles = EnumSet.noneOf(Role.class);
        var realmAccess = jwt.getClaimAsMap("realm_access");
        if (realmAccess != null && realmAccess.get("roles") instanceof Collection<?> names) {
            names.stream().map(ROLES::get).filter(role -> role != null).forEach(roles::add);
        }
        var caller = new Caller("user:" + jwt.getSubject(), organization(jwt).flatMap(tenancy::tenantIdBySlug),
            Optional.<UUID>empty(), roles);
        return new CallerAuthentication(caller);
    }

    /** The one organization alias in the token: {@code ["acme"]}, or {@code {"acme": {...}}} with the id mapper option. */
    private static Optional<String> organization(Jwt jwt) {
        var claim = jwt.getClaims().get("organization");
        List<String> aliases = switch (claim) {
            case Collection<?> list -> list.stream().map(String::valueOf).toList();
            case Map<?, ?> map -> map.keySet().stream().map(String::valueOf).toList();
            case String single -> List.of(single);
            case null, default -> List.of();
        };
        return aliases.size() == 1 ? Optional.of(aliases.getFirst()) : Optional.empty();
    }
}
