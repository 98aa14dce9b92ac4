package io.pointbridge.tenancy;

import static io.pointbridge.tenancy.TenantTables.quoted;
import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PostgreSQL itself keeps tenants apart: raw SQL as the runtime role sees and writes only the transaction's tenant. */
class RowLevelSecurityIntegrationTests extends IntegrationTest {

    private static final List<String> APPEND_ONLY = List.of("journal_entries", "postings", "lot_movements");

    /** The tables {@link #groupWithHistory()} fills for each group, so that no check below is vacuous for them. */
    private static final List<String> FILLED = List.of("tenants", "brands", "programs", "persons", "memberships",
        "accounts", "journal_entries", "postings", "lots", "lot_movements", "purchases", "refunds",
        "idempotency_records", "api_keys");
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    private Group a;
    private Group b;
    private List<String> tables;

    @BeforeEach
    void twoGroupsWithDataInEveryTable() {
        a = groupWithHistory();
        b = groupWithHistory();
        tables = TenantTables.names();
        assertThat(FILLED.stream().filter(table -> TenantTables.rowsOf(a.tenantId(), table) == 0
                || TenantTables.rowsOf(b.tenantId(), table) == 0))
            .as("tables the fixture should have filled for both groups").isEmpty();
    }

    @Test
    void seesOnlyTheSelectedTenantsRowsInEveryTable() throws SQLException {
        var offenders = new ArrayList<String>();
        try (var app = TestDatabase.shared().connectAsApp()) {
            for (var table : tables) {
                long expected = TenantTables.rowsOf(a.tenantId(), table);
                var seen = inTransaction(app, Optional.of(a.tenantId()), () -> rowsByTenant(app, table));
                if (!seen.equals(expected == 0 ? Map.of() : Map.of(a.tenantId(), expected))) {
                    offenders.add(table + ": saw " + seen + " instead of " + expected + " rows of " + a.tenantId());
                }
            }
        }

        assertThat(offenders).as("tables where an unfiltered select shows more or less than the tenant's rows").isEmpty();
    }

    @Test
    void seesNoRowsWithoutATenant() throws SQLException {
        var offenders = new ArrayList<String>();
        try (var app = TestDatabase.shared().connectAsApp()) {
            for (var table : tables) {
                var unset = inTransaction(app, Optional.empty(), () -> rowsByTenant(app, table));
                var blank = inTransaction(app, Optional.of(""), () -> rowsByTenant(app, table));
                if (!unset.isEmpty() || !blank.isEmpty()) {
                    offenders.add(table + ": saw " + unset + " with no tenant set, " + blank + " with a blank one");
                }
            }
        }

        assertThat(offenders).as("tables that show rows to a transaction without a tenant").isEmpty();
    }

    @Test
    void refusesInsertingAnotherTenantsRow() throws SQLException {
        var offenders = new ArrayList<String>();
        try (var app = TestDatabase.shared().connectAsApp()) {
            for (var table : tables) {
                var found = anotherTenantsRow(table);
                if (found.isEmpty()) {
                    continue;
                }
                var row = found.get();
                var insert = "insert into " + quoted(table) + " (" + insertableColumns(table) + ") select "
                    + insertableColumns(table) + " from json_populate_record(null::" + quoted(table) + ", ?::json)";
                for (var tenant : List.of(Optional.of(a.tenantId().toString()), Optional.<String>empty())) {
                    var refusal = attempt(app, tenant, insert, row);
                    if (!isRowLevelSecurityRefusal(refusal)) {
                        offenders.add(table + " as " + tenant.orElse("no tenant") + ": " + describe(refusal));
                    }
                }
            }
        }

        assertThat(offenders).as("tables that took a row of another tenant").isEmpty();
    }

    @Test
    void refusesMovingRowsToAnotherTenantAndDoesNotReachItsRows() throws SQLException {
        var offenders = new ArrayList<String>();
        var updatable = 0;
        try (var app = TestDatabase.shared().connectAsApp()) {
            for (var table : tables) {
                if (!runtimeRoleMay("UPDATE", table) || TenantTables.rowsOf(a.tenantId(), table) == 0) {
                    continue;
                }
                updatable++;
                var tenant = Optional.of(a.tenantId().toString());
                var moved = attempt(app, tenant, "update " + quoted(table) + " set tenant_id = ?::uuid where tenant_id = ?::uuid",
                    b.tenantId().toString(), a.tenantId().toString());
                if (!isRowLevelSecurityRefusal(moved)) {
                    offenders.add(table + ": moving A's rows to B " + describe(moved));
                }
                int reached = inTransaction(app, tenant, () -> {
                    try (var statement = app.prepareStatement(
                            "update " + quoted(table) + " set tenant_id = tenant_id where tenant_id = ?")) {
                        statement.setObject(1, b.tenantId());
                        return statement.executeUpdate();
                    }
                });
                if (reached != 0) {
                    offenders.add(table + ": an update as A reached " + reached + " rows of B");
                }
            }
        }

        assertThat(updatable).as("tables the runtime role may update").isPositive();
        assertThat(offenders).as("tables where an update crossed tenants").isEmpty();
    }

