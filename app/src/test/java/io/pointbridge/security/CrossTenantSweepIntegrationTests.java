package io.pointbridge.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.pointbridge.security.ForeignIdVerdict.Swap;
import io.pointbridge.security.PermissionMatrix.Caller;
import io.pointbridge.security.PermissionMatrix.Endpoint;
import io.pointbridge.tenancy.TenantTables;
import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.access.BrandGrants;
import io.pointbridge.testing.Api;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.KeycloakRealm;
import io.pointbridge.testing.KeycloakServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every endpoint of {@code docs/permissions.md}, called by tenant A's callers (its admin always; its brand manager,
 * its brand's integration and its member where the matrix lets them call) with tenant B's ids: each id the call
 * names, in its path, query or body, is swapped for B's id of the same kind, one at a time and all at once. Tenant
 * B has an object of every kind, a sign-in linked to one of its persons among them. A's member names their own
 * memberships, quotes and transfers, and B's in their place. Each such call must be answered exactly as the same
 * call naming ids that exist nowhere (see {@link ForeignIdVerdict}), while the call naming A's own ids is answered
 * 2xx, so that the refusal is the other tenant's id's doing; no answer shows one of B's ids, and nothing of B
 * changes. A sign-in's subject, which the API takes whatever it is ({@link IdKind#answeredAsUnknown()}), must be
 * answered as one never seen, accepted or not. An endpoint whose path names a kind of id {@link IdKind} does not
 * know fails here until the sweep can fill it, and so does a query parameter or body field that the API document
 * says takes a UUID and that the endpoint's call does not fill by kind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossTenantSweepIntegrationTests extends IntegrationTest {

    private static final List<Caller> CALLERS = List.of(Caller.TENANT_ADMIN, Caller.BRAND_MANAGER, Caller.INTEGRATION,
        Caller.MEMBER);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private Scenes scenes;

    @Autowired
    private BrandGrants grants;

    private final KeycloakRealm realm = new KeycloakRealm(KeycloakServer.ensureRunning());
    private Group a;
    private Group b;
    private Scenes.Member member;
    private Scene theirs;
    private Set<String> theirIds;
    private Map<String, String> theirRows;
    private Callers callers;
    private ApiDocument document;

    /** What the call naming A's own ids needs beyond its ids to be answered 2xx. */
    private final Map<String, Consumer<Scene>> needs = Map.of(
        "POST /api/v1/programs/{programId}/rules/publish", scene -> scene.of(IdKind.RULE),
        "GET /api/v1/members/{memberId}/referral", scene -> scenes.referred(scene));

    @BeforeAll
    void tenantBWithEveryKindOfObjectAndTenantAsCallers() {
        a = fixtures.organization("demo-group");
        b = fixtures.group();
        theirs = scenes.of(b).everyKind();
        theirIds = new LinkedHashSet<>(theirs.ids().values());
        theirIds.remove(theirs.of(IdKind.JOB));
        theirIds.addAll(List.of(b.slug(), b.cinema().brand().id().toString()));
        var base = new Api("http://localhost:" + port);
        member = scenes.member(a, realm);
        callers = new Callers(base, a.cafe().apiKey()).withMember(member.username(), member.password());
        document = ApiDocument.of(base);
        var manager = callers.subject(Caller.BRAND_MANAGER);
        TenantContext.runAs(a.tenantId(), () -> grants.grant(manager, a.cafe().brand().id(), "test:sweep", null));
        theirRows = TenantTables.fingerprint(b.tenantId());
    }

    @AfterAll
    void removeTheMemberFromKeycloak() {
        realm.close();
    }

    @TestFactory
    Stream<DynamicTest> sweep() {
        var filled = dynamicTest("every id the API document has a query or body take is one the sweep fills", () ->
            assertThat(PermissionMatrix.rows().keySet().stream().flatMap(this::idsNotFilled)).isEmpty());
        var endpoints = PermissionMatrix.rows().entrySet().stream()
            .map(row -> dynamicTest(row.getKey().toString(), () -> sweep(row.getKey(), row.getValue())));
        var unchanged = dynamicTest("nothing of tenant B changed", () ->
            assertThat(TenantTables.fingerprint(b.tenantId())).as("every row of tenant B").isEqualTo(theirRows));
        return Stream.of(Stream.of(filled), endpoints, Stream.of(unchanged)).flatMap(tests -> tests);
    }

    private void sweep(Endpoint endpoint, Map<Caller, String> scopes) {
        var faults = new ArrayList<String>();
        for (var caller : CALLERS) {
            var allowed = PermissionMatrix.allows(scopes.get(caller));
            if (allowed || caller == Caller.TENANT_ADMIN) {
                sweep(endpoint, caller, allowed).forEach(fault -> faults.add(caller.column() + ": " + fault));
            }
        }
        if (endpoint.writes()) {
            assertThat(TenantTables.fingerprint(b.tenantId())).as("tenant B's rows after %s", endpoint)
                .isEqualTo(theirRows);
        }
        assertThat(faults).as("answers to tenant A's callers naming tenant B's ids").isEmpty();
    }

    private List<String> sweep(Endpoint endpoint, Caller caller, boolean allowed) {
        var ours = caller == Caller.MEMBER ? scenes.of(a, member) : scenes.of(a);
        var named = new LinkedHashSet<IdKind>();
        EndpointCalls.call(endpoint, kind -> {
            named.add(kind);
            return ours.of(kind);
        });
        var swappable = named.stream().filter(IdKind::tenantOwned).toList();
        if (swappable.isEmpty() && endpoint.writes()) {
            return List.of();
        }
        var inPath = IdKind.inPath(endpoint);
        var client = callers.client(caller);
        var faults = new ArrayList<String>();
        for (var swapped : variants(swappable)) {
            var unknown = new EnumMap<IdKind, String>(IdKind.class);
            swapped.forEach(kind -> unknown.put(kind, kind.unknown()));
            var unique = UUID.randomUUID().toString().substring(0, 8);
            var foreignCall = EndpointCalls.call(endpoint,
                kind -> swapped.contains(kind) ? theirs.of(kind) : ours.of(kind), unique);
            var unknownCall = EndpointCalls.call(endpoint, kind -> swapped.contains(kind) ? unknown.get(kind)
                : ours.of(kind), unique);
            var swaps = swapped.stream().map(kind -> new Swap(kind, theirs.of(kind), unknown.get(kind))).toList();
            ForeignIdVerdict.faults(foreignCall, EndpointCalls.send(client, foreignCall),
                    EndpointCalls.send(client, unknownCall), swaps,
                    swapped.stream().filter(kind -> !kind.answeredAsUnknown()).anyMatch(inPath::contains),
                    allowed ? 404 : 403, theirIds)
                .forEach(fault -> faults.add(foreignCall + " naming B's " + swapped + ": " + fault));
        }
        if (allowed) {
            needs.getOrDefault(endpoint.toString(), scene -> { }).accept(ours);
            var own = EndpointCalls.call(endpoint, ours);
            var answer = EndpointCalls.send(client, own);
            if (answer.status() >= 300) {
                faults.add(own + " naming A's own ids was refused, so the refusals above prove nothing: "
                    + answer.status() + " " + answer.body());
            }
            ForeignIdVerdict.leaks(own, answer, theirIds).forEach(leak -> faults.add(own + ": " + leak));
        }
        return faults;
    }

    /**
     * The query parameters and body fields of the endpoint that the API document says take a UUID, but that the
     * endpoint's call does not fill with an id of a kind: a new one, which the sweep would leave out.
     */
    private Stream<String> idsNotFilled(Endpoint endpoint) {
        var named = new EnumMap<IdKind, String>(IdKind.class);
        var call = EndpointCalls.call(endpoint, kind -> named.computeIfAbsent(kind,
            unnamed -> unnamed == IdKind.JOB ? "pending-release" : unnamed.unknown()));
        var query = new HashMap<String, String>();
        var raw = URI.create(call.path()).getRawQuery();
        if (raw != null) {
            Arrays.stream(raw.split("&")).map(pair -> pair.split("=", 2))
                .forEach(pair -> query.put(pair[0], pair.length > 1 ? pair[1] : ""));
        }
        var body = call.body() == null ? JSON.createObjectNode() : JSON.valueToTree(call.body());
        var parameters = document.queryParameters(endpoint).stream()
            .filter(parameter -> parameter.format().equals("uuid"))
            .filter(parameter -> !named.containsValue(query.get(parameter.path())))
            .map(parameter -> endpoint + ": query parameter " + parameter.path());
        var fields = document.stringFields(endpoint).stream().filter(field -> field.format().equals("uuid"))
            .filter(field -> !named.containsValue(at(body, field.path())))
            .map(field -> endpoint + ": body field " + field.path());
        return Stream.concat(parameters, fields);
    }

    private static String at(JsonNode body, String path) {
        var node = body;
        for (var part : path.split("\\.")) {
            node = part.endsWith("[]") ? node.path(part.substring(0, part.length() - 2)).path(0) : node.path(part);
        }
        return node.isString() ? node.asString() : null;
    }

    /** Each kind on its own, then all of them at once. */
    private static List<List<IdKind>> variants(List<IdKind> kinds) {
        var variants = new ArrayList<List<IdKind>>();
        kinds.forEach(kind -> variants.add(List.of(kind)));
        if (kinds.size() > 1) {
            variants.add(kinds);
        }
        return variants;
    }
}
