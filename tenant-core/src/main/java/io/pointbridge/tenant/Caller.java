package io.pointbridge.tenant;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Who makes a request, as established from a verified token or an API key: never from the request body.
 * Roles add up: a caller holding several has the widest brand scope and sight of any of them.
 *
 * @param actor    a stable name for audit and journal entries ({@code user:<subject>} or {@code api-key:<id>})
 * @param tenantId the tenant the caller acts for, empty for a platform operator
 * @param brands   the brands of that tenant the caller may act on
 * @param roles    what the caller may do
 * @param login    the identity provider's user behind a token; empty for an API key
 */
public record Caller(String actor, Optional<UUID> tenantId, BrandScope brands, Set<Role> roles, Optional<Login> login) {

    /** Roles that see members' personal data (external ids, and contact values once they are stored) in clear. */
    private static final Set<Role> SEE_PERSONAL_DATA =
        EnumSet.of(Role.PLATFORM_OPERATOR, Role.TENANT_ADMIN, Role.BRAND_MANAGER, Role.INTEGRATION);

    public Caller {
        roles = Set.copyOf(roles);
    }

    /** A caller known by no identity provider's user: an API key. */
    public Caller(String actor, Optional<UUID> tenantId, BrandScope brands, Set<Role> roles) {
        this(actor, tenantId, brands, roles, Optional.empty());
    }

    /**
     * The identity provider's user a token was issued to: its stable {@code subject} and the email address it
     * names, with whether the identity provider verified that the user controls it. A member is found by them.
     */
    public record Login(String subject, @Nullable String email, boolean emailVerified) {

        /** Leaves the email out: it is personal data. */
        @Override
        public String toString() {
            return "Login[subject=" + subject + ", emailVerified=" + emailVerified + "]";
        }
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** Whether the caller may act on the given brand: tenant-wide roles on any, brand-scoped callers on theirs. */
    public boolean mayActOnBrand(UUID brand) {
        return brands.includes(brand);
    }

    /** The one brand the caller is scoped to, when it is exactly one (an integration's API key). */
    public Optional<UUID> singleBrand() {
        return brands instanceof BrandScope.Only(var only) && only.size() == 1
            ? Optional.of(only.iterator().next()) : Optional.empty();
    }

    /**
     * Whether the caller sees personal data in clear. Support agents help members without needing who they
     * are elsewhere: views mask personal data for them ({@link PersonalData#mask}).
     */
    public boolean seesPersonalData() {
        return roles.stream().anyMatch(SEE_PERSONAL_DATA::contains);
    }

    public enum Role {
        PLATFORM_OPERATOR, TENANT_ADMIN, BRAND_MANAGER, SUPPORT_AGENT, MEMBER, INTEGRATION;

        /** The Spring Security authority for this role. */
        public String authority() {
            return "ROLE_" + name();
        }
    }

    /** The brands of its tenant a caller may act on: all of them, or only those named. */
    public sealed interface BrandScope {

        boolean includes(UUID brand);

        static BrandScope all() {
            return new All();
        }

        static BrandScope only(Collection<UUID> brands) {
            return new Only(Set.copyOf(brands));
        }

        /** Every brand of the tenant: tenant admins, support agents. */
        record All() implements BrandScope {
            @Override
            public boolean includes(UUID brand) {
                return true;
            }
        }

        /** The named brands only: an API key's one brand, the brands granted to a brand manager (maybe none). */
        record Only(Set<UUID> brands) implements BrandScope {
            public Only {
                brands = Set.copyOf(brands);
            }

            @Override
            public boolean includes(UUID brand) {
                return brands.contains(brand);
            }
        }
    }
}
