package io.pointbridge.keycloak;

import io.pointbridge.tenant.tenancy.TenancyFailures.AdminInAnotherOrganization;
import io.pointbridge.tenant.tenancy.TenancyFailures.IdentityProviderRefused;
import io.pointbridge.tenant.tenancy.TenancyFailures.IdentityProviderUnavailable;
import io.pointbridge.tenant.tenancy.TenancyFailures.OrganizationNameTaken;
import io.pointbridge.tenant.tenancy.Tenant;
import io.pointbridge.tenant.tenancy.TenantIdentities;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.OrganizationRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Provisions a tenant in Keycloak: an organization whose alias is the tenant's slug (so the tokens'
 * {@code organization} claim names the tenant), and a first admin with the realm role {@code tenant-admin},
 * a member of that organization. Every step first looks for what an earlier attempt made, so a retry after
 * any failure reuses the organization (found by alias) and the account (found by email).
 *
 * <p>The admin gets a temporary password, returned once: this realm sends no email (no SMTP), so an
 * "update password" email action would never arrive. Keycloak requires the password to be changed at first
 * sign-in. An account that existed before keeps its own credentials, unless its owner never set a password
 * (a temporary one is still to be changed): that is what an attempt that failed before its answer leaves,
 * and a fresh temporary password takes nothing from anyone. Keycloak 26 drops user attributes the user
 * profile does not declare, so the account carries no marker of its own.
 */
@Component
class KeycloakTenantIdentities implements TenantIdentities {

    static final String TENANT_ADMIN_ROLE = "tenant-admin";

    private static final Logger log = LoggerFactory.getLogger(KeycloakTenantIdentities.class);
    private static final String UPDATE_PASSWORD = "UPDATE_PASSWORD";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int PAGE = 100;

    private final Keycloak keycloak;
    private final KeycloakSettings settings;

    KeycloakTenantIdentities(Keycloak keycloak, KeycloakSettings settings) {
        this.keycloak = keycloak;
        this.settings = settings;
    }

    @Override
    public ProvisionedIdentity provision(Tenant tenant, FirstAdmin admin) {
        var realm = keycloak.realm(settings.realm());
        var existingAccount = call("look up the admin's account", () -> account(realm, admin.email()));
        if (existingAccount.isPresent()) {
            var elsewhere = call("look up the admin's organizations", () ->
                realm.organizations().members().getOrganizations(existingAccount.get().getId()));
            if (elsewhere.stream().anyMatch(organization -> !tenant.slug().equals(organization.getAlias()))) {
                throw new AdminInAnotherOrganization();
            }
        }
        var organizationId = call("create the tenant's organization", () -> organization(realm, tenant));
        var account = existingAccount.isPresent() ? existingAccount.get()
            : call("create the admin's account", () -> createAccount(realm, admin));
        var userId = account.getId();
        var madeNow = existingAccount.isEmpty();
        var initialPassword = call("set up the admin's account", () -> {
            var user = realm.users().get(userId);
            var role = realm.roles().get(TENANT_ADMIN_ROLE).toRepresentation();
            user.roles().realmLevel().add(List.of(role));
            try (var added = realm.organizations().get(organizationId).members().addMember(userId)) {
                expect(added, Response.Status.CREATED, Response.Status.CONFLICT);
            }
            if (!madeNow && !stillToSetAPassword(user.toRepresentation())) {
                return null;
            }
            var password = temporaryPassword();
            var credential = new CredentialRepresentation();
            credential.setType(CredentialRepresentation.PASSWORD);
            credential.setValue(password);
            credential.setTemporary(true);
            user.resetPassword(credential);
            return password;
        });
        log.info("Provisioned Keycloak organization '{}' ({}) and admin {} for tenant {}", tenant.slug(), organizationId,
            userId, tenant.id());
        return new ProvisionedIdentity(organizationId, userId, initialPassword);
    }

