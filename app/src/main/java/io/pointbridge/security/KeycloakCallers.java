package io.pointbridge.security;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.Caller.BrandScope;
import io.pointbridge.tenant.Caller.Login;
import io.pointbridge.tenant.Caller.Role;
import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.access.BrandGrants;
import io.pointbridge.tenant.tenancy.TenantManagement;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/**
 * Turns a verified Keycloak token into a caller: realm roles become roles, the Keycloak organization the
 * token names becomes the tenant, a brand manager's brands come from the tenant's brand grants, and the
 * user's subject and verified email stay with the caller (a member is found by them). A token naming no
 * organization, or several, acts for no tenant.
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
    private final BrandGrants grants;

    KeycloakCallers(TenantManagement tenancy, BrandGrants grants) {
        this.tenancy = tenancy;
        this.grants = grants;
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        var roles = EnumSet.noneOf(Role.class);
        var realmAccess = jwt.getClaimAsMap("realm_access");
        if (realmAccess != null && realmAccess.get("roles") instanceof Collection<?> names) {
            names.stream().map(ROLES::get).filter(role -> role != null).forEach(roles::add);
        }
        var tenant = organization(jwt).flatMap(tenancy::tenantIdBySlug);
        var caller = new Caller("user:" + jwt.getSubject(), tenant, brands(roles, tenant, jwt.getSubject()), roles,
            login(jwt));
        return new CallerAuthentication(caller);
    }

    /** The user the token was issued to, with the email it names and whether Keycloak verified it. */
    private static Optional<Login> login(Jwt jwt) {
        var subject = jwt.getSubject();
        if (subject == null || subject.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new Login(subject, jwt.getClaimAsString("email"),
            Boolean.TRUE.equals(jwt.getClaimAsBoolean("email_verified"))));
    }

    /**
     * Tenant admins, support agents (who only read) and operators act on every brand; a brand manager on
     * the brands the tenant's admins granted them, read from the tenant's grants on every request so that a
     * revocation takes effect at once; anyone else on none.
     */
    private BrandScope brands(Set<Role> roles, Optional<UUID> tenant, String subject) {
        if (roles.contains(Role.TENANT_ADMIN) || roles.contains(Role.SUPPORT_AGENT) || roles.contains(Role.PLATFORM_OPERATOR)) {
            return BrandScope.all();
        }
        if (roles.contains(Role.BRAND_MANAGER) && tenant.isPresent() && subject != null) {
            return BrandScope.only(TenantContext.callAs(tenant.get(), () -> grants.brandsOf(subject)));
        }
        return BrandScope.only(Set.of());
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
