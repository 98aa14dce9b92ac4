package io.pointbridge.tenant;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Who makes a request, as established from a verified token or an API key: never from the request body.
 *
 * @param actor   a stable name for audit and journal entries ({@code user:<subject>} or {@code api-key:<id>})
 * @param tenantId the tenant the caller acts for, empty for a platform operator
 * @param brandId the one brand an integration's API key is scoped to, empty otherwise
 * @param roles   what the caller may do
 */
public record Caller(String actor, Optional<UUID> tenantId, Optional<UUID> brandId, Set<Role> roles) {

    public Caller {
        roles = Set.copyOf(roles);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** Whether the caller may act on the given brand: tenant-wide roles may, a brand-scoped key only on its own. */
    public boolean mayActOnBrand(UUID brand) {
        return brandId.map(brand::equals).orElse(true);
    }

    public enum Role {
        PLATFORM_OPERATOR, TENANT_ADMIN, BRAND_MANAGER, SUPPORT_AGENT, MEMBER, INTEGRATION;

        /** The Spring Security authority for this role. */
        public String authority() {
            return "ROLE_" + name();
        }
    }
}
