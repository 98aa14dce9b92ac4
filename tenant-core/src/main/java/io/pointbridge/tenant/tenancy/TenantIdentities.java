package io.pointbridge.tenant.tenancy;

import org.jspecify.annotations.Nullable;

/**
 * The identity provider's side of a tenant: the organization its people sign in through, and its first
 * admin. Implemented outside the tenant core (the application wires Keycloak), so the core names what
 * it needs and not how an identity provider is spoken to.
 */
public interface TenantIdentities {

    /**
     * Makes sure the tenant's organization (alias = the tenant's slug) and its first admin exist, reusing
     * what an earlier attempt left behind. Runs inside the transaction that creates the tenant, so a
     * failure here leaves no tenant behind.
     *
     * @throws TenancyFailures.IdentityProviderUnavailable when the identity provider cannot be reached or fails
     * @throws TenancyFailures.IdentityProviderRefused when it refuses the provisioner's requests
     * @throws TenancyFailures.AdminInAnotherOrganization when the admin's account belongs to another tenant
     */
    ProvisionedIdentity provision(Tenant tenant, FirstAdmin admin);

    /** The first tenant admin an operator names when onboarding a tenant. */
    record FirstAdmin(String email, String firstName, String lastName) {
    }

    /**
     * What the identity provider holds for a tenant after provisioning.
     *
     * @param organizationId  the organization's id in the identity provider
     * @param adminUserId     the first admin's user id (the {@code sub} of the admin's tokens)
     * @param initialPassword a temporary password the admin must change at first sign-in; null when the
     *                        account existed already with credentials of its own, which are left alone
     */
    record ProvisionedIdentity(String organizationId, String adminUserId, @Nullable String initialPassword) {

        @Override
        public String toString() {
            return "ProvisionedIdentity[organizationId=" + organizationId + ", adminUserId=" + adminUserId
                + ", initialPassword=" + (initialPassword == null ? "none" : "(hidden)") + "]";
        }
    }
}
