package io.pointbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.tenancy.TenantTables;
import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.access.BrandGrants;
import io.pointbridge.tenant.apikey.ApiKeys;
import io.pointbridge.tenant.member.Membership;
import io.pointbridge.testing.Api;
import io.pointbridge.testing.Api.Response;
import io.pointbridge.testing.Fixtures.BrandSetup;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.KeycloakRealm;
import io.pointbridge.testing.KeycloakServer;
import io.pointbridge.testing.TestDatabase;
import java.io.IOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The permission matrix of {@code docs/permissions.md}, cell by cell: every caller calls every endpoint.
 * Allowed cells must not answer 401 or 403 (nor fail); denied cells answer 403 (401 without credentials),
 * and a denied write changes nothing. A brand-scoped caller's call on another brand is refused the same
 * way (404, as for an unknown id). The matrix must list exactly the endpoints the application serves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PermissionMatrixIntegrationTests extends IntegrationTest {

    private static final String MATRIX_FILE = "docs/permissions.md";
    private static final String DENIED = "—";
    private static final Duration TOKEN_REUSE = Duration.ofMinutes(1);

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping handlerMappings;

    @Autowired
    private ApiKeys apiKeys;

    @Autowired
    private BrandGrants grants;

    private final KeycloakServer keycloak = KeycloakServer.ensureRunning();
    private final KeycloakRealm realm = new KeycloakRealm(keycloak);
    private final Map<Caller, Token> tokens = new ConcurrentHashMap<>();
    private final String supportAgent = "matrix-support-" + UUID.randomUUID().toString().substring(0, 8);
    private final String supportPassword = UUID.randomUUID().toString();
    private final String member = "matrix-member-" + UUID.randomUUID().toString().substring(0, 8);
    private final String memberPassword = UUID.randomUUID().toString();
    private Group demo;
    private List<UUID> membersOwnMemberships;

    /** The callers, named as the matrix's columns. */
    enum Caller {
        OPERATOR("operator"), TENANT_ADMIN("tenant-admin"), BRAND_MANAGER("brand-manager"),
        SUPPORT_AGENT("support-agent"), MEMBER("member"), INTEGRATION("integration"), ANONYMOUS("anonymous");

        final String column;

        Caller(String column) {
            this.column = column;
        }
    }

    /** One cell: an endpoint, a caller, and what the matrix says (a scope, or denied). */
    record Cell(Endpoint endpoint, Caller caller, String scope) {

        boolean allowed() {
            return !DENIED.equals(scope);
        }

        boolean brandScoped() {
            return scope.startsWith("brand");
        }

        @Override
        public String toString() {
            return endpoint + " as " + caller.column + ": " + (allowed() ? scope : "denied");
        }
    }

    record Endpoint(String method, String path) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /**
     * What one call works on, made afresh for every cell, so that no cell depends on another's writes; and the
     * member caller's own memberships (cafe, cinema), which the {@code /api/v1/me} rows name.
     */
    record Scene(Side cafe, Side cinema, UUID absorbedPersonId, List<UUID> membersOwn) {
    }

    /** A brand with its program, a member holding points, an API key to revoke and an order id. */
    record Side(BrandSetup brand, UUID memberId, UUID personId, String externalId, UUID keyId) {
    }

    record Call(String method, String path, @Nullable Object body) {
    }

    private record Token(String value, Instant at) {
    }

    @BeforeAll
    void demoGroupWithAGrantedBrandASupportAgentAndAMember() {
        demo = fixtures.organization("demo-group");
        var manager = subject(token(Caller.BRAND_MANAGER));
        TenantContext.runAs(demo.tenantId(), () -> grants.grant(manager, demo.cafe().brand().id(), "test:matrix", null));
        realm.createUser(supportAgent, supportPassword, "support-agent", "demo-group");
        var email = member + "@users.example";
        realm.createUser(member, memberPassword, "member", "demo-group", email, true);
        membersOwnMemberships = fixtures.personWithVerifiedEmail(demo, email, demo.cafe(), demo.cinema()).stream()
            .map(Membership::id).toList();
    }

    @AfterAll
    void removeWhatTheMatrixMadeInKeycloak() {
        realm.close();
    }

    @Test
    void listsExactlyTheEndpointsTheApplicationServes() {
        var served = new TreeSet<String>();
        handlerMappings.getHandlerMethods().keySet().forEach(info -> info.getPatternValues().stream()
            .filter(path -> path.startsWith("/api/"))
            .forEach(path -> info.getMethodsCondition().getMethods()
                .forEach(method -> served.add(new Endpoint(method.name(), path).toString()))));
        var listed = new TreeSet<String>();
        matrix().keySet().forEach(endpoint -> listed.add(endpoint.toString()));

        assertThat(served).as("endpoints served under /api/").isNotEmpty();
        assertThat(listed).as("rows of " + MATRIX_FILE).isEqualTo(served);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void enforcesTheCell(Cell cell) {
        var call = call(cell.endpoint(), scene(), Scene::cafe);
        var before = writes(call) ? state() : null;

        var response = send(cell.caller(), call);

        if (cell.allowed()) {
            assertThat(response.status()).as("%s → %s", cell, response.body()).isNotIn(401, 403).isLessThan(500);
            return;
        }
        var expected = cell.caller() == Caller.ANONYMOUS ? 401 : 403;
        assertThat(response.status()).as("%s → %s", cell, response.body()).isEqualTo(expected);
        assertThat(response.problemType()).isEqualTo(expected == 401 ? "unauthenticated" : "forbidden");
        if (before != null) {
            assertThat(state()).as("%s changed nothing", cell).isEqualTo(before);
        }
    }

    /** A brand-scoped caller aims an allowed call at a brand it does not hold: refused as unknown, nothing changed. */
    @ParameterizedTest(name = "{0}, on another brand")
    @MethodSource("brandScopedCells")
    void refusesABrandScopedCellOnAnotherBrand(Cell cell) {
        var call = call(cell.endpoint(), scene(), Scene::cinema);
        var before = writes(call) ? state() : null;

        var response = send(cell.caller(), call);

        assertThat(response.status()).as("%s → %s", cell, response.body()).isIn(403, 404);
        if (before != null) {
            assertThat(state()).as("%s changed nothing", cell).isEqualTo(before);
        }
    }

    Stream<Cell> cells() {
        return matrix().entrySet().stream().flatMap(row -> row.getValue().entrySet().stream()
            .map(cell -> new Cell(row.getKey(), cell.getKey(), cell.getValue())));
    }

    /** The allowed brand-scoped cells whose call names a brand (in its path, query or body), so another brand can be named. */
    Stream<Cell> brandScopedCells() {
        return cells().filter(cell -> cell.allowed() && cell.brandScoped()).filter(cell -> namesABrand(cell.endpoint()));
    }

    private static boolean namesABrand(Endpoint endpoint) {
        return Stream.of("{brandId}", "{programId}", "{memberId}", "{keyId}").anyMatch(endpoint.path()::contains)
            || endpoint.path().equals("/api/v1/members") || endpoint.path().endsWith("/settlement/statement");
    }

    /** The table between the markers of docs/permissions.md: endpoint → caller → scope or "—". */
    static Map<Endpoint, Map<Caller, String>> matrix() {
        List<String> lines;
        try {
            lines = Files.readAllLines(repositoryRoot().resolve(MATRIX_FILE));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        var start = lines.indexOf("<!-- permission-matrix:start -->");
        var end = lines.indexOf("<!-- permission-matrix:end -->");
        assertThat(start).as("matrix markers in " + MATRIX_FILE).isNotNegative().isLessThan(end);
        var header = cells(lines.get(start + 1));
        var columns = header.subList(2, header.size());
        assertThat(columns).containsExactly(Arrays.stream(Caller.values()).map(caller -> caller.column).toArray(String[]::new));
        var matrix = new LinkedHashMap<Endpoint, Map<Caller, String>>();
        for (var line : lines.subList(start + 3, end)) {
            var row = cells(line);
            assertThat(row).as(line).hasSize(header.size());
            var scopes = new EnumMap<Caller, String>(Caller.class);
            for (int i = 0; i < columns.size(); i++) {
                scopes.put(Caller.values()[i], row.get(i + 2));
            }
            var previous = matrix.put(new Endpoint(row.get(0), row.get(1)), scopes);
            assertThat(previous).as("one row per endpoint: " + line).isNull();
        }
        return matrix;
    }

    private static List<String> cells(String line) {
        var trimmed = line.strip();
        return Arrays.stream(trimmed.substring(1, trimmed.length() - 1).split("\\|")).map(String::strip).toList();
    }

    private Scene scene() {
        var absorbed = fixtures.member(demo, demo.cinema()).personId();
        return new Scene(side(demo.cafe()), side(demo.cinema()), absorbed, membersOwnMemberships);
    }

    private Side side(BrandSetup brand) {
        var member = fixtures.member(demo, brand);
        var key = fixtures.as(demo, () -> apiKeys.issue(brand.brand().id(), "matrix key", "test:matrix")).key().id();
        return new Side(brand, member.id(), member.personId(), member.externalId(), key);
    }

    /** The call of an endpoint on one side of the scene, with a body it accepts when allowed. */
    private static Call call(Endpoint endpoint, Scene scene, Function<Scene, Side> pick) {
        var side = pick.apply(scene);
        var brand = side.brand().brand().id();
        var program = side.brand().program().id();
        var member = side.memberId();
        var unique = UUID.randomUUID().toString().substring(0, 8);
        var path = endpoint.path().startsWith("/api/v1/me/")
            ? endpoint.path().replace("{memberId}", scene.membersOwn().getFirst().toString()) : endpoint.path();
        path = path
            .replace("{brandId}", brand.toString())
            .replace("{programId}", program.toString())
            .replace("{memberId}", member.toString())
            .replace("{keyId}", side.keyId().toString())
            .replace("{personId}", scene.cafe().personId().toString())
            .replace("{entryId}", UUID.randomUUID().toString())
            .replace("{orderId}", "order-" + unique)
            .replace("{subject}", "matrix-subject-" + unique)
            .replace("{rateId}", UUID.randomUUID().toString())
            .replace("{quoteId}", UUID.randomUUID().toString())
            .replace("{transferId}", UUID.randomUUID().toString())
            .replace("{ruleId}", UUID.randomUUID().toString())
            .replace("{rewardId}", UUID.randomUUID().toString())
            .replace("{redemptionId}", UUID.randomUUID().toString())
            .replace("{code}", "ABCD-EFGH-JKLM-NPQR")
            .replace("{job}", "pending-release")
            .replace("{runId}", UUID.randomUUID().toString())
            .replace("{tenantId}", UUID.randomUUID().toString());
        Object body = switch (endpoint.toString()) {
            case "POST /api/v1/tenants" -> KeycloakRealm.newTenant("matrix-" + unique, "Matrix " + unique);
            case "POST /api/v1/brands" -> Map.of("code", "matrix-" + unique, "name", "Matrix brand");
            case "POST /api/v1/brands/{brandId}/programs" -> Map.of("code", "matrix-" + unique, "name", "Matrix",
                "pointsName", "Matrix Points", "purchaseCurrency", "EUR", "earnRate", Map.of("points", 1, "perMinorUnits", 100));
            case "POST /api/v1/brands/{brandId}/api-keys" -> Map.of("name", "matrix " + unique);
            case "POST /api/v1/brand-grants" -> Map.of("subject", "matrix-subject-" + unique, "brandId", brand);
            case "POST /api/v1/members" -> Map.of("externalId", "matrix-" + unique, "programId", program);
            case "POST /api/v1/members/{memberId}/contacts" -> Map.of("email", unique + "@matrix.example",
                "emailVerified", true, "consentToLink", true);
            case "POST /api/v1/members/{memberId}/consents" -> Map.of("purpose", "identity-linking", "granted", true);
            case "POST /api/v1/members/{memberId}/spends" -> Map.of("points", 1, "reference", "matrix");
            case "POST /api/v1/members/{memberId}/adjustments" -> Map.of("points", 5, "reason", "matrix goodwill");
            case "POST /api/v1/members/{memberId}/entries/{entryId}/reversal" -> Map.of("reason", "matrix");
            case "POST /api/v1/members/{memberId}/purchases" -> Map.of("orderId", "order-" + unique, "amount", "10.00",
                "currency", "EUR");
            case "POST /api/v1/members/{memberId}/purchases/{orderId}/refunds" -> Map.of("amount", "1.00", "currency", "EUR");
            case "POST /api/v1/persons/{personId}/merge" -> Map.of("absorbedPersonId", scene.absorbedPersonId(),
                "reason", "matrix: same customer");
            case "PUT /api/v1/members/{memberId}/profile" -> Map.of("givenName", "Matrix", "birthday", "1990-01-01");
            case "POST /api/v1/persons/{personId}/erasure" -> Map.of("reason", "matrix");
            case "POST /api/v1/privacy/key-rotations", "PUT /api/v1/privacy/retention" -> Map.of();
            case "PUT /api/v1/brands/{brandId}" -> Map.of("name", "Matrix brand " + unique);
            case "PUT /api/v1/programs/{programId}" -> Map.of("name", "Matrix", "pointsName", "Matrix Points",
                "earnRate", Map.of("points", 1, "perMinorUnits", 100), "expiryMonths", 12);
            case "POST /api/v1/exchange/rates" -> Map.of("sourceProgramId", program,
                "targetProgramId", scene.cinema().brand().program().id(), "sourceUnits", 10, "targetUnits", 7,
                "minimumPoints", 10, "stepPoints", 10);
            case "POST /api/v1/exchange/program-values" -> Map.of("programId", program, "pointValue", "0.01");
            case "POST /api/v1/exchange/quotes" -> Map.of("sourceMemberId", member,
                "targetMemberId", scene.cinema().memberId(), "points", 10);
            case "POST /api/v1/exchange/transfers/{transferId}/reversal" -> Map.of("reason", "matrix");
            case "POST /api/v1/me/exchange/quotes" -> Map.of("sourceMemberId", scene.membersOwn().get(0),
                "targetMemberId", scene.membersOwn().get(1), "points", 10);
            case "POST /api/v1/member-logins" -> Map.of("subject", "matrix-subject-" + unique,
                "personId", scene.cafe().personId(), "reason", "matrix: identity checked by phone");
            case "POST /api/v1/members/{memberId}/events" -> Map.of("type", "review", "reference", "review-" + unique,
                "attributes", Map.of("rating", 5));
            case "POST /api/v1/members/{memberId}/qualifying-activity" -> Map.of("counter", "custom:visits", "amount", 1,
                "reference", "visit-" + unique);
            case "POST /api/v1/members/{memberId}/redemptions" -> Map.of("rewardId", UUID.randomUUID());
            case "POST /api/v1/members/{memberId}/redemptions/{redemptionId}/cancellation" -> Map.of("reason", "matrix");
            case "POST /api/v1/members/{memberId}/redemptions/{redemptionId}/fulfilment" -> Map.of("reference", "ship-" + unique);
            case "POST /api/v1/members/{memberId}/referral" -> Map.of("code", "MATRIX" + unique.substring(0, 4));
            default -> null;
        };
        if (endpoint.toString().equals("GET /api/v1/exchange/settlement/statement")) {
            path += "?brandId=" + brand;
        }
        if (endpoint.toString().equals("GET /api/v1/exchange/transfers")) {
            path += "?memberId=" + member;
        }
        if (endpoint.toString().equals("GET /api/v1/audit/export")) {
            path += "?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z";
        }
        if (endpoint.toString().equals("GET /api/v1/member-logins")) {
            path += "?personId=" + scene.cafe().personId();
        }
        if (endpoint.toString().equals("GET /api/v1/members")) {
            path += "?externalId=" + side.externalId() + "&programId=" + program;
        }
        return new Call(endpoint.method(), path, body);
    }

    private static boolean writes(Call call) {
        return !call.method().equals("GET");
    }

    private Response send(Caller caller, Call call) {
        var client = switch (caller) {
            case ANONYMOUS -> api;
            case INTEGRATION -> api.withApiKey(demo.cafe().apiKey());
            default -> api.withToken(token(caller));
        };
        var request = client.builder(call.path());
        if (call.body() != null) {
            request.header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString());
        }
        request.method(call.method(), call.body() == null ? BodyPublishers.noBody() : BodyPublishers.ofString(Api.json(call.body())));
        var response = client.send(request);
        if (caller == Caller.OPERATOR && response.status() == 201 && call.path().equals("/api/v1/tenants")) {
            realm.removesAfterwards(response.text("slug"));
        }
        return response;
    }

    private String token(Caller caller) {
        var token = tokens.compute(caller, (key, held) -> held != null && held.at().plus(TOKEN_REUSE).isAfter(Instant.now())
            ? held : new Token(switch (key) {
                case OPERATOR -> keycloak.token("operator", "operator-pass");
                case TENANT_ADMIN -> keycloak.token("demo-admin", "demo-admin-pass");
                case BRAND_MANAGER -> keycloak.token("demo-manager", "demo-manager-pass");
                case SUPPORT_AGENT -> keycloak.token(supportAgent, supportPassword);
                case MEMBER -> keycloak.token(member, memberPassword);
                default -> throw new IllegalArgumentException(key + " has no token");
            }, Instant.now()));
        return token.value();
    }

    /** Everything the demo tenant holds, and how many tenants there are. */
    private Map<String, String> state() {
        var state = new LinkedHashMap<>(TenantTables.fingerprint(demo.tenantId()));
        try (var connection = TestDatabase.shared().connectAsSuperuser(); var statement = connection.createStatement();
                var rows = statement.executeQuery("select count(*) from tenants")) {
            rows.next();
            state.put("tenants (all)", rows.getString(1));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return state;
    }

    private static String subject(String token) {
        var payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        var matcher = Pattern.compile("\"sub\"\\s*:\\s*\"([^\"]+)\"").matcher(payload);
        assertThat(matcher.find()).as("sub claim").isTrue();
        return matcher.group(1);
    }

    private static Path repositoryRoot() {
        for (var dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(MATRIX_FILE))) {
                return dir;
            }
        }
        throw new IllegalStateException("No " + MATRIX_FILE + " above " + Path.of("").toAbsolutePath());
    }
}
