package io.pointbridge.security;

import static io.pointbridge.security.IdKind.ABSORBED_PERSON;
import static io.pointbridge.security.IdKind.BRAND;
import static io.pointbridge.security.IdKind.EXTERNAL_ID;
import static io.pointbridge.security.IdKind.GRANT_SUBJECT;
import static io.pointbridge.security.IdKind.LOGIN_SUBJECT;
import static io.pointbridge.security.IdKind.MEMBER;
import static io.pointbridge.security.IdKind.OTHER_MEMBER;
import static io.pointbridge.security.IdKind.OTHER_PROGRAM;
import static io.pointbridge.security.IdKind.PERSON;
import static io.pointbridge.security.IdKind.PROGRAM;
import static io.pointbridge.security.IdKind.REFERRAL_CODE;
import static io.pointbridge.security.IdKind.REWARD;

import io.pointbridge.security.PermissionMatrix.Endpoint;
import io.pointbridge.testing.Api;
import io.pointbridge.testing.Api.Response;
import io.pointbridge.testing.KeycloakRealm;
import java.net.URLEncoder;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A call of every endpoint of the permission matrix, with a body it accepts: every field the endpoint takes is
 * given a valid value (optional ones too, so that each can be probed), and the ids it names come from an
 * {@link Ids} source, so that the same call can be made with one tenant's ids, another's, or unknown ones. The
 * {@code /api/v1/me} rows name the member's own memberships, quotes and transfers as {@link IdKind#MEMBER},
 * {@link IdKind#OTHER_MEMBER}, {@link IdKind#QUOTE} and {@link IdKind#TRANSFER}: a member's source gives their own.
 */
public final class EndpointCalls {

    private EndpointCalls() {
    }

    /** Where a call's ids come from, by kind. */
    @FunctionalInterface
    public interface Ids {
        String of(IdKind kind);
    }

    /** A request: method, path with its query string, and a JSON body (or none). */
    public record Call(String method, String path, @Nullable Object body) {

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** The call of the endpoint naming the ids of the source, with a valid body; unique values are fresh on each call. */
    public static Call call(Endpoint endpoint, Ids ids) {
        return call(endpoint, ids, UUID.randomUUID().toString().substring(0, 8));
    }

    /** The call, with {@code unique} in the values that must not repeat (codes, order ids), so that two calls can agree. */
    public static Call call(Endpoint endpoint, Ids ids, String unique) {
        return new Call(endpoint.method(), path(endpoint, ids) + query(endpoint, ids), body(endpoint, ids, unique));
    }

    /** The endpoint's path with every placeholder filled from the source; an unknown placeholder is refused. */
    public static String path(Endpoint endpoint, Ids ids) {
        var path = endpoint.path();
        for (var placeholder : endpoint.placeholders()) {
            path = path.replace("{" + placeholder + "}", encode(ids.of(IdKind.ofPlaceholder(endpoint, placeholder))));
        }
        return path;
    }

    private static String query(Endpoint endpoint, Ids ids) {
        return switch (endpoint.toString()) {
            case "GET /api/v1/members" -> "?externalId=" + encode(ids.of(EXTERNAL_ID)) + "&programId=" + ids.of(PROGRAM);
            case "GET /api/v1/programs" -> "?brandId=" + ids.of(BRAND);
            case "GET /api/v1/rewards" -> "?programId=" + ids.of(PROGRAM) + "&brandId=" + ids.of(BRAND);
            case "GET /api/v1/brand-grants" -> "?subject=" + encode(ids.of(GRANT_SUBJECT));
            case "GET /api/v1/exchange/rates" -> "?sourceProgramId=" + ids.of(PROGRAM) + "&targetProgramId="
                + ids.of(OTHER_PROGRAM) + "&current=false";
            case "GET /api/v1/exchange/settlement/statement" -> "?brandId=" + ids.of(BRAND);
            case "GET /api/v1/exchange/transfers" -> "?memberId=" + ids.of(MEMBER);
            case "GET /api/v1/audit" -> "?subject=" + encode("member:" + ids.of(MEMBER));
            case "GET /api/v1/audit/export" -> "?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z";
            case "GET /api/v1/member-logins" -> "?subject=" + encode(ids.of(LOGIN_SUBJECT)) + "&personId=" + ids.of(PERSON);
            default -> "";
        };
    }

    private static @Nullable Object body(Endpoint endpoint, Ids ids, String unique) {
        return switch (endpoint.toString()) {
            case "POST /api/v1/tenants" -> KeycloakRealm.newTenant("swept-" + unique, "Swept " + unique);
            case "POST /api/v1/brands" -> map("code", "brand-" + unique, "name", "Brand " + unique);
            case "PUT /api/v1/brands/{brandId}" -> map("name", "Brand " + unique);
            case "POST /api/v1/brands/{brandId}/programs" -> map("code", "program-" + unique, "name", "Program " + unique,
                "pointsName", "Points " + unique, "purchaseCurrency", "EUR", "earnRate", earnRate(), "expiryMonths", 12,
                "timeZone", "Europe/Paris");
            case "PUT /api/v1/programs/{programId}" -> map("name", "Cafe Stars", "pointsName", "Cafe Stars",
                "earnRate", earnRate(), "expiryMonths", 12);
            case "POST /api/v1/brands/{brandId}/api-keys" -> map("name", "key " + unique);
            case "POST /api/v1/brand-grants" -> map("subject", "grantee-" + unique, "brandId", ids.of(BRAND));
            case "POST /api/v1/members" -> map("programId", ids.of(PROGRAM), "externalId", "enrolled-" + unique,
                "email", unique + "@enrolled.example", "emailVerified", true, "phone", phone(), "phoneVerified", true,
                "consentToLink", true);
            case "POST /api/v1/members/{memberId}/contacts" -> map("email", unique + "@contact.example",
                "emailVerified", true, "phone", phone(), "phoneVerified", true, "consentToLink", true);
            case "POST /api/v1/members/{memberId}/consents" -> map("purpose", "marketing-email", "granted", true,
                "collectedVia", "pos");
            case "POST /api/v1/members/{memberId}/spends" -> map("points", 1, "reference", "spend-" + unique,
                "description", "a coffee");
            case "POST /api/v1/members/{memberId}/adjustments" -> map("points", 5, "reason", "goodwill");
            case "POST /api/v1/members/{memberId}/entries/{entryId}/reversal" -> map("reason", "posted by mistake");
            case "POST /api/v1/members/{memberId}/purchases" -> map("orderId", "order-" + unique, "amount", "10.00",
                "currency", "EUR", "lines", List.of(map("sku", "sku-1", "category", "food", "quantity", 1,
                    "amount", "10.00")), "channel", "web", "store", "store-1");
            case "POST /api/v1/members/{memberId}/purchases/{orderId}/refunds" -> map("amount", "1.00", "currency", "EUR",
                "reference", "refund-" + unique);
            case "POST /api/v1/persons/{personId}/merge" -> map("absorbedPersonId", ids.of(ABSORBED_PERSON),
                "reason", "same customer, two cards");
            case "PUT /api/v1/members/{memberId}/profile" -> map("givenName", "Ann", "familyName", "Lee",
                "birthday", "1990-05-17");
            case "POST /api/v1/persons/{personId}/erasure" -> map("reason", "ticket 42");
            case "POST /api/v1/privacy/key-rotations" -> map();
            case "PUT /api/v1/privacy/retention" -> map("eraseAfterInactiveMonths", 120);
            case "POST /api/v1/exchange/rates" -> map("sourceProgramId", ids.of(PROGRAM),
                "targetProgramId", ids.of(OTHER_PROGRAM), "sourceUnits", 10, "targetUnits", 7,
                "effectiveTo", "2100-01-01T00:00:00Z", "enabled", true,
                "minimumPoints", 10, "stepPoints", 10, "fee", map("percent", "0", "fixed", 0),
                "caps", map("perMemberPerDay", 100_000), "restrictions", map("convertible", true));
            case "POST /api/v1/exchange/program-values" -> map("programId", ids.of(PROGRAM), "pointValue", "0.01");
            case "POST /api/v1/exchange/quotes" -> map("sourceMemberId", ids.of(MEMBER),
                "targetMemberId", ids.of(OTHER_MEMBER), "points", 10);
            case "POST /api/v1/exchange/transfers/{transferId}/reversal" -> map("reason", "asked by the member");
            case "POST /api/v1/me/exchange/quotes" -> map("sourceMemberId", ids.of(MEMBER),
                "targetMemberId", ids.of(OTHER_MEMBER), "points", 10);
            case "POST /api/v1/member-logins" -> map("subject", "login-" + unique, "personId", ids.of(PERSON),
                "reason", "identity checked by phone");
            case "PUT /api/v1/programs/{programId}/time-zone" -> map("timeZone", "Europe/Paris");
            case "POST /api/v1/programs/{programId}/rules",
                    "POST /api/v1/programs/{programId}/rules/{ruleId}/versions" -> rule(unique);
            case "POST /api/v1/programs/{programId}/rules/publish" -> map();
            case "POST /api/v1/programs/{programId}/rules/dry-run" -> map("event", map("type", "purchase",
                "occurredAt", "2026-06-01T12:00:00Z", "amount", "10.00", "currency", "EUR", "channel", "web",
                "store", "store-1", "reference", "sample-" + unique, "lines", List.of(map("sku", "sku-1",
                    "category", "food", "quantity", 1, "amount", "10.00")), "attributes", map("note", "sample"),
                "firstOrder", false), "member", map("memberId", ids.of(MEMBER), "tier", "gold", "tags", List.of("vip")),
                "ruleSet", "DRAFT");
            case "POST /api/v1/programs/{programId}/rules/backtest" -> map("from", "2026-01-01T00:00:00Z",
                "to", "2026-02-01T00:00:00Z");
            case "POST /api/v1/members/{memberId}/events" -> map("type", "review", "reference", "review-" + unique,
                "attributes", map("rating", 5, "text", "good"));
            case "POST /api/v1/programs/{programId}/rewards" -> map("kind", "VOUCHER", "name", "Free coffee " + unique,
                "description", "One coffee of any size", "pointsCost", 10, "stock", 100, "perMemberLimit", 10,
                "validFrom", "2026-01-01T00:00:00Z", "validUntil", "2100-01-01T00:00:00Z", "couponValidDays", 30,
                "active", true);
            case "PUT /api/v1/rewards/{rewardId}" -> map("name", "Free coffee", "description", "One coffee of any size",
                "pointsCost", 10, "perMemberLimit", 10, "validFrom", "2026-01-01T00:00:00Z",
                "validUntil", "2100-01-01T00:00:00Z", "couponValidDays", 30, "active", true);
            case "POST /api/v1/rewards/{rewardId}/stock" -> map("add", 5);
            case "POST /api/v1/members/{memberId}/redemptions" -> map("rewardId", ids.of(REWARD));
            case "POST /api/v1/members/{memberId}/redemptions/{redemptionId}/cancellation" -> map("reason", "changed mind");
            case "POST /api/v1/members/{memberId}/redemptions/{redemptionId}/fulfilment" -> map("reference",
                "ship-" + unique);
            case "POST /api/v1/coupons/{code}/consume" -> map("reference", "till-" + unique);
            case "PUT /api/v1/programs/{programId}/referral-terms" -> map("enabled", true, "referrerPoints", 10,
                "refereePoints", 5, "minimumPurchase", "5.00", "claimWindowDays", 30, "maxRewardsPerReferrer", 10);
            case "POST /api/v1/members/{memberId}/referral" -> map("code", ids.of(REFERRAL_CODE));
            case "PUT /api/v1/programs/{programId}/points-policy" -> map("pendingDays", 0, "clawbackPolicy", "PARTIAL",
                "debtLimit", 0, "expiry", map("kind", "FIXED_DATES", "dates", List.of("12-31"), "minimumMonths", 3,
                    "zone", "Europe/Paris"), "expiryReminderDays", 7);
            case "POST /api/v1/members/{memberId}/qualifying-activity" -> map("counter", "custom:visits", "amount", 1,
                "reference", "visit-" + unique);
            case "PUT /api/v1/programs/{programId}/tiers" -> map("window", map("kind", "rolling", "months", 12),
                "timeZone", "Europe/Paris", "graceDays", 0, "levels", List.of(
                    map("code", "bronze", "name", "Bronze", "multiplier", "1"),
                    map("code", "silver", "name", "Silver", "multiplier", "1.25",
                        "qualification", map("any", List.of(map("counter", "spend", "atLeast", 10_000)))),
                    map("code", "gold", "name", "Gold", "multiplier", "1.5",
                        "qualification", map("any", List.of(map("counter", "spend", "atLeast", 50_000))))));
            default -> null;
        };
    }

    /**
     * Sends the call as the client: a body as JSON, and on every write a fresh Idempotency-Key. A call the rate
     * limit refused is sent again once the limit allows it, so that going over every endpoint is not cut short.
     */
    public static Response send(Api client, Call call) {
        for (int attempt = 1; ; attempt++) {
            var request = client.builder(call.path());
            if (call.body() != null) {
                request.header("Content-Type", "application/json");
            }
            if (!call.method().equals("GET")) {
                request.header("Idempotency-Key", UUID.randomUUID().toString());
            }
            request.method(call.method(), call.body() == null ? BodyPublishers.noBody()
                : BodyPublishers.ofString(Api.json(call.body())));
            var response = client.send(request);
            if (response.status() != 429 || attempt == 5) {
                return response;
            }
            var wait = response.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
            try {
                Thread.sleep(Duration.ofSeconds(Math.min(wait, 2)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static Map<String, Object> rule(String unique) {
        return map("name", "Food bonus " + unique, "description", "Points on food lines", "event", "purchase",
            "condition", "event.amount > 0", "action", map("kind", "PER_AMOUNT", "points", 1, "per", "1.00",
                "lineFilter", "line.category == 'food'"), "priority", 100, "exclusive", false,
            "exclusionGroup", "food-" + unique, "cap", map("period", "DAY", "maxPoints", 1000), "budget", 100_000,
            "validFrom", "2026-01-01T00:00:00Z", "validTo", "2100-01-01T00:00:00Z");
    }

    private static Map<String, Object> earnRate() {
        return map("points", 1, "perMinorUnits", 100);
    }

    /** A phone number no other call gave, so that no two calls link their persons through it. */
    private static String phone() {
        return "+49151" + String.format("%08d", Math.floorMod(UUID.randomUUID().getLeastSignificantBits(), 100_000_000L));
    }

    /** A JSON object with its fields in the given order. */
    static Map<String, Object> map(Object... fields) {
        var map = new LinkedHashMap<String, Object>();
        for (int i = 0; i < fields.length; i += 2) {
            map.put((String) fields[i], fields[i + 1]);
        }
        return map;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
