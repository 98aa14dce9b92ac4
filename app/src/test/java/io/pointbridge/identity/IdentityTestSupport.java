package io.pointbridge.identity;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.apikey.ApiKeys;
import io.pointbridge.tenant.audit.AuditContext;
import io.pointbridge.tenant.tenancy.TenancyFailures.TenantSlugTaken;
import io.pointbridge.tenant.tenancy.TenantManagement;
import io.pointbridge.tenant.tenancy.TenantManagement.NewBrand;
import io.pointbridge.tenant.tenancy.TenantManagement.NewProgram;
import io.pointbridge.tenant.tenancy.TenantManagement.NewTenant;
import io.pointbridge.testing.Fixtures.BrandSetup;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.KeycloakServer;
import io.pointbridge.testing.TestDatabase;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Situations the identity tests start from that the shared fixtures do not make: the groups the
 * Keycloak realm's tenant admins belong to (demo-admin of {@code demo-group}, other-admin of
 * {@code other-group}), each time with brands of their own so tests never share members; and a look at
 * the raw rows as the superuser.
 */
@Component
class IdentityTestSupport {

    static final String DEMO_GROUP = "demo-group";
    static final String OTHER_GROUP = "other-group";

    private static final Currency EUR = Currency.getInstance("EUR");
    private static final String ACTOR = "test:identity";

    private final TenantManagement tenancy;
    private final ApiKeys apiKeys;
    private final TransactionTemplate transactions;

    IdentityTestSupport(TenantManagement tenancy, ApiKeys apiKeys, PlatformTransactionManager transactionManager) {
        this.tenancy = tenancy;
        this.apiKeys = apiKeys;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** The tenant with the slug (made on first use), with a new cafe and cinema brand of its own. */
    Group adminGroup(String slug) {
        return AuditContext.callAs(ACTOR, () -> {
            var tenant = tenancy.tenantIdBySlug(slug).orElseGet(() -> {
                try {
                    return tenancy.createTenant(new NewTenant(slug, slug, EUR)).id();
                } catch (TenantSlugTaken raceLost) {
                    return tenancy.tenantIdBySlug(slug).orElseThrow();
                }
            });
            return TenantContext.callAs(tenant, () -> new Group(tenant, slug, brand("cafe"), brand("cinema")));
        });
    }

    /** A further brand with one program in the group, e.g. a third program for merges. */
    BrandSetup brand(Group group, String name) {
        return AuditContext.callAs(ACTOR, () -> TenantContext.callAs(group.tenantId(), () -> brand(name)));
    }

    private BrandSetup brand(String name) {
        var code = name + "-" + UUID.randomUUID().toString().substring(0, 8);
        var brand = tenancy.createBrand(new NewBrand(code, name));
        var program = tenancy.createProgram(brand.id(), new NewProgram(code + "-points", name + " points",
            name + " points", EUR, 1, 100, 12));
        return new BrandSetup(brand, program, apiKeys.issue(brand.id(), "identity tests", ACTOR).secret());
    }

    /** A tenant admin's access token for the group the realm user administers. */
    static String adminToken(String slug) {
        var keycloak = KeycloakServer.ensureRunning();
        return switch (slug) {
            case DEMO_GROUP -> keycloak.token("demo-admin", "demo-admin-pass");
            case OTHER_GROUP -> keycloak.token("other-admin", "other-admin-pass");
            default -> throw new IllegalArgumentException("no tenant admin in the realm for " + slug);
        };
    }

    /** Runs the work in one transaction of the group's tenant, where row-level security admits its rows. */
    <T> T inTenant(Group group, Supplier<T> work) {
        return TenantContext.callAs(group.tenantId(), () -> transactions.execute(status -> work.get()));
    }

    /** The tables whose raw rows, read as text by the superuser (no row-level security), contain the text. */
    static List<String> tablesContaining(String text) throws SQLException {
        var found = new ArrayList<String>();
        try (var connection = TestDatabase.shared().connectAsSuperuser()) {
            var tables = new ArrayList<String>();
            try (var statement = connection.createStatement();
                    var rows = statement.executeQuery("select tablename from pg_tables where schemaname = 'public'")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            for (var table : tables) {
                try (var statement = connection.prepareStatement(
                        "select count(*) from public.\"" + table + "\" t where t::text ilike ?")) {
                    statement.setString(1, "%" + text + "%");
                    try (var rows = statement.executeQuery()) {
                        rows.next();
                        if (rows.getLong(1) > 0) {
                            found.add(table);
                        }
                    }
                }
            }
        }
        return found;
    }
}
