package io.pointbridge.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.testing.IntegrationTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Consent per marketing channel is recorded with who, when and where, and its whole history stays readable. */
class ConsentHistoryIntegrationTests extends IntegrationTest {

    @Test
    void recordsConsentPerChannelAndKeepsItsHistory() {
        var group = fixtures.group();
        var member = PersonalDataSamples.unique().enrollWithProfile(api, group.cafe());
        var cafe = api.withApiKey(group.cafe().apiKey());
        var consents = "/api/v1/members/" + member + "/consents";

        var email = cafe.post(consents, Map.of("purpose", "marketing-email", "granted", true, "collectedVia", "pos"));
        cafe.post(consents, Map.of("purpose", "marketing-sms", "granted", true, "collectedVia", "signup-form"));
        cafe.post(consents, Map.of("purpose", "marketing-wechat", "granted", true));
        cafe.post(consents, Map.of("purpose", "marketing-email", "granted", false, "collectedVia", "app-settings"));

        assertThat(email.status()).isEqualTo(201);
        assertThat(email.text("collectedVia")).isEqualTo("pos");
        var read = cafe.get(consents);
        assertThat(read.status()).isEqualTo(200);
        var inForce = read.json().path("inForce");
        // Enrolment recorded consent to linking; the email consent was withdrawn after it was given.
        assertThat(inForce.path("identity-linking").asBoolean()).isTrue();
        assertThat(inForce.path("marketing-email").asBoolean()).isFalse();
        assertThat(inForce.path("marketing-sms").asBoolean()).isTrue();
        assertThat(inForce.path("marketing-wechat").asBoolean()).isTrue();
        assertThat(inForce.has("marketing-push")).as("never asked").isFalse();
        var history = read.json().path("history");
        assertThat(history.valueStream().map(c -> c.path("purpose").asString() + "=" + c.path("granted").asBoolean()))
            .containsExactly("identity-linking=true", "marketing-email=true", "marketing-sms=true", "marketing-wechat=true",
                "marketing-email=false");
        assertThat(history.valueStream().map(c -> c.path("collectedVia").asString(null)))
            .containsExactly(null, "pos", "signup-form", null, "app-settings");
        assertThat(history.valueStream().map(c -> c.path("source").asString())).allMatch(source -> source.startsWith("api-key:"));
        assertThat(history.valueStream().map(c -> c.path("recordedAt").asString())).allMatch(at -> !at.isEmpty());
    }

    @Test
    void refusesAnUnknownChannelNamingTheFieldAndRecordsNothing() {
        var group = fixtures.group();
        var member = PersonalDataSamples.unique().enrollWithProfile(api, group.cafe());
        var cafe = api.withApiKey(group.cafe().apiKey());
        var consents = "/api/v1/members/" + member + "/consents";

        var fax = cafe.post(consents, Map.of("purpose", "marketing-fax", "granted", true));
        var noAnswer = cafe.post(consents, Map.of("purpose", "marketing-sms"));
        var oddPlace = cafe.post(consents, Map.of("purpose", "marketing-sms", "granted", true, "collectedVia", "<script>"));

        assertThat(fax.status()).isEqualTo(400);
        assertThat(fax.json().path("errors").get(0).path("field").asString()).isEqualTo("purpose");
        assertThat(noAnswer.status()).isEqualTo(400);
        assertThat(noAnswer.json().path("errors").get(0).path("field").asString()).isEqualTo("granted");
        assertThat(oddPlace.status()).isEqualTo(400);
        assertThat(oddPlace.json().path("errors").get(0).path("field").asString()).isEqualTo("collectedVia");
        assertThat(cafe.get(consents).json().path("history")).hasSize(1);
    }

    @Test
    void anotherBrandsIntegrationNeitherReadsNorRecordsAMembersConsent() {
        var group = fixtures.group();
        var member = PersonalDataSamples.unique().enrollWithProfile(api, group.cafe());
        var cinema = api.withApiKey(group.cinema().apiKey());
        var consents = "/api/v1/members/" + member + "/consents";

        var read = cinema.get(consents);
        var recorded = cinema.post(consents, Map.of("purpose", "marketing-sms", "granted", true), "consent-" + UUID.randomUUID());

        assertThat(read.status()).isEqualTo(404);
        assertThat(recorded.status()).isEqualTo(404);
        assertThat(api.withApiKey(group.cafe().apiKey()).get(consents).json().path("history")).hasSize(1);
    }
}
