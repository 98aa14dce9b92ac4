package io.pointbridge.privacy;

import io.pointbridge.testing.Api;
import io.pointbridge.testing.Api.Response;
import io.pointbridge.testing.Fixtures.BrandSetup;
import java.net.http.HttpRequest;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A customer with personal data no other test uses, so that finding any of it anywhere means it leaked; and the
 * API calls that give it to Pointbridge.
 */
record PersonalDataSamples(String externalId, String email, String phone, String givenName, String familyName,
        LocalDate birthday) {

    static PersonalDataSamples unique() {
        var random = ThreadLocalRandom.current();
        var tag = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        var digits = String.valueOf(100_000_000L + random.nextLong(900_000_000L));
        return new PersonalDataSamples("cust-" + tag + "@shop.example", "mail" + tag + "@example.org", "+4917" + digits,
            "Given" + letters(random), "Family" + letters(random),
            LocalDate.of(1931, 1, 1).plusDays(random.nextInt(20_000)));
    }

    private static String letters(ThreadLocalRandom random) {
        var letters = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            letters.append((char) ('a' + random.nextInt(26)));
        }
        return letters.toString();
    }

    /** The personal data Pointbridge keeps only encrypted, each as a scan for leaks should look for it. */
    List<String> encryptedValues() {
        return List.of(email, phone, phone.substring(1), givenName, familyName, birthday.toString());
    }

    /**
     * Everything personal about the customer: also the external id, the brand's own customer reference, which
     * is stored as it is (members are found by it) until an erasure replaces it; this one looks like an email.
     */
    List<String> allValues() {
        return List.of(externalId, email, phone, phone.substring(1), givenName, familyName, birthday.toString());
    }

    Map<String, Object> enrolment() {
        var body = new LinkedHashMap<String, Object>();
        body.put("externalId", externalId);
        body.put("email", email);
        body.put("emailVerified", true);
        body.put("phone", phone);
        body.put("phoneVerified", true);
        body.put("consentToLink", true);
        return body;
    }

    Map<String, Object> profile() {
        return Map.of("givenName", givenName, "familyName", familyName, "birthday", birthday.toString());
    }

    /** Enrolls the customer with email and phone, then gives their name and birthday; answers the member's id. */
    UUID enrollWithProfile(Api api, BrandSetup brand) {
        var enrolled = api.withApiKey(brand.apiKey()).post("/api/v1/members", enrolment());
        if (enrolled.status() != 201) {
            throw new IllegalStateException("enrolment answered " + enrolled.status() + ": " + enrolled.body());
        }
        var member = UUID.fromString(enrolled.text("id"));
        var profile = putProfile(api.withApiKey(brand.apiKey()), member, profile(), UUID.randomUUID().toString());
        if (profile.status() != 200) {
            throw new IllegalStateException("profile answered " + profile.status() + ": " + profile.body());
        }
        return member;
    }

    static Response putProfile(Api api, UUID member, Object body, String idempotencyKey) {
        return api.send(api.builder("/api/v1/members/" + member + "/profile")
            .header("Content-Type", "application/json").header("Idempotency-Key", idempotencyKey)
            .PUT(HttpRequest.BodyPublishers.ofString(Api.json(body))));
    }
}
