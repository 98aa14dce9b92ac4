package io.pointbridge.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.tenant.privacy.KeyJob;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.KeycloakServer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * No personal data reaches the logs: a scenario through the whole API with recognisable personal data, run with
 * the application's own loggers and Spring's JDBC and transaction loggers at DEBUG (the rest as configured),
 * leaves none of it in the captured output. Spring's web and security loggers are left as configured: at DEBUG
 * they log request lines with query strings, request bodies' {@code toString()} and rejected values by design, so
 * they are for a developer's machine, never production.
 */
@ExtendWith(OutputCaptureExtension.class)
class PersonalDataLogScanIntegrationTests extends IntegrationTest {

    private static final List<String> VERBOSE = List.of("io.pointbridge", "org.springframework.jdbc",
        "org.springframework.transaction");

    @Autowired
    private LoggingSystem logging;

    @Autowired
    private KeyJob keyJob;


    @BeforeEach
    void logVerbosely() {
        VERBOSE.forEach(logger -> logging.setLogLevel(logger, LogLevel.DEBUG));
    }

    @AfterEach
    void logAsConfigured() {
        VERBOSE.forEach(logger -> logging.setLogLevel(logger, null));
    }

    @Test
    void aScenarioThroughTheApiLeavesNoPersonalDataInTheLogs(CapturedOutput output) {
        var admin = api.withToken(KeycloakServer.ensureRunning().token("demo-admin", "demo-admin-pass"));
        var group = fixtures.organization("demo-group");
        var cafe = api.withApiKey(group.cafe().apiKey());
        var cinema = api.withApiKey(group.cinema().apiKey());
        var customer = PersonalDataSamples.unique();

        var member = customer.enrollWithProfile(api, group.cafe());
        var person = cafe.get("/api/v1/members/" + member).text("personId");
        cinema.post("/api/v1/members", Map.of("externalId", customer.externalId(), "email", customer.email(),
            "emailVerified", true, "phone", customer.phone(), "phoneVerified", true, "consentToLink", true));
        cafe.post("/api/v1/members/" + member + "/contacts", Map.of("email", customer.email().toUpperCase(), "emailVerified", true));
        cafe.get("/api/v1/members/" + member + "/profile");
        cafe.get("/api/v1/members?externalId=" + customer.externalId());
        cafe.get("/api/v1/members/" + member + "/group-balances");
        cafe.post("/api/v1/members/" + member + "/purchases", Map.of("orderId", "o-" + UUID.randomUUID(), "amount", "10.00", "currency", "EUR"));
        cafe.post("/api/v1/members/" + member + "/consents", Map.of("purpose", "marketing-email", "granted", true, "collectedVia", "pos"));
        cafe.get("/api/v1/members/" + member + "/consents");
        // Refusals must not echo what they refuse either.
        cafe.post("/api/v1/members", Map.of("externalId", customer.externalId() + " ", "email", customer.email()));
        cafe.post("/api/v1/members/" + member + "/contacts", Map.of("phone", customer.phone().substring(1)));
        cafe.post("/api/v1/members/" + member + "/contacts", Map.of("email", customer.givenName()));
        PersonalDataSamples.putProfile(cafe, member, Map.of("givenName", customer.givenName() + "\u0007", "birthday",
            customer.familyName()), UUID.randomUUID().toString());
        cafe.post("/api/v1/members", "{\"externalId\": \"" + customer.familyName() + "\", \"email\": ");
        admin.get("/api/v1/persons/" + person + "/profile");
        admin.get("/api/v1/persons/" + person);
        admin.get("/api/v1/persons/" + person + "/export");
        admin.post("/api/v1/privacy/key-rotations", Map.of());
        fixtures.as(group, keyJob::runForCurrentTenant);
        admin.post("/api/v1/persons/" + person + "/erasure", Map.of("reason", "asked by the customer"));

        var logs = output.getAll();
        assertThat(logs).as("the scenario was logged, at DEBUG too").contains("re-encrypted under key version")
            .contains("insert into person_profiles");
        for (var value : customer.allValues()) {
            assertThat(logs).as("the logs hold %s", value).doesNotContainIgnoringCase(value);
        }
    }
}
