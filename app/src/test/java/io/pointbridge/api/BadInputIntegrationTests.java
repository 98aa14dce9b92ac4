package io.pointbridge.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.testing.Api;
import io.pointbridge.testing.Api.Response;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.KeycloakRealm;
import io.pointbridge.testing.KeycloakServer;
import io.pointbridge.testing.TestDatabase;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Bad input to any write endpoint is refused with a 4xx problem of a stable type, and changes nothing. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIntegrationTests extends IntegrationTest {

    private static final String ATTEMPTED_SLUG = "bad-input-group";
    private static final String ATTEMPTED_CUSTOMER = "bad-input-customer";
    private static final int OVER_LIMIT = 70 * 1024;
    private static final List<String> TABLES = List.of("tenants", "brands", "programs", "persons", "memberships",
        "accounts", "journal_entries", "postings", "lots", "lot_movements", "purchases", "refunds",
        "idempotency_records", "api_keys");
    private static final List<String> INTERNALS = List.of("Exception", "\tat ", "java.", "jakarta.", "springframework",
        "tools.jackson", "fasterxml", "SQL", "select ", "insert ", "postgres", "tenant_id");

    private Scene scene;

    /** What the cases aim at. */
    record Scene(UUID tenantId, UUID brandId, String apiKey, UUID memberId, String orderId, UUID spendEntryId) {
    }

    @BeforeAll
    void setUpScene() {
        scene = newScene();
    }

    /** The one tenant the cases accept is onboarded in Keycloak too. */
    @AfterAll
    void removeProvisionedIdentity() {
        new KeycloakRealm(KeycloakServer.ensureRunning()).removesAfterwards(ATTEMPTED_SLUG).close();
    }

    @Test
    void acceptsTheRequestsTheCasesBreak() {
        var fresh = newScene();
        for (var endpoint : Endpoint.writes()) {
            var target = endpoint.target(fresh, api);
            var response = api.send(target.post(target.validJsonText()));
            assertThat(response.status()).as("%s: %s", endpoint, response.body()).isIn(200, 201);
        }
        assertThat(fixtures.violations(fresh.tenantId())).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void refusesWithAStableProblemAndChangesNothing(BadRequest bad) {
        var before = state();

        var response = api.send(bad.request().apply(bad.endpoint().target(scene, api)));

        assertThat(response.status()).as("%s: %s", bad, response.body()).isEqualTo(bad.status());
        assertThat(response.contentType()).as(bad.toString()).startsWith("application/problem+json");
        var problem = response.json();
        assertThat(problem.path("type").asString()).isEqualTo("https://pointbridge.io/problems/" + bad.type());
        assertThat(problem.path("status").asInt()).isEqualTo(bad.status());
        assertThat(response.body()).doesNotContain(INTERNALS);
        if (bad.names() == null) {
            assertThat(problem.has("errors")).as(response.body()).isFalse();
        } else if (bad.status() == 400 && !bad.type().startsWith("idempotency-key")) {
            assertThat(problem.path("errors").valueStream()).as("%s: %s", bad, response.body())
                .isNotEmpty()
                .allSatisfy(error -> assertThat(error.path("message").asString()).isNotBlank())
                .map(error -> error.path("field").asString()).containsOnly(bad.names());
        } else {
            assertThat(Stream.of("field", "header").map(problem::path).filter(JsonNode::isString)
                .map(JsonNode::asString)).as("%s: %s", bad, response.body()).containsExactly(bad.names());
        }
        assertThat(state()).as(bad.toString()).isEqualTo(before);
        assertThat(fixtures.violations(scene.tenantId())).isEmpty();
    }

    /** A brand of demo-group with its program and API key, and a member who earned 100 points and spent 10. */
    private Scene newScene() {
        var http = new Api("http://localhost:" + port);
        var tenantId = DemoGroup.ensureExists(http);
        var admin = http.withToken(KeycloakUsers.demoAdmin());
        var code = "bad-input-" + UUID.randomUUID().toString().substring(0, 8);
        var brandId = created(admin.post("/api/v1/brands", Map.of("code", code, "name", "Bad Input"))).text("id");
        created(admin.post("/api/v1/brands/" + brandId + "/programs", Map.of("code", code + "-points",
            "name", "Bad Input Points", "pointsName", "Points", "purchaseCurrency", "EUR",
            "earnRate", Map.of("points", 1, "perMinorUnits", 100), "expiryMonths", 12)));
        var apiKey = created(admin.post("/api/v1/brands/" + brandId + "/api-keys", Map.of("name", "pos")))
            .text("apiKey");
        var pos = http.withApiKey(apiKey);
        var memberId = created(pos.post("/api/v1/members", Map.of("externalId", "customer-" + code))).text("id");
        created(pos.post("/api/v1/members/" + memberId + "/purchases",
            Map.of("orderId", "order-1", "amount", "100.00", "currency", "EUR")));
        var spend = created(pos.post("/api/v1/members/" + memberId + "/spends", Map.of("points", 10)));
        return new Scene(tenantId, UUID.fromString(brandId), apiKey, UUID.fromString(memberId), "order-1",
            UUID.fromString(spend.text("entryId")));
    }

    Stream<BadRequest> badRequests() {
        var cases = new ArrayList<BadRequest>();
        for (var endpoint : Endpoint.writes()) {
            cases.addAll(malformed(endpoint));
            cases.addAll(outsideTheContract(endpoint));
        }
        cases.addAll(enrolment());
        cases.addAll(purchases());
        cases.addAll(refunds());
        cases.addAll(spends());
        cases.addAll(adjustments());
        cases.addAll(reversals());
        cases.addAll(tenants());
        cases.addAll(brands());
        cases.addAll(programs());
        cases.addAll(apiKeys());
        cases.addAll(reads());
        cases.addAll(paths());
        return cases.stream();
    }

    /** Bodies that are not one JSON object at all. */
    private static List<BadRequest> malformed(Endpoint endpoint) {
        return List.of(
            endpoint.refuses("truncated JSON", raw("{\"a\": "), 400, "malformed-request", null),
            endpoint.refuses("single-quoted JSON", raw("{'a': 1}"), 400, "malformed-request", null),
            endpoint.refuses("a bad literal in a value", t -> t.post("{\"" + t.firstField() + "\": tru}"),
                400, "malformed-request", null),
            endpoint.refuses("trailing garbage", t -> t.post(Api.json(t.validBody()) + " {}"),
                400, "malformed-request", null),
            endpoint.refuses("an empty body", raw(""), 400, "malformed-request", null),
            endpoint.refuses("JSON null", raw("null"), 400, "malformed-request", null),
            endpoint.refuses("a JSON array", raw("[]"), 400, "malformed-request", null),
            endpoint.refuses("a JSON string", raw("\"text\""), 400, "malformed-request", null));
    }

    /** Requests with a valid body broken at the HTTP level: content type, size, method, Idempotency-Key. */
    private static List<BadRequest> outsideTheContract(Endpoint endpoint) {
        var padded = (Function<Target, String>) t -> {
            var body = new LinkedHashMap<>(t.validBody());
            body.put("padding", "x".repeat(OVER_LIMIT));
            return Api.json(body);
        };
        return List.of(
            endpoint.refuses("text/plain", t -> t.send("POST", "text/plain", key(), t.validJson()),
                415, "unsupported-media-type", null),
            endpoint.refuses("no Content-Type", t -> t.send("POST", null, key(), t.validJson()),
                415, "unsupported-media-type", null),
            endpoint.refuses("over 64 KiB with Content-Length", t -> t.send("POST", "application/json", key(),
                BodyPublishers.ofString(padded.apply(t))), 413, "request-too-large", null),
            endpoint.refuses("over 64 KiB chunked", t -> t.send("POST", "application/json", key(),
                    BodyPublishers.fromPublisher(BodyPublishers.ofString(padded.apply(t))))
                .version(HttpClient.Version.HTTP_1_1), 413, "request-too-large", null),
            endpoint.refuses("no Idempotency-Key", t -> t.send("POST", "application/json", null, t.validJson()),
                400, "idempotency-key-missing", "Idempotency-Key"),
            endpoint.refuses("a too short Idempotency-Key",
                t -> t.send("POST", "application/json", "abc", t.validJson()),
                400, "idempotency-key-invalid", "Idempotency-Key"),
            endpoint.refuses("an Idempotency-Key with spaces",
                t -> t.send("POST", "application/json", "key with spaces", t.validJson()),
                400, "idempotency-key-invalid", "Idempotency-Key"),
            endpoint.refuses("an Idempotency-Key of 129 characters",
                t -> t.send("POST", "application/json", "k".repeat(129), t.validJson()),
                400, "idempotency-key-invalid", "Idempotency-Key"),
            endpoint.refuses("PUT", t -> t.send("PUT", "application/json", key(), t.validJson()),
                405, "method-not-allowed", null),
            endpoint.refuses("PATCH", t -> t.send("PATCH", "application/json", key(), t.validJson()),
                405, "method-not-allowed", null));
    }

    private static List<BadRequest> enrolment() {
        var enroll = Endpoint.ENROLL;
        return List.of(
            enroll.refuses("no externalId", without("externalId"), 400, "invalid-request", "externalId"),
            enroll.refuses("a blank externalId", with("externalId", " "), 400, "invalid-request", "externalId"),
            enroll.refuses("an externalId of 129 characters", with("externalId", "c".repeat(129)),
                400, "invalid-request", "externalId"),
            enroll.refuses("an externalId with markup", with("externalId", "<script>"),
                400, "invalid-request", "externalId"),
            enroll.refuses("an object for externalId", with("externalId", Map.of("id", 1)),
                400, "invalid-request", "externalId"),
            enroll.refuses("an array for externalId", with("externalId", List.of("a")),
                400, "invalid-request", "externalId"),
            enroll.refuses("a programId that is no UUID", with("programId", "program-1"),
                400, "invalid-request", "programId"),
            enroll.refuses("an unknown programId", with("programId", UUID.randomUUID().toString()),
                404, "program-not-found", null));
    }

    private static List<BadRequest> purchases() {
        var purchase = Endpoint.PURCHASE;
        var line = Map.of("sku", "sku-1", "quantity", 1, "amount", "10.00");
        return List.of(
            purchase.refuses("no amount", without("amount"), 400, "invalid-request", "amount"),
            purchase.refuses("a string amount", with("amount", "ten"), 400, "invalid-request", "amount"),
            purchase.refuses("an object amount", with("amount", Map.of("value", 10)), 400, "invalid-request", "amount"),
            purchase.refuses("a boolean amount", with("amount", true), 400, "invalid-request", "amount"),
            purchase.refuses("a zero amount", with("amount", 0), 400, "invalid-request", "amount"),
            purchase.refuses("a negative amount", with("amount", new BigDecimal("-10.00")),
                400, "invalid-request", "amount"),
            purchase.refuses("an amount of 1e30", with("amount", new BigDecimal("1e30")),
                400, "invalid-request", "amount"),
            purchase.refuses("an amount of 1e-2147483647", with("amount", "1e-2147483647"),
                400, "amount-too-precise", "amount"),
            purchase.refuses("three decimals for EUR", with("amount", new BigDecimal("10.001")),
                400, "amount-too-precise", "amount"),
            purchase.refuses("three decimals for EUR as a string", with("amount", "10.001"),
                400, "amount-too-precise", "amount"),
            purchase.refuses("no currency", without("currency"), 400, "invalid-request", "currency"),
            purchase.refuses("an unknown currency", with("currency", "XXY"), 400, "unknown-currency", "currency"),
            purchase.refuses("a lower-case currency", with("currency", "eur"), 400, "invalid-request", "currency"),
            purchase.refuses("a numeric currency", with("currency", 978), 400, "invalid-request", "currency"),
            purchase.refuses("another program's currency", with("currency", "USD"),
                422, "currency-mismatch", "currency"),
            purchase.refuses("no orderId", without("orderId"), 400, "invalid-request", "orderId"),
            purchase.refuses("an orderId of 129 characters", with("orderId", "o".repeat(129)),
                400, "invalid-request", "orderId"),
            purchase.refuses("an orderId with spaces", with("orderId", "order 2"), 400, "invalid-request", "orderId"),
            purchase.refuses("an object for orderId", with("orderId", Map.of()), 400, "invalid-request", "orderId"),
            purchase.refuses("an orderId that already earned", with("orderId", "order-1"),
                409, "duplicate-order", "orderId"),
            purchase.refuses("201 lines", with("lines", Collections.nCopies(201, line)),
                400, "invalid-request", "lines"),
            purchase.refuses("lines as a string", with("lines", "sku-1"), 400, "invalid-request", "lines"),
            purchase.refuses("a null line", with("lines", Collections.singletonList(null)),
                400, "invalid-request", "lines[0]"),
            purchase.refuses("a line without quantity", line("quantity", null),
                400, "invalid-request", "lines[0].quantity"),
            purchase.refuses("a line of zero quantity", line("quantity", 0),
                400, "invalid-request", "lines[0].quantity"),
            purchase.refuses("a line of fractional quantity", line("quantity", new BigDecimal("1.5")),
                400, "invalid-request", "lines[0].quantity"),
            purchase.refuses("a line quantity beyond a long", line("quantity", new BigInteger("9223372036854775808")),
                400, "invalid-request", "lines[0].quantity"),
            purchase.refuses("a negative line amount", line("amount", new BigDecimal("-1")),
                400, "invalid-request", "lines[0].amount"),
            purchase.refuses("a line amount of 1e30", line("amount", new BigDecimal("1e30")),
                400, "invalid-request", "lines[0].amount"),
            purchase.refuses("a line amount with three decimals", line("amount", "1.001"),
                400, "amount-too-precise", "lines[0].amount"),
            purchase.refuses("a line sku of 65 characters", line("sku", "s".repeat(65)),
                400, "invalid-request", "lines[0].sku"),
            purchase.refuses("a NUL character in a line sku", line("sku", "sku\u0000"),
                400, "invalid-request", "lines[0].sku"),
            purchase.refuses("a line category of 65 characters", line("category", "c".repeat(65)),
                400, "invalid-request", "lines[0].category"));
    }

    private static List<BadRequest> refunds() {
        var refund = Endpoint.REFUND;
        return List.of(
            refund.refuses("no amount", without("amount"), 400, "invalid-request", "amount"),
            refund.refuses("a string amount", with("amount", "one"), 400, "invalid-request", "amount"),
            refund.refuses("a zero amount", with("amount", "0.00"), 400, "invalid-request", "amount"),
            refund.refuses("a negative amount", with("amount", new BigDecimal("-1")), 400, "invalid-request", "amount"),
            refund.refuses("an amount of 1e30", with("amount", new BigDecimal("1e30")),
                400, "invalid-request", "amount"),
            refund.refuses("three decimals for EUR", with("amount", "0.001"), 400, "amount-too-precise", "amount"),
            refund.refuses("more than was bought", with("amount", "100.01"), 422, "refund-exceeds-purchase", "amount"),
            refund.refuses("an unknown currency", with("currency", "XXY"), 400, "unknown-currency", "currency"),
            refund.refuses("a lower-case currency", with("currency", "eur"), 400, "invalid-request", "currency"),
            refund.refuses("another currency than the purchase's", with("currency", "USD"),
                422, "currency-mismatch", "currency"),
            refund.refuses("a reference of 129 characters", with("reference", "r".repeat(129)),
                400, "invalid-request", "reference"),
            refund.refuses("an order id with spaces in the path",
                at(s -> "/api/v1/members/" + s.memberId() + "/purchases/order%201/refunds"),
                400, "invalid-request", "orderId"),
            refund.refuses("an unknown order",
                at(s -> "/api/v1/members/" + s.memberId() + "/purchases/order-9/refunds"),
                404, "purchase-not-found", null),
            refund.refuses("a member id that is no UUID", at(s -> "/api/v1/members/42/purchases/order-1/refunds"),
                400, "invalid-request", "memberId"));
    }

    private static List<BadRequest> spends() {
        var spend = Endpoint.SPEND;
        return List.of(
            spend.refuses("no points", without("points"), 400, "invalid-request", "points"),
            spend.refuses("string points", with("points", "five"), 400, "invalid-request", "points"),
            spend.refuses("an object for points", with("points", Map.of("value", 5)), 400, "invalid-request", "points"),
            spend.refuses("boolean points", with("points", true), 400, "invalid-request", "points"),
            spend.refuses("zero points", with("points", 0), 400, "invalid-request", "points"),
            spend.refuses("negative points", with("points", -5), 400, "invalid-request", "points"),
            spend.refuses("fractional points", with("points", new BigDecimal("1.5")), 400, "invalid-request", "points"),
            spend.refuses("points of 1e30", with("points", new BigDecimal("1e30")), 400, "invalid-request", "points"),
            spend.refuses("points of Long.MAX_VALUE", with("points", Long.MAX_VALUE), 400, "invalid-request", "points"),
            spend.refuses("points of Long.MAX_VALUE + 1", with("points", new BigInteger("9223372036854775808")),
                400, "invalid-request", "points"),
            spend.refuses("more points than available", with("points", 91), 422, "insufficient-points", null),
            spend.refuses("a reference of 129 characters", with("reference", "r".repeat(129)),
                400, "invalid-request", "reference"),
            spend.refuses("a description of 501 characters", with("description", "d".repeat(501)),
                400, "invalid-request", "description"),
            spend.refuses("a member id that is no UUID", at(s -> "/api/v1/members/not-a-uuid/spends"),
                400, "invalid-request", "memberId"),
            spend.refuses("an unknown member", at(s -> "/api/v1/members/" + UUID.randomUUID() + "/spends"),
                404, "member-not-found", null));
    }

    private static List<BadRequest> adjustments() {
        var adjust = Endpoint.ADJUSTMENT;
        return List.of(
            adjust.refuses("no points", without("points"), 400, "invalid-request", "points"),
            adjust.refuses("zero points", with("points", 0), 400, "invalid-request", "points"),
            adjust.refuses("string points", with("points", "5 points"), 400, "invalid-request", "points"),
            adjust.refuses("points over a billion", with("points", 1_000_000_001L), 400, "invalid-request", "points"),
            adjust.refuses("points under minus a billion", with("points", -1_000_000_001L),
                400, "invalid-request", "points"),
            adjust.refuses("points of Long.MIN_VALUE - 1", with("points", new BigInteger("-9223372036854775809")),
                400, "invalid-request", "points"),
            adjust.refuses("points of -1e30", with("points", new BigDecimal("-1e30")),
                400, "invalid-request", "points"),
            adjust.refuses("a debit beyond the balance", with("points", -91), 422, "insufficient-points", null),
            adjust.refuses("no reason", without("reason"), 400, "invalid-request", "reason"),
            adjust.refuses("a blank reason", with("reason", "  "), 400, "invalid-request", "reason"),
            adjust.refuses("a reason of 501 characters", with("reason", "r".repeat(501)),
                400, "invalid-request", "reason"),
            adjust.refuses("an object for reason", with("reason", Map.of("text", "x")),
                400, "invalid-request", "reason"),
            adjust.refuses("a NUL character in the reason", with("reason", "good\u0000will"),
                400, "invalid-request", "reason"),
            adjust.refuses("a member id that is no UUID", at(s -> "/api/v1/members/x/adjustments"),
                400, "invalid-request", "memberId"));
    }

    private static List<BadRequest> reversals() {
        var reverse = Endpoint.REVERSAL;
        return List.of(
            reverse.refuses("no reason", without("reason"), 400, "invalid-request", "reason"),
            reverse.refuses("a reason of 501 characters", with("reason", "r".repeat(501)),
                400, "invalid-request", "reason"),
            reverse.refuses("a number for reason", with("reason", List.of(1)), 400, "invalid-request", "reason"),
            reverse.refuses("an entry id that is no UUID",
                at(s -> "/api/v1/members/" + s.memberId() + "/entries/entry-1/reversal"),
                400, "invalid-request", "entryId"),
            reverse.refuses("an unknown entry",
                at(s -> "/api/v1/members/" + s.memberId() + "/entries/" + UUID.randomUUID() + "/reversal"),
                404, "entry-not-found", null));
    }

    private static List<BadRequest> tenants() {
        var create = Endpoint.CREATE_TENANT;
        return List.of(
            create.refuses("no slug", without("slug"), 400, "invalid-request", "slug"),
            create.refuses("an upper-case slug", with("slug", "Bad-Input"), 400, "invalid-request", "slug"),
            create.refuses("a slug of 64 characters", with("slug", "s".repeat(64)), 400, "invalid-request", "slug"),
            create.refuses("an object for slug", with("slug", Map.of()), 400, "invalid-request", "slug"),
            create.refuses("no name", without("name"), 400, "invalid-request", "name"),
            create.refuses("a name of 201 characters", with("name", "n".repeat(201)), 400, "invalid-request", "name"),
            create.refuses("an unknown currency", with("settlementCurrency", "XXY"),
                400, "unknown-currency", "settlementCurrency"),
            create.refuses("a lower-case currency", with("settlementCurrency", "eur"),
                400, "invalid-request", "settlementCurrency"),
            create.refuses("a taken slug", with("slug", KeycloakUsers.DEMO_GROUP), 409, "tenant-slug-taken", "slug"),
            create.refuses("no admin", without("admin"), 400, "invalid-request", "admin"),
            create.refuses("an admin email without a domain", with("admin", Map.of("email", "dana@localhost",
                "firstName", "Dana", "lastName", "Admin")), 400, "invalid-request", "admin.email"),
            create.refuses("an admin without a first name", with("admin", Map.of("email", "dana@example.com",
                "firstName", " ", "lastName", "Admin")), 400, "invalid-request", "admin.firstName"),
            create.refuses("an admin first name the identity provider refuses", with("admin", Map.of(
                "email", "dana@example.com", "firstName", "<Dana>", "lastName", "Admin")), 400, "invalid-request",
                "admin.firstName"),
            create.refuses("an admin last name the identity provider refuses", with("admin", Map.of(
                "email", "dana@example.com", "firstName", "Dana", "lastName", "Admin {it}")), 400, "invalid-request",
                "admin.lastName"),
            create.refuses("a string for admin", with("admin", "dana@example.com"), 400, "invalid-request", "admin"));
    }

    private static List<BadRequest> brands() {
        var create = Endpoint.CREATE_BRAND;
        return List.of(
            create.refuses("no code", without("code"), 400, "invalid-request", "code"),
            create.refuses("a code with spaces", with("code", "bad brand"), 400, "invalid-request", "code"),
            create.refuses("a code of 64 characters", with("code", "c".repeat(64)), 400, "invalid-request", "code"),
            create.refuses("a number for code", with("code", List.of()), 400, "invalid-request", "code"),
            create.refuses("no name", without("name"), 400, "invalid-request", "name"),
            create.refuses("a name of 201 characters", with("name", "n".repeat(201)), 400, "invalid-request", "name"),
            create.refuses("an object for name", with("name", Map.of("en", "Brand")), 400, "invalid-request", "name"),
            create.refuses("a NUL character in the name", with("name", "Br\u0000and"), 400, "invalid-request", "name"),
            create.refuses("half a surrogate pair in the name",
                raw("{\"code\": \"bad-input-brand\", \"name\": \"Br\\ud800and\"}"), 400, "invalid-request", "name"),
            create.refuses("XML accepted only", t -> t.post("{").header("Accept", "application/xml"),
                400, "malformed-request", null));
    }

    private static List<BadRequest> programs() {
        var create = Endpoint.CREATE_PROGRAM;
        return List.of(
            create.refuses("no code", without("code"), 400, "invalid-request", "code"),
            create.refuses("an upper-case code", with("code", "POINTS"), 400, "invalid-request", "code"),
            create.refuses("a name of 201 characters", with("name", "n".repeat(201)), 400, "invalid-request", "name"),
            create.refuses("a points name of 101 characters", with("pointsName", "p".repeat(101)),
                400, "invalid-request", "pointsName"),
            create.refuses("an unknown currency", with("purchaseCurrency", "XXY"),
                400, "unknown-currency", "purchaseCurrency"),
            create.refuses("a lower-case currency", with("purchaseCurrency", "eur"),
                400, "invalid-request", "purchaseCurrency"),
            create.refuses("no earn rate", without("earnRate"), 400, "invalid-request", "earnRate"),
            create.refuses("a string earn rate", with("earnRate", "1 per EUR"), 400, "invalid-request", "earnRate"),
            create.refuses("negative earn points", with("earnRate", Map.of("points", -1, "perMinorUnits", 100)),
                400, "invalid-request", "earnRate.points"),
            create.refuses("earning per zero minor units", with("earnRate", Map.of("points", 1, "perMinorUnits", 0)),
                400, "invalid-request", "earnRate.perMinorUnits"),
            create.refuses("earn points of 1e30",
                with("earnRate", Map.of("points", new BigDecimal("1e30"), "perMinorUnits", 100)),
                400, "invalid-request", "earnRate.points"),
            create.refuses("a string for perMinorUnits", with("earnRate", Map.of("points", 1, "perMinorUnits", "cent")),
                400, "invalid-request", "earnRate.perMinorUnits"),
            create.refuses("expiry after zero months", with("expiryMonths", 0), 400, "invalid-request", "expiryMonths"),
            create.refuses("expiry after 121 months", with("expiryMonths", 121),
                400, "invalid-request", "expiryMonths"),
            create.refuses("a brand id that is no UUID", at(s -> "/api/v1/brands/cafe/programs"),
                400, "invalid-request", "brandId"),
            create.refuses("an unknown brand", at(s -> "/api/v1/brands/" + UUID.randomUUID() + "/programs"),
                404, "brand-not-found", null));
    }

    private static List<BadRequest> apiKeys() {
        var issue = Endpoint.ISSUE_API_KEY;
        return List.of(
            issue.refuses("no name", without("name"), 400, "invalid-request", "name"),
            issue.refuses("a blank name", with("name", ""), 400, "invalid-request", "name"),
            issue.refuses("a name of 101 characters", with("name", "n".repeat(101)), 400, "invalid-request", "name"),
            issue.refuses("an object for name", with("name", Map.of()), 400, "invalid-request", "name"),
            issue.refuses("a brand id that is no UUID", at(s -> "/api/v1/brands/1/api-keys"),
                400, "invalid-request", "brandId"),
            issue.refuses("an unknown brand", at(s -> "/api/v1/brands/" + UUID.randomUUID() + "/api-keys"),
                404, "brand-not-found", null));
    }

    private static List<BadRequest> reads() {
        var read = Endpoint.HISTORY;
        var lookup = Endpoint.LOOKUP;
        return List.of(
            read.refuses("a cursor that is not base64", query("cursor=!!!"), 400, "invalid-cursor", "cursor"),
            read.refuses("a cursor it did not hand out", query("cursor=aDE6eA"), 400, "invalid-cursor", "cursor"),
            read.refuses("a cursor of another format", query("cursor=eDE6MQ"), 400, "invalid-cursor", "cursor"),
            read.refuses("a cursor of 65 characters", query("cursor=" + "a".repeat(65)),
                400, "invalid-request", "cursor"),
            read.refuses("a limit of 0", query("limit=0"), 400, "invalid-request", "limit"),
            read.refuses("a negative limit", query("limit=-1"), 400, "invalid-request", "limit"),
            read.refuses("a limit of 1000", query("limit=1000"), 400, "invalid-request", "limit"),
            read.refuses("a limit that is no number", query("limit=ten"), 400, "invalid-request", "limit"),
            read.refuses("a limit beyond an int", query("limit=9223372036854775808"), 400, "invalid-request", "limit"),
            read.refuses("a member id that is no UUID", t -> t.caller().builder("/api/v1/members/me/history").GET(),
                400, "invalid-request", "memberId"),
            lookup.refuses("an externalId with a NUL character", query("externalId=customer%00"),
                400, "invalid-request", "externalId"),
            lookup.refuses("an externalId of 129 characters", query("externalId=" + "c".repeat(129)),
                400, "invalid-request", "externalId"),
            lookup.refuses("a programId that is no UUID", query("externalId=customer-1&programId=p-1"),
                400, "invalid-request", "programId"));
    }

    private static List<BadRequest> paths() {
        var spend = Endpoint.SPEND;
        return List.of(
            spend.refuses("an unknown path", at(s -> "/api/v1/members/" + s.memberId() + "/spendings"),
                404, "not-found", null),
            spend.refuses("an unknown top-level path", at(s -> "/api/v1/spends"), 404, "not-found", null),
            spend.refuses("an unknown API version", at(s -> "/api/v2/members/" + s.memberId() + "/spends"),
                404, "not-found", null),
            spend.refuses("DELETE", t -> t.send("DELETE", null, key(), BodyPublishers.noBody()),
                405, "method-not-allowed", null));
    }

    /** The state a refused request must leave as it was: every table's rows, and the member's points. */
    private Map<String, Object> state() {
        var state = new LinkedHashMap<String, Object>();
        try (var connection = TestDatabase.shared().connectAsSuperuser();
                var statement = connection.createStatement()) {
            for (var table : TABLES) {
                try (var rows = statement.executeQuery("select count(*) from " + table)) {
                    rows.next();
                    state.put(table, rows.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        var pos = api.withApiKey(scene.apiKey());
        state.put("balance", pos.get("/api/v1/members/" + scene.memberId() + "/balance").body());
        state.put("history", pos.get("/api/v1/members/" + scene.memberId() + "/history?limit=100").body());
        return state;
    }

    private static Response created(Response response) {
        assertThat(response.status()).as(response.body()).isIn(200, 201);
        return response;
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }

    private static Function<Target, HttpRequest.Builder> raw(String body) {
        return t -> t.post(body);
    }

    private static Function<Target, HttpRequest.Builder> with(String field, @Nullable Object value) {
        return body(body -> {
            body.put(field, value);
            return body;
        });
    }

    private static Function<Target, HttpRequest.Builder> without(String field) {
        return body(body -> {
            body.remove(field);
            return body;
        });
    }

    /** The valid body with one field of its one purchase line changed. */
    private static Function<Target, HttpRequest.Builder> line(String field, @Nullable Object value) {
        var line = new LinkedHashMap<String, Object>(Map.of("sku", "sku-1", "category", "food", "quantity", 1,
            "amount", "10.00"));
        line.put(field, value);
        return with("lines", List.of(line));
    }

    private static Function<Target, HttpRequest.Builder> body(UnaryOperator<Map<String, Object>> change) {
        return t -> t.post(Api.json(change.apply(new LinkedHashMap<>(t.validBody()))));
    }

    /** The valid request, sent to another path. */
    private static Function<Target, HttpRequest.Builder> at(Function<Scene, String> path) {
        return t -> new Target(t.scene(), t.caller(), path.apply(t.scene()), t.validBody()).post(t.validJsonText());
    }

    private static Function<Target, HttpRequest.Builder> query(String query) {
        return t -> t.caller().builder(t.path() + "?" + query).GET();
    }

    /** A request to an endpoint of the scene, made as the caller that may use it. */
    record Target(Scene scene, Api caller, String path, Map<String, Object> validBody) {

        String firstField() {
            return validBody.keySet().iterator().next();
        }

        String validJsonText() {
            return Api.json(validBody);
        }

        BodyPublisher validJson() {
            return BodyPublishers.ofString(validJsonText());
        }

        HttpRequest.Builder post(String json) {
            return send("POST", "application/json", key(), BodyPublishers.ofString(json));
        }

        HttpRequest.Builder send(String method, @Nullable String contentType, @Nullable String key,
                BodyPublisher body) {
            var builder = caller.builder(path).method(method, body);
            if (contentType != null) {
                builder.header("Content-Type", contentType);
            }
            if (key != null) {
                builder.header("Idempotency-Key", key);
            }
            return builder;
        }
    }

    /**
     * A bad request to one endpoint and the problem it must be refused with. {@code names} is the field or
     * header at fault: invalid input (400) lists it in {@code errors}, other problems in {@code field} or
     * {@code header}.
     */
    record BadRequest(Endpoint endpoint, String what, Function<Target, HttpRequest.Builder> request, int status,
            String type, @Nullable String names) {

        @Override
        public String toString() {
            return endpoint.name().toLowerCase().replace('_', ' ') + " with " + what + " → " + status + " " + type;
        }
    }

    private enum Role {
        INTEGRATION, TENANT_ADMIN, PLATFORM_OPERATOR
    }

    /** The write endpoints, each with a body it would accept, and the reads that take parameters. */
    enum Endpoint {
        ENROLL(Role.INTEGRATION, s -> "/api/v1/members", s -> Map.of("externalId", ATTEMPTED_CUSTOMER)),
        PURCHASE(Role.INTEGRATION, s -> "/api/v1/members/" + s.memberId() + "/purchases", s -> Map.of(
            "orderId", "order-2", "amount", "10.00", "currency", "EUR",
            "lines", List.of(Map.of("sku", "sku-1", "category", "food", "quantity", 1, "amount", "10.00")))),
        REFUND(Role.INTEGRATION, s -> "/api/v1/members/" + s.memberId() + "/purchases/" + s.orderId() + "/refunds",
            s -> Map.of("amount", "1.00", "currency", "EUR", "reference", "refund-1")),
        SPEND(Role.INTEGRATION, s -> "/api/v1/members/" + s.memberId() + "/spends",
            s -> Map.of("points", 5, "reference", "till-1", "description", "coffee")),
        ADJUSTMENT(Role.TENANT_ADMIN, s -> "/api/v1/members/" + s.memberId() + "/adjustments",
            s -> Map.of("points", 5, "reason", "goodwill")),
        REVERSAL(Role.TENANT_ADMIN,
            s -> "/api/v1/members/" + s.memberId() + "/entries/" + s.spendEntryId() + "/reversal",
            s -> Map.of("reason", "posted by mistake")),
        CREATE_TENANT(Role.PLATFORM_OPERATOR, s -> "/api/v1/tenants",
            s -> KeycloakRealm.newTenant(ATTEMPTED_SLUG, "Bad Input Group")),
        CREATE_BRAND(Role.TENANT_ADMIN, s -> "/api/v1/brands", s -> Map.of("code", "bad-input-brand", "name", "Brand")),
        CREATE_PROGRAM(Role.TENANT_ADMIN, s -> "/api/v1/brands/" + s.brandId() + "/programs", s -> Map.of(
            "code", "bad-input-program", "name", "Program", "pointsName", "Points", "purchaseCurrency", "EUR",
            "earnRate", Map.of("points", 1, "perMinorUnits", 100), "expiryMonths", 12)),
        ISSUE_API_KEY(Role.TENANT_ADMIN, s -> "/api/v1/brands/" + s.brandId() + "/api-keys",
            s -> Map.of("name", "bad input key")),
        HISTORY(Role.INTEGRATION, s -> "/api/v1/members/" + s.memberId() + "/history", s -> Map.of()),
        LOOKUP(Role.INTEGRATION, s -> "/api/v1/members", s -> Map.of());

        private final Role role;
        private final Function<Scene, String> path;
        private final Function<Scene, Map<String, Object>> validBody;

        Endpoint(Role role, Function<Scene, String> path, Function<Scene, Map<String, Object>> validBody) {
            this.role = role;
            this.path = path;
            this.validBody = validBody;
        }

        static Endpoint[] writes() {
            return EnumSet.complementOf(EnumSet.of(HISTORY, LOOKUP)).toArray(Endpoint[]::new);
        }

        Target target(Scene scene, Api api) {
            var caller = switch (role) {
                case INTEGRATION -> api.withApiKey(scene.apiKey());
                case TENANT_ADMIN -> api.withToken(KeycloakUsers.demoAdmin());
                case PLATFORM_OPERATOR -> api.withToken(KeycloakUsers.operator());
            };
            return new Target(scene, caller, path.apply(scene), validBody.apply(scene));
        }

        BadRequest refuses(String what, Function<Target, HttpRequest.Builder> request, int status, String type,
                @Nullable String names) {
            return new BadRequest(this, what, request, status, type, names);
        }
    }
}
