package io.pointbridge.referral;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.tenant.referral.Referrals;
import io.pointbridge.tenant.referral.Referrals.NewTerms;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.MovableClock;
import io.pointbridge.testing.MovableTime;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

/** A member names who referred them within the program's window after enrolling, and not after. */
@Import(MovableTime.class)
class ReferralWindowIntegrationTests extends IntegrationTest {

    @Autowired
    Referrals referrals;

    @Autowired
    MovableClock clock;

    private Duration moved = Duration.ZERO;

    @AfterEach
    void restoreTheClock() {
        clock.advance(moved.negated());
    }

    @Test
    void aMemberNamesTheirReferrerWithinTheWindowAfterEnrollingAndNotAfter() {
        var group = fixtures.group();
        fixtures.as(group, () -> referrals.setTerms(group.cafe().program().id(),
            new NewTerms(true, 100, 50, BigDecimal.ONE, 7, null), "test:referrals", null));
        var pos = api.withApiKey(group.cafe().apiKey());
        var code = pos.get("/api/v1/members/" + fixtures.member(group).id() + "/referral-code").text("code");
        var inTime = fixtures.member(group);
        var tooLate = fixtures.member(group);

        // Enrolment times come from the database; other tests of this context may have moved the clock already.
        moveTo(inTime.enrolledAt().plus(Duration.ofDays(7).minusMinutes(1)));
        var named = pos.post("/api/v1/members/" + inTime.id() + "/referral", Map.of("code", code));
        moveTo(tooLate.enrolledAt().plus(Duration.ofDays(7).plusMinutes(1)));
        var refused = pos.post("/api/v1/members/" + tooLate.id() + "/referral", Map.of("code", code));

        assertThat(named.status()).as(named.body()).isEqualTo(201);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.problemType()).isEqualTo("referral-window-closed");
        assertThat(refused.text("detail")).contains("more than 7 days ago");
        assertThat(pos.get("/api/v1/members/" + tooLate.id() + "/referral").problemType())
            .isEqualTo("referral-not-found");
        assertThat(UUID.fromString(named.text("refereeId"))).isEqualTo(inTime.id());
    }

    private void moveTo(Instant instant) {
        var duration = Duration.between(clock.instant(), instant);
        clock.advance(duration);
        moved = moved.plus(duration);
    }
}
