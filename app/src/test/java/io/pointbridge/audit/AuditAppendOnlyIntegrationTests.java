package io.pointbridge.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit trail and the ledger's history are append-only: the runtime role has no privilege to change,
 * delete or truncate them, and a trigger refuses it even to the schema owner and the superuser. Every
 * attempt runs in a transaction that is rolled back, so that a failure here cannot empty the shared tables.
 */
class AuditAppendOnlyIntegrationTests extends IntegrationTest {

    private static final List<String> APPEND_ONLY =
        List.of("audit_records", "journal_entries", "postings", "lot_movements");
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    private Group group;

    /** A group with audit records (its creation) and ledger history (a member's balance). */
    @BeforeEach
    void groupWithHistory() {
        group = fixtures.group();
        fixtures.memberWithBalance(group, 100);
        assertThat(AuditTestSupport.rows(group.tenantId())).isNotEmpty();
    }

    @Test
    void runtimeRoleMayNotUpdateDeleteOrTruncateAuditRecords() throws SQLException {
        var attempts = List.of("update audit_records set actor = 'user:someone-else'", "delete from audit_records",
            "truncate audit_records");
        var offenders = new ArrayList<String>();
        try (var app = TestDatabase.shared().connectAsApp()) {
            for (var statement : attempts) {
                var refusal = attempt(app, Optional.of(group.tenantId().toString()), statement);
                if (refusal.isEmpty() || !INSUFFICIENT_PRIVILEGE.equals(refusal.get().getSQLState())
                        || !refusal.get().getMessage().contains("permission denied for table audit_records")) {
                    offenders.add(statement + ": " + describe(refusal));
                }
            }
        }

        assertThat(offenders).as("changes to the audit trail the runtime role was not denied").isEmpty();
        assertThat(AuditTestSupport.rows(group.tenantId())).isNotEmpty();
    }

    @Test
    void refusesUpdateDeleteAndTruncateEvenToTheSchemaOwnerAndTheSuperuser() throws SQLException {
        var offenders = new ArrayList<String>();
        try (var owner = DriverManager.getConnection(TestDatabase.shared().url(), TestDatabase.OWNER,
                TestDatabase.OWNER_PASSWORD);
                var superuser = TestDatabase.shared().connectAsSuperuser()) {
            for (var connection : Map.of("owner", owner, "superuser", superuser).entrySet()) {
                for (var table : APPEND_ONLY) {
                    // CASCADE passes the foreign key check that would stop a plain TRUNCATE of a referenced table.
                    for (var statement : List.of("update " + table + " set tenant_id = tenant_id",
                            "delete from " + table, "truncate " + table + " cascade")) {
                        var refusal = attempt(connection.getValue(), Optional.empty(), statement);
                        if (refusal.isEmpty() || !refusal.get().getMessage().contains(" is append-only: ")) {
                            offenders.add(connection.getKey() + ": " + statement + ": " + describe(refusal));
                        }
                    }
                }
            }
        }

        assertThat(offenders).as("history changes that were not refused").isEmpty();
        assertThat(fixtures.violations(group)).isEmpty();
    }

    /** Executes one statement in its own rolled-back transaction; the refusal, if any. */
    private static Optional<SQLException> attempt(Connection connection, Optional<String> tenant, String sql)
            throws SQLException {
        connection.setAutoCommit(false);
        try {
            if (tenant.isPresent()) {
                try (var statement = connection.prepareStatement("select set_config('app.tenant_id', ?, true)")) {
                    statement.setString(1, tenant.get());
                    statement.execute();
                }
            }
            try (var statement = connection.createStatement()) {
                statement.execute(sql);
                return Optional.empty();
            } catch (SQLException refused) {
                return Optional.of(refused);
            }
        } finally {
            connection.rollback();
        }
    }

    private static String describe(Optional<SQLException> refusal) {
        return refusal.map(e -> "refused with " + e.getSQLState() + " " + e.getMessage()).orElse("was allowed");
    }
}