    /** The organization with the tenant's slug as alias, created if there is none. */
    private String organization(RealmResource realm, Tenant tenant) {
        var found = organizationByAlias(realm, tenant.slug());
        if (found.isPresent()) {
            return found.get();
        }
        var organization = new OrganizationRepresentation();
        organization.setName(tenant.name());
        organization.setAlias(tenant.slug());
        organization.setEnabled(true);
        organization.setDescription("Pointbridge tenant " + tenant.slug());
        try (var created = realm.organizations().create(organization)) {
            if (created.getStatus() == Response.Status.CONFLICT.getStatusCode()) {
                // Another request made it meanwhile, or the name belongs to another organization.
                return organizationByAlias(realm, tenant.slug()).or(() -> scanForAlias(realm, tenant.slug()))
                    .orElseThrow(() -> new OrganizationNameTaken(tenant.name()));
            }
            return CreatedResponseUtil.getCreatedId(created);
        }
    }

    /** Keycloak 26 finds an organization by its alias through the {@code q=alias:<alias>} query. */
    private static Optional<String> organizationByAlias(RealmResource realm, String alias) {
        return realm.organizations().searchByAttribute("alias:" + alias).stream()
            .filter(organization -> alias.equals(organization.getAlias()))
            .map(OrganizationRepresentation::getId)
            .findFirst();
    }

    /** Every organization, page by page: the fallback should a server not answer the alias query. */
    private static Optional<String> scanForAlias(RealmResource realm, String alias) {
        for (int first = 0; ; first += PAGE) {
            var page = realm.organizations().list(first, PAGE);
            var found = page.stream().filter(organization -> alias.equals(organization.getAlias()))
                .map(OrganizationRepresentation::getId).findFirst();
            if (found.isPresent() || page.size() < PAGE) {
                return found;
            }
        }
    }

    private static Optional<UserRepresentation> account(RealmResource realm, String email) {
        return realm.users().searchByEmail(email, true).stream()
            .filter(user -> email.equalsIgnoreCase(user.getEmail()))
            .findFirst();
    }

    private static UserRepresentation createAccount(RealmResource realm, FirstAdmin admin) {
        var user = new UserRepresentation();
        user.setUsername(admin.email());
        user.setEmail(admin.email());
        // Nobody proved this address yet; an operator typed it.
        user.setEmailVerified(false);
        user.setFirstName(admin.firstName());
        user.setLastName(admin.lastName());
        user.setEnabled(true);
        try (var created = realm.users().create(user)) {
            if (created.getStatus() == Response.Status.CONFLICT.getStatusCode()) {
                return account(realm, admin.email()).orElseThrow(() -> new WebApplicationException(created));
            }
            var id = CreatedResponseUtil.getCreatedId(created);
            user.setId(id);
            return user;
        }
    }

    private static boolean stillToSetAPassword(UserRepresentation user) {
        return user.getRequiredActions() != null && user.getRequiredActions().contains(UPDATE_PASSWORD);
    }

    private static void expect(Response response, Response.Status... accepted) {
        for (var status : accepted) {
            if (response.getStatus() == status.getStatusCode()) {
                return;
            }
        }
        throw new WebApplicationException(response);
    }

    /** 24 characters from upper- and lower-case letters, digits and '-', with each kind present. */
    static String temporaryPassword() {
        var alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        while (true) {
            var password = new StringBuilder();
            for (int i = 0; i < 24; i++) {
                password.append(i % 6 == 5 ? '-' : alphabet.charAt(RANDOM.nextInt(alphabet.length())));
            }
            var text = password.toString();
            if (text.chars().anyMatch(Character::isUpperCase) && text.chars().anyMatch(Character::isLowerCase)
                    && text.chars().anyMatch(Character::isDigit)) {
                return text;
            }
        }
    }

    /** Runs a step against Keycloak, turning its failures into problems the operator can act on. */
    private static <T> T call(String what, Supplier<T> step) {
        try {
            return step.get();
        } catch (WebApplicationException failed) {
            throw answered(what, failed);
        } catch (ProcessingException failed) {
            // The admin client fetches its token inside a request filter: a refused token arrives wrapped.
            if (failed.getCause() instanceof WebApplicationException answer) {
                throw answered(what, answer);
            }
            log.warn("Keycloak unreachable while trying to {}: {}", what, failed.getMessage());
            throw new IdentityProviderUnavailable(what);
        }
    }

    private static RuntimeException answered(String what, WebApplicationException answer) {
        var status = answer.getResponse().getStatus();
        log.warn("Keycloak answered HTTP {} while trying to {}", status, what);
        return status >= 500 ? new IdentityProviderUnavailable(what) : new IdentityProviderRefused(what, status);
    }
}
