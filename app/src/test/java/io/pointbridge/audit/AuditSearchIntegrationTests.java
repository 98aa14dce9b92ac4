package io.pointbridge.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.testing.Api;
import io.pointbridge.testing.Api.Response;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.TestDatabase;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvReadFeature;

/**
 * Tenant admins search their tenant's audit trail newest first, a bounded page at a time, and export a
 * bounded time range as CSV or JSON lines; nobody else reads it, and no other tenant's record shows.
 * Records are seeded straight into the table at chosen times in a year no test writes to otherwise.
 */
class AuditSearchIntegrationTests extends IntegrationTest {

    /** Each test gets a day of its own, so exports of a day see only that test's records. */
    private static final AtomicInteger DAYS = new AtomicInteger();
    private static final Instant EPOCH_OF_SEEDS = Instant.parse("2001-01-01T00:00:00Z");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Group group;
    private Api admin;
    private Instant day;
    private String actor;

    @BeforeEach
    void demoGroupItsAdminAndADayOfRecords() {
        group = fixtures.organization(AuditTestSupport.DEMO_GROUP);
        admin = api.withToken(AuditTestSupport.demoAdmin());
        day = EPOCH_OF_SEEDS.plus(Duration.ofDays(DAYS.getAndIncrement()));
        actor = "test:search-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void filtersByActorActionSubjectAndTime() {
        var program = "program:" + UUID.randomUUID();
        var brand = "brand:" + UUID.randomUUID();
        var other = "test:other-" + UUID.randomUUID().toString().substring(0, 8);
        var first = seed(actor, "program.updated", program, second(1), null);
        var second = seed(actor, "program.updated", "program:" + UUID.randomUUID(), second(2), null);
        var third = seed(actor, "brand.updated", brand, second(3), null);
        var fourth = seed(actor, "program.updated", program, second(4), null);
        var byOther = seed(other, "program.updated", program, second(5), null);

        assertThat(ids(search("actor=" + actor))).containsExactly(fourth, third, second, first);
        assertThat(ids(search("actor=" + actor + "&action=program.updated"))).containsExactly(fourth, second, first);
        assertThat(ids(search("subject=" + program))).containsExactly(byOther, fourth, first);
        assertThat(ids(search("subject=" + program + "&actor=" + other))).containsExactly(byOther);
        assertThat(ids(search("actor=" + actor + "&from=" + second(2) + "&to=" + second(4))))
            .containsExactly(third, second);
        assertThat(ids(search("action=brand.updated&subject=" + brand))).containsExactly(third);
        var record = search("subject=" + brand).json().path("items").get(0);
        assertThat(record.path("actor").asString()).isEqualTo(actor);
        assertThat(Instant.parse(record.path("at").asString())).isEqualTo(second(3));
        assertThat(record.path("after").path("n").asInt()).isEqualTo(1);
    }

