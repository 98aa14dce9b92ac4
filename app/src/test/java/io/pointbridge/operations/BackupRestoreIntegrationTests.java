package io.pointbridge.operations;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.ledger.LedgerVerification;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.TestDatabase;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** The documented backup and restore scripts produce a copy in which every ledger invariant holds. */
class BackupRestoreIntegrationTests extends IntegrationTest {

    private static final List<String> TABLES = List.of("tenants", "brands", "programs", "persons", "memberships",
        "accounts", "journal_entries", "postings", "lots", "lot_movements", "purchases", "refunds", "api_keys",
        "idempotency_records");

    @Test
    void restoresABackupIntoAFreshDatabaseWithEveryInvariantHolding() throws Exception {
        var group = fixtures.group();
        var pos = api.withApiKey(group.cafe().apiKey());
        for (int i = 0; i < 3; i++) {
            var member = fixtures.member(group);
            pos.post("/api/v1/members/" + member.id() + "/purchases",
                Map.of("orderId", "order-" + i, "amount", "40.00", "currency", "EUR"));
            pos.post("/api/v1/members/" + member.id() + "/purchases/order-" + i + "/refunds",
                Map.of("amount", "15.00", "currency", "EUR"));
            pos.post("/api/v1/members/" + member.id() + "/spends", Map.of("points", 7));
        }
        var source = TestDatabase.shared();
        var restored = source.name() + "_restored";
        var dump = Files.createTempFile("pointbridge", ".dump");
        try {
            run("infra/scripts/backup.sh", dump.toString());
            run("infra/scripts/restore.sh", dump.toString(), restored);

            var restoredUrl = source.url().replace(source.name(), restored);
            try (var original = source.connectAsSuperuser();
                    var copy = DriverManager.getConnection(restoredUrl, TestDatabase.OWNER, TestDatabase.OWNER_PASSWORD)) {
                for (var table : TABLES) {
                    assertThat(count(copy, table)).as(table).isEqualTo(count(original, table));
                }
                var jdbc = JdbcClient.create(new SingleConnectionDataSource(copy, true));
                var tenants = jdbc.sql("select tenant_id from tenants").query(UUID.class).list();
                assertThat(tenants).contains(group.tenantId());
                var verification = new LedgerVerification(jdbc);
                for (var tenant : tenants) {
                    assertThat(TenantContext.callAs(tenant, verification::verify)).as("tenant " + tenant).isEmpty();
                }
                assertThat(jdbc.sql("select sum(balance) from accounts where tenant_id = :tenant")
                    .param("tenant", group.tenantId()).query(Long.class).single())
                    .isEqualTo(JdbcClient.create(new SingleConnectionDataSource(original, true))
                        .sql("select sum(balance) from accounts where tenant_id = :tenant")
                        .param("tenant", group.tenantId()).query(Long.class).single());
            }
        } finally {
            Files.deleteIfExists(dump);
            try (var admin = source.connectAsSuperuser(); var statement = admin.createStatement()) {
                statement.execute("drop database if exists " + restored + " with (force)");
            }
        }
    }

    private static long count(java.sql.Connection connection, String table) throws Exception {
        try (var statement = connection.createStatement(); var rows = statement.executeQuery("select count(*) from " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static void run(String script, String... args) throws Exception {
        var root = repositoryRoot();
        var command = new java.util.ArrayList<>(List.of("bash", root.resolve(script).toString()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("POINTBRIDGE_DB_NAME", TestDatabase.shared().name());
        builder.environment().put("POINTBRIDGE_DB_OWNER", TestDatabase.OWNER);
        builder.environment().put("POINTBRIDGE_DB_OWNER_PASSWORD", TestDatabase.OWNER_PASSWORD);
        var process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(script + " finished").isTrue();
        assertThat(process.exitValue()).as(script + " exit code").isZero();
    }

    private static Path repositoryRoot() {
        var dir = new File("").getAbsoluteFile().toPath();
        while (dir != null && !Files.exists(dir.resolve("infra/scripts/backup.sh"))) {
            dir = dir.getParent();
        }
        return dir;
    }
}
