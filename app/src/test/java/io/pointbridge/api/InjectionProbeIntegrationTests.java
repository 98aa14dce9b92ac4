package io.pointbridge.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.pointbridge.security.ApiDocument;
import io.pointbridge.security.Callers;
import io.pointbridge.security.EndpointCalls;
import io.pointbridge.security.EndpointCalls.Call;
import io.pointbridge.security.IdKind;
import io.pointbridge.security.PermissionMatrix;
import io.pointbridge.security.PermissionMatrix.Caller;
import io.pointbridge.security.PermissionMatrix.Endpoint;
import io.pointbridge.security.Scene;
import io.pointbridge.security.Scenes;
import io.pointbridge.tenancy.TenantTables;
import io.pointbridge.testing.Api;
import io.pointbridge.testing.Api.Response;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.KeycloakRealm;
import io.pointbridge.testing.KeycloakServer;
import io.pointbridge.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Injection probes (SQL, script, template and expression languages, JNDI, CEL, a NUL byte, 10,000 characters, a
 * right-to-left override, an unpaired surrogate) in every string field of every request body of the API. The
 * fields come from the application's own OpenAPI document; the body around a probe is the endpoint's valid one
 * ({@link EndpointCalls}), sent by a caller the permission matrix lets write there (a member with their own
 * memberships on the {@code /api/v1/me} rows). Each probe is either refused
 * with a 4xx problem naming its field, or accepted and then found, as it was sent, in what the call wrote: the rows
 * of the caller's tenant it inserted or updated, or for personal data (sealed in the database) what the API reads
 * back. A dry run or a backtest writes nothing. Never a 5xx, never a change to another tenant, never a table less.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InjectionProbeIntegrationTests extends IntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final List<Probe> PROBES = List.of(
        new Probe("SQL, quote", "' OR '1'='1"),
        new Probe("SQL, statement", "'); DROP TABLE memberships;--"),
        new Probe("script", "<script>alert(1)</script>"),
        new Probe("JNDI", "${jndi:ldap://127.0.0.1/a}"),
        new Probe("EL", "#{7*7}"),
        new Probe("template", "{{7*7}}"),
        new Probe("CEL", "has(member.tags) || 7 * 7 == 49"),
        new Probe("CEL, nested", "(".repeat(300) + "true" + ")".repeat(300)),
        new Probe("NUL byte", "before\u0000after"),
        new Probe("10,000 characters", "x".repeat(10_000)),
        new Probe("right-to-left override", "\u202Etxt.exe"),
        new Probe("unpaired surrogate", "\uD800 alone"));

    /** Endpoints that answer without writing anything. */
    private static final Set<String> WRITE_NOTHING = Set.of("POST /api/v1/programs/{programId}/rules/dry-run",
        "POST /api/v1/programs/{programId}/rules/backtest");

    private static final Pattern INDEX = Pattern.compile("\\[\\d+]");

    @Autowired
    private Scenes scenes;

    private final KeycloakRealm realm = new KeycloakRealm(KeycloakServer.ensureRunning());
    private Group ours;
    private Group theirs;
    private Scenes.Member member;
    private Callers callers;
    private ApiDocument document;
    private Connection database;
    private String searchWritten;
    private Map<String, String> theirRows;
    private List<String> tables;

    /**
     * Where what an endpoint stores outside the rows is read back: personal data, sealed in the database, through
     * the API in full; the first admin's name from the identity provider, which alone holds it.
     */
    private final Map<String, BiFunction<Scene, Response, JsonNode>> readBack = Map.of(
        "PUT /api/v1/members/{memberId}/profile", (scene, answer) -> profile(scene.of(IdKind.MEMBER)),
        "POST /api/v1/members/{memberId}/contacts", (scene, answer) -> profile(scene.of(IdKind.MEMBER)),
        "POST /api/v1/members", (scene, answer) -> profile(answer.text("id")),
        "POST /api/v1/tenants", (scene, answer) -> realm.user(KeycloakRealm.adminEmail(answer.text("slug")))
            .orElseThrow());

    private record Probe(String name, String value) {
    }

    @BeforeAll
    void anotherTenantWithEveryKindOfObjectAndTheApiDocument() throws SQLException {
        ours = fixtures.organization("demo-group");
        theirs = fixtures.group();
        scenes.of(theirs).everyKind();
        var base = new Api("http://localhost:" + port);
        member = scenes.member(ours, realm);
        callers = new Callers(base, ours.cafe().apiKey()).withMember(member.username(), member.password());
        document = ApiDocument.of(base);
        database = TestDatabase.shared().connectAsSuperuser();
        tables = TenantTables.names();
        searchWritten = tables.stream().filter(table -> !table.equals("idempotency_records"))
            .map(table -> "select '" + table + "' from \"" + table + "\" t, probe p where t.tenant_id = p.tenant"
                + " and t.xmin::text::bigint >= p.xid and strpos(t::text, p.value) > 0")
            .collect(Collectors.joining(" union all ", "with probe(tenant, xid, value) as"
                + " (select ?::uuid, ?::bigint, ?::text) select * from (", ") found limit 1"));
        theirRows = TenantTables.fingerprint(theirs.tenantId());
    }

    @AfterAll
    void closeWhatTheProbesOpened() throws SQLException {
        realm.close();
        database.close();
    }

    @TestFactory
    Stream<DynamicTest> probeEveryStringField() {
        var documented = dynamicTest("the API document describes every endpoint of the matrix", () ->
            assertThat(PermissionMatrix.rows().keySet()).allSatisfy(endpoint ->
                assertThat(document.describes(endpoint)).as("%s documented", endpoint).isTrue()));
        var endpoints = PermissionMatrix.rows().entrySet().stream()
            .filter(row -> document.hasRequestBody(row.getKey()))
            .map(row -> dynamicTest(row.getKey().toString(), () -> probe(row.getKey(), writer(row.getValue()))));
        var untouched = dynamicTest("another tenant's rows and every table are as they were", () -> {
            assertThat(TenantTables.fingerprint(theirs.tenantId())).as("the other tenant's rows").isEqualTo(theirRows);
            assertThat(TenantTables.names()).as("tables").isEqualTo(tables);
        });
        return Stream.of(Stream.of(documented), endpoints, Stream.of(untouched)).flatMap(tests -> tests);
    }

    private void probe(Endpoint endpoint, Caller caller) throws SQLException {
        var fields = document.stringFields(endpoint).stream().map(ApiDocument.Field::path).toList();
        var client = callers.client(caller);
        var scene = scene(caller);
        var faults = new ArrayList<String>();
        for (var field : fields) {
            for (var probe : PROBES) {
                var valid = EndpointCalls.call(endpoint, scene);
                assertThat(valid.body()).as("the valid body of %s", endpoint).isNotNull();
                var body = JSON.valueToTree(valid.body());
                place(body, field, probe.value(), endpoint);
                var before = currentTransaction();
                var answer = EndpointCalls.send(client,
                    new Call(valid.method(), valid.path(), ascii(JSON.writeValueAsString(body))));
                var fault = fault(endpoint, field, probe, answer, scene, before);
                if (fault != null) {
                    faults.add(field + " with " + probe.name() + ": " + fault);
                }
                if (answer.status() < 300) {
                    if (endpoint.path().equals("/api/v1/tenants")) {
                        realm.removesAfterwards(answer.text("slug"));
                    }
                    scene = scene(caller);
                }
            }
        }
        assertThat(faults).as("%s as %s: probes neither refused naming their field nor stored as sent", endpoint,
            caller.column()).isEmpty();
    }

    private String fault(Endpoint endpoint, String field, Probe probe, Response answer, Scene scene, long before)
            throws SQLException {
        if (answer.status() >= 500) {
            return "answered " + answer.status() + ": " + answer.body();
        }
        if (answer.status() >= 400) {
            if (!answer.contentType().startsWith("application/problem+json")) {
                return "refused without a problem: " + answer.status() + " " + answer.body();
            }
            return names(answer.json(), field) ? null : "refused without naming the field: " + answer.body();
        }
        var tenant = endpoint.path().equals("/api/v1/tenants") ? answer.text("id") : ours.tenantId().toString();
        if (WRITE_NOTHING.contains(endpoint.toString())) {
            var written = writtenSince(tenant, before, "");
            return written == null ? null : "answered " + answer.status() + " but wrote to " + written;
        }
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(probe.value()) || probe.value().indexOf('\0') >= 0) {
            return "accepted a value PostgreSQL cannot hold as it is: " + answer.status() + " " + answer.body();
        }
        if (writtenSince(tenant, before, probe.value()) != null) {
            return null;
        }
        var read = readBack.get(endpoint.toString());
        if (read != null && holds(read.apply(scene, answer), probe.value())) {
            return null;
        }
        return "accepted (" + answer.status() + ") but not found as sent in what the call wrote";
    }

    /** A table with a row of the tenant that a transaction since {@code before} wrote, holding the text; else null. */
    private String writtenSince(String tenant, long before, String text) throws SQLException {
        try (var statement = database.prepareStatement(searchWritten)) {
            statement.setString(1, tenant);
            statement.setLong(2, before);
            statement.setString(3, text);
            try (var rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    /** The id of a transaction begun now: every transaction the call runs has a higher one. */
    private long currentTransaction() throws SQLException {
        try (var statement = database.createStatement();
                var rows = statement.executeQuery("select txid_current() & 4294967295")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Whether a problem names the field, or the object or list holding it, or a part of it. */
    private static boolean names(JsonNode problem, String field) {
        var named = new HashSet<String>();
        problem.path("errors").forEach(error -> named.add(error.path("field").asString()));
        if (problem.hasNonNull("field")) {
            named.add(problem.path("field").asString());
        }
        var probed = field.replace(".*", "");
        return named.stream().map(name -> INDEX.matcher(name).replaceAll("[]")).anyMatch(name -> name.equals(probed)
            || probed.startsWith(name + ".") || probed.startsWith(name + "[") || name.startsWith(probed + ".")
            || name.startsWith(probed + "["));
    }

    private static boolean holds(JsonNode node, String text) {
        if (node.isString()) {
            return node.asString().equals(text);
        }
        for (var child : node) {
            if (holds(child, text)) {
                return true;
            }
        }
        return false;
    }

    /** A fresh scene of our group; the member's own, for the member. */
    private Scene scene(Caller caller) {
        return caller == Caller.MEMBER ? scenes.of(ours, member) : scenes.of(ours);
    }

    /**
     * The caller who writes there: a tenant admin where one may, else the brand's integration, else a brand manager,
     * an operator, or a member (on their own rows).
     */
    private static Caller writer(Map<Caller, String> scopes) {
        return Stream.of(Caller.TENANT_ADMIN, Caller.INTEGRATION, Caller.BRAND_MANAGER, Caller.OPERATOR, Caller.MEMBER)
            .filter(caller -> PermissionMatrix.allows(scopes.get(caller))).findFirst().orElseThrow();
    }

    /** Puts the probe at the field's path in the body; the objects and lists on the way must be in the valid body. */
    private static void place(JsonNode body, String field, String probe, Endpoint endpoint) {
        var parts = field.split("\\.");
        var node = body;
        for (int i = 0; i < parts.length - 1; i++) {
            node = step(node, parts[i]);
            assertThat(node.isContainer()).as("the valid body of %s has %s, so that %s can be probed", endpoint,
                parts[i], field).isTrue();
        }
        var last = parts[parts.length - 1];
        if (last.equals("*")) {
            ((ObjectNode) node).put("probe", probe);
        } else if (last.endsWith("[]")) {
            var list = node.path(last.substring(0, last.length() - 2));
            assertThat(list.isArray() && !list.isEmpty()).as("the valid body of %s has a %s", endpoint, last).isTrue();
            ((ArrayNode) list).set(0, probe);
        } else {
            ((ObjectNode) node).put(last, probe);
        }
    }

    private static JsonNode step(JsonNode node, String part) {
        if (part.endsWith("[]")) {
            return node.path(part.substring(0, part.length() - 2)).path(0);
        }
        return node.path(part);
    }

    /** The JSON in ASCII, any other character as a {@code \\u} escape: so an unpaired surrogate reaches the server. */
    private static String ascii(String json) {
        var ascii = new StringBuilder(json.length());
        json.chars().forEach(c -> ascii.append(c < 0x7f ? String.valueOf((char) c) : String.format("\\u%04x", c)));
        return ascii.toString();
    }

    private JsonNode profile(String memberId) {
        var path = "/api/v1/members/" + UUID.fromString(memberId) + "/profile";
        var profile = callers.client(Caller.TENANT_ADMIN).get(path);
        assertThat(profile.status()).as(profile.body()).isEqualTo(200);
        return profile.json();
    }
}