    @Test
    void pagesNewestFirstWithoutSkippingOrRepeatingRecordsOfTheSameTime() throws SQLException {
        seedMany(actor, 250, 7);
        var expected = idsInOrder(actor, "at desc, audit_id desc");

        var seen = new ArrayList<UUID>();
        var pages = 0;
        String cursor = null;
        do {
            var page = search("actor=" + actor + "&limit=100" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            seen.addAll(ids(page));
            cursor = page.json().path("nextCursor").isString() ? page.json().path("nextCursor").asString() : null;
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void boundsThePageAndRefusesWhatItCannotRead() {
        seed(actor, "brand.updated", "brand:" + UUID.randomUUID(), second(1), null);

        expectInvalid(search("actor=" + actor + "&limit=101"), "invalid-request", "limit");
        expectInvalid(search("actor=" + actor + "&limit=0"), "invalid-request", "limit");
        expectInvalid(search("actor=" + actor + "&cursor=not-a-cursor"), "invalid-cursor", "cursor");
        expectInvalid(search("from=yesterday"), "invalid-request", "from");
        expectInvalid(search("from=" + second(2) + "&to=" + second(1)), "invalid-request", "to");
        assertThat(search("actor=" + actor).json().path("items")).hasSize(1);
        assertThat(search("actor=" + actor).json().path("nextCursor").isString()).isFalse();
    }

    @Test
    void exportsARangeAsCsvOldestFirst() {
        var first = seed(actor, "program.updated", "program:" + UUID.randomUUID(), second(10), "req-1");
        var second = seed(actor, "brand.created", "brand:" + UUID.randomUUID(), second(20), "=HYPERLINK(\"x\")");

        var export = export(admin, "", "text/csv");

        assertThat(export.status()).as(export.body()).isEqualTo(200);
        assertThat(export.contentType()).isEqualTo("text/csv;charset=UTF-8");
        assertThat(export.headers().firstValue("Content-Disposition").orElseThrow())
            .startsWith("attachment; filename=\"audit-").endsWith(".csv\"");
        var rows = csv(export.body());
        assertThat(rows.getFirst())
            .containsExactly("id", "at", "actor", "action", "subject", "request_id", "before", "after");
        assertThat(rows.subList(1, rows.size())).extracting(row -> UUID.fromString(row[0]))
            .containsExactly(first, second);
        var row = rows.get(2);
        assertThat(Instant.parse(row[1])).isEqualTo(second(20));
        assertThat(row[2]).isEqualTo(actor);
        assertThat(row[3]).isEqualTo("brand.created");
        assertThat(row[5]).as("a formula a spreadsheet would run").isEqualTo("'=HYPERLINK(\"x\")");
        assertThat(row[6]).isEmpty();
        assertThat(JSON.readTree(row[7]).path("n").asInt()).isEqualTo(1);
    }

    @Test
    void exportsARangeAsJsonLinesOldestFirst() {
        var first = seed(actor, "program.updated", "program:" + UUID.randomUUID(), second(10), "req-1");
        var second = seed(actor, "brand.created", "brand:" + UUID.randomUUID(), second(20), null);

        var byAccept = export(admin, "", "application/x-ndjson");
        var byParameter = export(admin, "&format=ndjson", "text/csv");

        assertThat(byAccept.status()).as(byAccept.body()).isEqualTo(200);
        assertThat(byAccept.contentType()).isEqualTo("application/x-ndjson");
        assertThat(byParameter.contentType()).isEqualTo("application/x-ndjson");
        var lines = lines(byAccept.body());
        assertThat(lines).extracting(line -> UUID.fromString(line.path("id").asString()))
            .containsExactly(first, second);
        assertThat(lines.get(0).path("requestId").asString()).isEqualTo("req-1");
        assertThat(lines.get(0).path("after").path("n").asInt()).isEqualTo(1);
        assertThat(lines.get(1).path("action").asString()).isEqualTo("brand.created");
        assertThat(Instant.parse(lines.get(1).path("at").asString())).isEqualTo(second(20));
        assertThat(byParameter.body()).isEqualTo(byAccept.body());
    }

    @Test
    void exportsEveryRecordOfALargeRangeOnceInOrder() throws SQLException {
        seedMany(actor, 2_345, 13);
        var expected = idsInOrder(actor, "at, audit_id");

        var ndjson = export(admin, "", "application/x-ndjson");
        var csv = export(admin, "", "text/csv");

        assertThat(lines(ndjson.body())).extracting(line -> UUID.fromString(line.path("id").asString()))
            .containsExactlyElementsOf(expected);
        var rows = csv(csv.body());
        assertThat(rows.subList(1, rows.size())).extracting(row -> UUID.fromString(row[0]))
            .containsExactlyElementsOf(expected);
    }

    @Test
    void refusesAnExportWithoutABoundedRangeOrInAnotherFormat() {
        var from = URLEncoder.encode(day.toString(), StandardCharsets.UTF_8);
        var overAYear = URLEncoder.encode(day.plus(Duration.ofDays(367)).toString(), StandardCharsets.UTF_8);

        expectInvalid(admin.get("/api/v1/audit/export?to=" + from), "invalid-request", "from");
        expectInvalid(admin.get("/api/v1/audit/export?from=" + from), "invalid-request", "to");
        expectInvalid(admin.get("/api/v1/audit/export?from=" + from + "&to=" + overAYear), "invalid-request", "to");
        expectInvalid(export(admin, "&format=xml", "text/csv"), "invalid-request", "format");
        var json = export(admin, "", "application/json");
        assertThat(json.status()).as(json.body()).isEqualTo(406);
        assertThat(json.problemType()).isEqualTo("not-acceptable");
    }

    @Test
    void showsNoRecordOfAnotherTenant() throws SQLException {
        var record = seed(actor, "program.updated", "program:" + UUID.randomUUID(), second(1), null);
        var other = api.withToken(AuditTestSupport.otherAdmin());
        var otherTenant = fixtures.organization(AuditTestSupport.OTHER_GROUP).tenantId();

        assertThat(search("actor=" + actor).json().path("items")).hasSize(1);
        assertThat(other.get("/api/v1/audit?actor=" + actor).json().path("items")).isEmpty();
        assertThat(csv(export(other, "", "text/csv").body())).hasSize(1);
        assertThat(lines(export(other, "", "application/x-ndjson").body())).isEmpty();
        assertThat(countAsRuntimeRole(otherTenant, record)).isZero();
        assertThat(countAsRuntimeRole(group.tenantId(), record)).isOne();
        assertThat(countAsRuntimeRole(null, record)).isZero();
    }

    @Test
    void onlyTenantAdminsReadTheTrail() {
        seed(actor, "brand.updated", "brand:" + UUID.randomUUID(), second(1), null);

        for (var caller : List.of(api.withToken(AuditTestSupport.demoManager()), api.withApiKey(group.cafe().apiKey()),
                api.withToken(AuditTestSupport.operator()))) {
            var search = caller.get("/api/v1/audit?actor=" + actor);
            var export = export(caller, "", "text/csv");
            assertThat(search.status()).as(search.body()).isEqualTo(403);
            assertThat(search.problemType()).isEqualTo("forbidden");
            assertThat(export.status()).as(export.body()).isEqualTo(403);
            assertThat(export.body()).doesNotContain(actor);
        }
        assertThat(api.get("/api/v1/audit?actor=" + actor).status()).isEqualTo(401);
    }

    private Instant second(int seconds) {
        return day.plusSeconds(seconds);
    }

    private Response search(String query) {
        return admin.get("/api/v1/audit?" + query);
    }

    /** The export of this test's day. */
    private Response export(Api caller, String query, String accept) {
        var range = "from=" + URLEncoder.encode(day.toString(), StandardCharsets.UTF_8)
            + "&to=" + URLEncoder.encode(day.plus(Duration.ofDays(1)).toString(), StandardCharsets.UTF_8);
        return caller.send(caller.builder("/api/v1/audit/export?" + range + query).header("Accept", accept).GET());
    }

    private static List<UUID> ids(Response page) {
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        return page.json().path("items").valueStream()
            .map(item -> UUID.fromString(item.path("id").asString())).toList();
    }

    private static void expectInvalid(Response response, String type, String field) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.problemType()).isEqualTo(type);
        assertThat(response.json().path("errors").valueStream().map(error -> error.path("field").asString()))
            .as(response.body()).containsExactly(field);
    }

    private static List<String[]> csv(String body) {
        try (var rows = CsvMapper.builder().build().readerFor(String[].class).with(CsvReadFeature.WRAP_AS_ARRAY)
                .<String[]>readValues(body)) {
            return rows.readAll();
        }
    }

    private static List<JsonNode> lines(String body) {
        return body.lines().filter(line -> !line.isEmpty()).map(JSON::readTree).toList();
    }

    /** One record of the demo group, as the application would write it; {@code after} is {@code {"n": 1}}. */
    private UUID seed(String actor, String action, String subject, Instant at, @Nullable String requestId) {
        var id = UUID.randomUUID();
        try (var connection = TestDatabase.shared().connectAsSuperuser();
                var statement = connection.prepareStatement("""
                    insert into audit_records
                           (tenant_id, audit_id, actor, action, subject, before, after, at, request_id)
                    values (?, ?, ?, ?, ?, null, '{"n": 1}', ?, ?)""")) {
            statement.setObject(1, group.tenantId());
            statement.setObject(2, id);
            statement.setString(3, actor);
            statement.setString(4, action);
            statement.setString(5, subject);
            statement.setObject(6, at.atOffset(ZoneOffset.UTC));
            statement.setString(7, requestId);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return id;
    }

    /** Records of the actor spread over only {@code instants} distinct times of the day, so that many share one. */
    private void seedMany(String actor, int count, int instants) throws SQLException {
        try (var connection = TestDatabase.shared().connectAsSuperuser();
                var statement = connection.prepareStatement("""
                    insert into audit_records
                           (tenant_id, audit_id, actor, action, subject, before, after, at, request_id)
                    select ?, gen_random_uuid(), ?, 'points.adjusted', 'member:' || gen_random_uuid(),
                           jsonb_build_object('balance', n), jsonb_build_object('balance', n + 1),
                           ? + make_interval(secs => n % ?), 'seed-' || n
                      from generate_series(1, ?) n""")) {
            statement.setObject(1, group.tenantId());
            statement.setString(2, actor);
            statement.setObject(3, day.atOffset(ZoneOffset.UTC));
            statement.setInt(4, instants);
            statement.setInt(5, count);
            statement.executeUpdate();
        }
    }

    /** The actor's record ids in the database's own order, which UUID's Java ordering does not match. */
    private List<UUID> idsInOrder(String actor, String order) throws SQLException {
        var ids = new ArrayList<UUID>();
        try (var connection = TestDatabase.shared().connectAsSuperuser();
                var statement = connection.prepareStatement(
                    "select audit_id from audit_records where tenant_id = ? and actor = ? order by " + order)) {
            statement.setObject(1, group.tenantId());
            statement.setString(2, actor);
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getObject(1, UUID.class));
                }
            }
        }
        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
        return ids;
    }

    /** How many rows with the id the runtime role sees in a transaction of the tenant (none set when null). */
    private static long countAsRuntimeRole(@Nullable UUID tenant, UUID record) throws SQLException {
        try (var connection = TestDatabase.shared().connectAsApp()) {
            connection.setAutoCommit(false);
            try {
                if (tenant != null) {
                    try (var statement = connection.prepareStatement("select set_config('app.tenant_id', ?, true)")) {
                        statement.setString(1, tenant.toString());
                        statement.execute();
                    }
                }
                try (var statement = connection.prepareStatement(
                        "select count(*) from audit_records where audit_id = ?")) {
                    statement.setObject(1, record);
                    try (var rows = statement.executeQuery()) {
                        rows.next();
                        return rows.getLong(1);
                    }
                }
            } finally {
                connection.rollback();
            }
        }
    }
}
