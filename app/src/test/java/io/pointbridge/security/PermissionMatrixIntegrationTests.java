package io.pointbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.security.EndpointCalls.Call;
import io.pointbridge.security.PermissionMatrix.Caller;
import io.pointbridge.security.PermissionMatrix.Endpoint;
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
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
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
 * way (404, as for an unknown id), and so is a member's call on another person's membership. The member calls
 * the {@code /api/v1/me} rows with their own memberships. The matrix must list exactly the endpoints the
 * application serves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PermissionMatrixIntegrationTests extends IntegrationTest {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    private RequestMappingHandlerMapping handlerMappings;

    @Autowired
    private ApiKeys apiKeys;

    @Autowired
    private BrandGrants grants;

    @Autowired
    private Scenes scenes;

    private final KeycloakServer keycloak = KeycloakServer.ensureRunning();
    private final KeycloakRealm realm = new KeycloakRealm(keycloak);
    private final String supportAgent = "matrix-support-" + UUID.randomUUID().toString().substring(0, 8);
    private final String supportPassword = UUID.randomUUID().toString();
    private Group demo;
    private List<UUID> membersOwnMemberships;
    private Callers callers;

    /** One cell: an endpoint, a caller, and what the matrix says (a scope, or denied). */
    record Cell(Endpoint endpoint, Caller caller, String scope) {

        boolean allowed() {
            return PermissionMatrix.allows(scope);
        }

        boolean brandScoped() {
            return scope.startsWith("brand");
        }

        @Override
        public String toString() {
            return endpoint + " as " + caller.column() + ": " + (allowed() ? scope : "denied");
        }
    }

    /**
     * What one call works on, made afresh for every cell, so that no cell depends on another's writes; and the
     * member caller's own memberships (cafe, cinema), which the {@code /api/v1/me} rows name.
     */
    record Scene(Side cafe, Side cinema, UUID absorbedPersonId, List<UUID> membersOwn) {

        /** The same scene with the memberships of other persons (the sides' members) in place of the member's own. */
        Scene withSomeoneElsesMemberships() {
            return new Scene(cafe, cinema, absorbedPersonId, List.of(cafe.memberId(), cinema.memberId()));
        }
    }

    /** A brand with its program, a member holding points, an API key to revoke and an order id. */
    record Side(BrandSetup brand, UUID memberId, UUID personId, String externalId, UUID keyId) {
    }

    @BeforeAll
    void demoGroupWithAGrantedBrandASupportAgentAndAMember() {
        demo = fixtures.organization("demo-group");
        realm.createUser(supportAgent, supportPassword, "support-agent", "demo-group");
        var member = scenes.member(demo, realm);
        membersOwnMemberships = member.memberships().stream().map(Membership::id).toList();
        callers = new Callers(new Api("http://localhost:" + port), demo.cafe().apiKey())
            .withSupportAgent(supportAgent, supportPassword).withMember(member.username(), member.password());
        var linked = callers.client(Caller.MEMBER).get("/api/v1/me");
        assertThat(linked.status()).as("the member's sign-in linked by its verified email: %s", linked.body()).isEqualTo(200);
        var manager = callers.subject(Caller.BRAND_MANAGER);
        TenantContext.runAs(demo.tenantId(), () -> grants.grant(manager, demo.cafe().brand().id(), "test:matrix", null));
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
        PermissionMatrix.rows().keySet().forEach(endpoint -> listed.add(endpoint.toString()));

        assertThat(served).as("endpoints served under /api/").isNotEmpty();
        assertThat(listed).as("rows of " + PermissionMatrix.FILE).isEqualTo(served);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void enforcesTheCell(Cell cell) {
        var call = call(cell.endpoint(), scene(), Scene::cafe);
        var before = cell.endpoint().writes() ? state() : null;

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
        var before = cell.endpoint().writes() ? state() : null;

        var response = send(cell.caller(), call);

        assertThat(response.status()).as("%s → %s", cell, response.body()).isIn(403, 404);
        if (before != null) {
            assertThat(state()).as("%s changed nothing", cell).isEqualTo(before);
        }
    }

    /** A member aims an allowed call at another person's membership of the same tenant: refused as unknown. */
    @ParameterizedTest(name = "{0}, on another person's membership")
    @MethodSource("ownScopedCells")
    void refusesAnOwnScopedCellOnAnotherPersonsMembership(Cell cell) {
        var call = call(cell.endpoint(), scene().withSomeoneElsesMemberships(), Scene::cafe);
        var before = cell.endpoint().writes() ? state() : null;

        var response = send(cell.caller(), call);

        assertThat(response.status()).as("%s → %s", cell, response.body()).isEqualTo(404);
        if (before != null) {
            assertThat(state()).as("%s changed nothing", cell).isEqualTo(before);
        }
    }

    Stream<Cell> cells() {
        return PermissionMatrix.rows().entrySet().stream().flatMap(row -> row.getValue().entrySet().stream()
            .map(cell -> new Cell(row.getKey(), cell.getKey(), cell.getValue())));
    }

    /** The allowed brand-scoped cells whose call names a brand (in its path, query or body), so another brand can be named. */
    Stream<Cell> brandScopedCells() {
        return cells().filter(cell -> cell.allowed() && cell.brandScoped()).filter(cell -> namesABrand(cell.endpoint()));
    }

    /** The allowed own-scoped cells (a member's) whose call names a membership, so another person's can be named. */
    Stream<Cell> ownScopedCells() {
        return cells().filter(cell -> cell.allowed() && cell.scope().startsWith("own"))
            .filter(cell -> namesAMembership(cell.endpoint()));
    }

    private static boolean namesAMembership(Endpoint endpoint) {
        var named = EnumSet.noneOf(IdKind.class);
        EndpointCalls.call(endpoint, kind -> {
            named.add(kind);
            return kind == IdKind.JOB ? "pending-release" : kind.unknown();
        });
        return named.contains(IdKind.MEMBER);
    }

    private static boolean namesABrand(Endpoint endpoint) {
        return Stream.of("{brandId}", "{programId}", "{memberId}", "{keyId}").anyMatch(endpoint.path()::contains)
            || endpoint.path().equals("/api/v1/members") || endpoint.path().endsWith("/settlement/statement");
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

    /**
     * The call of an endpoint on one side of the scene, with a body it accepts when allowed; the {@code /api/v1/me}
     * rows name the member's own memberships. Ids of kinds the scene does not make name nothing: the matrix is about
     * who may call, not about what the call finds.
     */
    private static Call call(Endpoint endpoint, Scene scene, Function<Scene, Side> pick) {
        var side = pick.apply(scene);
        if (endpoint.path().startsWith("/api/v1/me/") || endpoint.path().equals("/api/v1/me")) {
            return EndpointCalls.call(endpoint, kind -> switch (kind) {
                case MEMBER -> scene.membersOwn().get(0).toString();
                case OTHER_MEMBER -> scene.membersOwn().get(1).toString();
                default -> kind.unknown();
            });
        }
        return EndpointCalls.call(endpoint, kind -> switch (kind) {
            case BRAND -> side.brand().brand().id().toString();
            case PROGRAM -> side.brand().program().id().toString();
            case MEMBER -> side.memberId().toString();
            case EXTERNAL_ID -> side.externalId();
            case KEY -> side.keyId().toString();
            case PERSON -> scene.cafe().personId().toString();
            case ABSORBED_PERSON -> scene.absorbedPersonId().toString();
            case OTHER_PROGRAM -> scene.cinema().brand().program().id().toString();
            case OTHER_MEMBER -> scene.cinema().memberId().toString();
            case JOB -> "pending-release";
            default -> kind.unknown();
        });
    }

    private Response send(Caller caller, Call call) {
        var response = EndpointCalls.send(callers.client(caller), call);
        if (caller == Caller.OPERATOR && response.status() == 201 && call.path().equals("/api/v1/tenants")) {
            realm.removesAfterwards(response.text("slug"));
        }
        if (response.status() == 202 && call.path().startsWith("/api/v1/points-jobs/")) {
            awaitFinished(callers.client(caller), response.headers().firstValue("Location").orElseThrow());
        }
        return response;
    }

    /** Waits for a points job run an allowed cell started, so that it changes nothing while a later cell compares. */
    private static void awaitFinished(Api client, String run) {
        var deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!client.get(run).json().hasNonNull("finishedAt")) {
            assertThat(Instant.now()).as("%s finished", run).isBefore(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
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
}