    @Test
    void runtimeRoleIsDeniedChangingOrRemovingHistory() throws SQLException {
        var offenders = new ArrayList<String>();
        try (var app = TestDatabase.shared().connectAsApp()) {
            for (var table : APPEND_ONLY) {
                for (var statement : List.of("update " + table + " set tenant_id = tenant_id", "delete from " + table,
                        "truncate " + table)) {
                    var refusal = attempt(app, Optional.of(a.tenantId().toString()), statement);
                    if (refusal.isEmpty() || !INSUFFICIENT_PRIVILEGE.equals(refusal.get().getSQLState())
                            || !refusal.get().getMessage().contains("permission denied for table " + table)) {
                        offenders.add(statement + ": " + describe(refusal));
                    }
                }
            }
        }

        assertThat(offenders).as("history changes the runtime role was not denied").isEmpty();
    }

    @Test
    void historyRefusesUpdateAndDeleteEvenByTheSchemaOwner() throws SQLException {
        var offenders = new ArrayList<String>();
        try (var owner = DriverManager.getConnection(TestDatabase.shared().url(), TestDatabase.OWNER,
                TestDatabase.OWNER_PASSWORD)) {
            for (var table : APPEND_ONLY) {
                for (var operation : List.of("update " + table + " set tenant_id = tenant_id where tenant_id = ?::uuid",
                        "delete from " + table + " where tenant_id = ?::uuid")) {
                    var refusal = attempt(owner, Optional.empty(), operation, a.tenantId().toString());
                    if (refusal.isEmpty() || !refusal.get().getMessage().contains(table + " is append-only")) {
                        offenders.add(operation + ": " + describe(refusal));
                    }
                }
            }
        }

        assertThat(offenders).as("history changes the schema owner was not refused").isEmpty();
    }

    /** A group whose cafe member earned on a purchase, spent, and was refunded: rows in every tenant table. */
    private Group groupWithHistory() {
        var group = fixtures.group();
        var member = fixtures.member(group);
        var pos = api.withApiKey(group.cafe().apiKey());
        var path = "/api/v1/members/" + member.id() + "/purchases";
        assertThat(pos.post(path, Map.of("orderId", "order-1", "amount", "20.00", "currency", "EUR")).status()).isEqualTo(201);
        assertThat(pos.post("/api/v1/members/" + member.id() + "/spends", Map.of("points", 5)).status()).isEqualTo(201);
        assertThat(pos.post(path + "/order-1/refunds", Map.of("amount", "10.00", "currency", "EUR")).status()).isEqualTo(201);
        return group;
    }

    private static Map<UUID, Long> rowsByTenant(Connection connection, String table) throws SQLException {
        var counts = new HashMap<UUID, Long>();
        try (var statement = connection.createStatement();
                var rows = statement.executeQuery("select tenant_id, count(*) from " + quoted(table) + " group by tenant_id")) {
            while (rows.next()) {
                counts.put(rows.getObject(1, UUID.class), rows.getLong(2));
            }
        }
        return counts;
    }

    /** Runs the work in a transaction of the given tenant ({@code app.tenant_id}, transaction-local), then rolls back. */
    private static <T> T inTransaction(Connection connection, Optional<?> tenant, SqlWork<T> work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            if (tenant.isPresent()) {
                try (var statement = connection.prepareStatement("select set_config('app.tenant_id', ?, true)")) {
                    statement.setString(1, tenant.get().toString());
                    statement.execute();
                }
            }
            return work.run();
        } finally {
            connection.rollback();
        }
    }

    /** Executes one statement in its own rolled-back transaction; the refusal, if any. */
    private static Optional<SQLException> attempt(Connection connection, Optional<String> tenant, String sql, String... parameters)
            throws SQLException {
        return inTransaction(connection, tenant, () -> {
            try (var statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    statement.setString(i + 1, parameters[i]);
                }
                statement.execute();
                return Optional.empty();
            } catch (SQLException refused) {
                return Optional.of(refused);
            }
        });
    }

    private static boolean isRowLevelSecurityRefusal(Optional<SQLException> refusal) {
        return refusal.isPresent() && INSUFFICIENT_PRIVILEGE.equals(refusal.get().getSQLState())
            && refusal.get().getMessage().contains("violates row-level security policy");
    }

    private static String describe(Optional<SQLException> refusal) {
        return refusal.map(e -> "refused with " + e.getSQLState() + " " + e.getMessage()).orElse("was allowed");
    }

    /** A row of B as JSON, or of any tenant but A where B has none; empty only for a table nobody has rows in. */
    private Optional<String> anotherTenantsRow(String table) throws SQLException {
        try (var connection = TestDatabase.shared().connectAsSuperuser();
                var statement = connection.prepareStatement("select row_to_json(t)::text from " + quoted(table)
                    + " t where tenant_id <> ? order by tenant_id = ? desc limit 1")) {
            statement.setObject(1, a.tenantId());
            statement.setObject(2, b.tenantId());
            try (var rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        }
    }

    private static String insertableColumns(String table) throws SQLException {
        try (var connection = TestDatabase.shared().connectAsSuperuser();
                var statement = connection.prepareStatement("""
                    select string_agg(quote_ident(attname), ', ' order by attnum) from pg_attribute
                     where attrelid = ('public.' || quote_ident(?))::regclass and attnum > 0 and not attisdropped
                       and attidentity <> 'a' and attgenerated = ''""")) {
            statement.setString(1, table);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }

    private static boolean runtimeRoleMay(String privilege, String table) throws SQLException {
        try (var connection = TestDatabase.shared().connectAsSuperuser();
                var statement = connection.prepareStatement("select has_table_privilege(?, 'public.' || quote_ident(?), ?)")) {
            statement.setString(1, TestDatabase.APP);
            statement.setString(2, table);
            statement.setString(3, privilege);
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run() throws SQLException;
    }
}
