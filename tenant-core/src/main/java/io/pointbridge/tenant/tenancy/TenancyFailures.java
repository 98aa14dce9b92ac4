package io.pointbridge.tenant.tenancy;

import io.pointbridge.tenant.DomainFailure;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The facts the tenancy feature refuses requests with. */
public final class TenancyFailures {

    private TenancyFailures() {
    }

    public static final class TenantNotFound extends DomainFailure {
        public TenantNotFound(String reference) {
            super(404, "tenant-not-found", "Tenant not found", "No tenant " + reference + " is visible to you.");
        }
    }

    public static final class TenantSlugTaken extends DomainFailure {
        public TenantSlugTaken(String slug) {
            super(409, "tenant-slug-taken", "Tenant slug taken", "A tenant with slug '" + slug + "' already exists.");
            with("field", "slug");
        }
    }

    public static final class BrandNotFound extends DomainFailure {
        public BrandNotFound(UUID brand) {
            super(404, "brand-not-found", "Brand not found", "No brand " + brand + " is visible to you.");
        }
    }

    public static final class BrandCodeTaken extends DomainFailure {
        public BrandCodeTaken(String code) {
            super(409, "brand-code-taken", "Brand code taken", "This tenant already has a brand with code '" + code + "'.");
            with("field", "code");
        }
    }

    public static final class ProgramNotFound extends DomainFailure {
        public ProgramNotFound(String reference) {
            super(404, "program-not-found", "Program not found", "No program " + reference + " is visible to you.");
        }
    }

    public static final class ProgramCodeTaken extends DomainFailure {
        public ProgramCodeTaken(String code) {
            super(409, "program-code-taken", "Program code taken", "This tenant already has a program with code '" + code + "'.");
            with("field", "code");
        }
    }

    public static final class UnknownCurrency extends DomainFailure {
        public UnknownCurrency(String field, String code) {
            super(400, "unknown-currency", "Unknown currency", "'" + code + "' is not an ISO 4217 currency code.");
            with("field", field);
            with("errors", List.of(Map.of("field", field, "message", "is not an ISO 4217 currency code")));
        }
    }

    /** The identity provider could not be reached or failed; nothing was created, the request may be retried. */
    public static final class IdentityProviderUnavailable extends DomainFailure {
        public IdentityProviderUnavailable(String what) {
            super(503, "identity-provider-unavailable", "Identity provider unavailable",
                "The identity provider could not " + what + "; no tenant was created. Retry later.");
        }
    }

    /** The identity provider refused the provisioner (its credentials or permissions); nothing was created. */
    public static final class IdentityProviderRefused extends DomainFailure {
        public IdentityProviderRefused(String what, int status) {
            super(502, "identity-provider-refused", "Identity provider refused",
                "The identity provider refused to " + what + " (HTTP " + status + "); no tenant was created.");
        }
    }

    /** The first admin's account is a member of another tenant's organization, which one account cannot be. */
    public static final class AdminInAnotherOrganization extends DomainFailure {
        public AdminInAnotherOrganization() {
            super(409, "admin-in-another-organization", "Admin belongs to another tenant",
                "The account with this email belongs to another tenant; name another admin.");
            with("field", "admin.email");
        }
    }

    /** The identity provider holds an organization of this name for another alias already. */
    public static final class OrganizationNameTaken extends DomainFailure {
        public OrganizationNameTaken(String name) {
            super(409, "organization-name-taken", "Organization name taken",
                "The identity provider already has an organization named '" + name + "'; choose another name.");
            with("field", "name");
        }
    }

    public static final class UnknownTimeZone extends DomainFailure {
        public UnknownTimeZone(String field, String zone) {
            super(400, "unknown-time-zone", "Unknown time zone",
                "'" + zone + "' is not a time zone such as Europe/Paris.");
            with("field", field);
            with("errors", List.of(Map.of("field", field, "message", "is not a time zone such as Europe/Paris")));
        }
    }
}
