package io.pointbridge.expiry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.pointbridge.tenant.expiry.ExpiryReminderDue;
import io.pointbridge.tenant.expiry.PointsJob;
import io.pointbridge.tenant.expiry.RunOptions;
import io.pointbridge.tenant.member.Membership;
import io.pointbridge.tenant.tenancy.PointsPolicy;
import io.pointbridge.tenant.tenancy.PointsPolicy.ClawbackPolicy;
import io.pointbridge.tenant.tenancy.PointsPolicy.Expiry;
import io.pointbridge.testing.Fixtures.Group;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/**
 * Members are reminded of points that expire within their program's reminder days: once per member and day the
 * points expire, with all of that day's points, by as many runs and instances as there are.
 */
class ExpiryRemindersIntegrationTests extends PointsOverTimeIntegrationTest {

    private static final String ACTOR = "test:reminders";

    @Test
    void remindsEachMemberOnceForEachDayTheirPointsExpire() {
        var group = remindingGroup(30);
        var day = clock.instant().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(20));
        var ann = points.memberWithLotsExpiringAt(group, day.plus(Duration.ofHours(2)), 10);
        points.lot(group, ann, day.plus(Duration.ofHours(5)), 15);
        points.lot(group, ann, day.plus(Duration.ofDays(3)), 7);
        var bob = points.memberWithLotsExpiringAt(group, clock.instant().plus(Duration.ofDays(45)), 40);
        var cinemaFan = fixtures.member(group, group.cinema());
        points.lot(group, cinemaFan, clock.instant().plus(Duration.ofDays(10)), 99);

        var first = jobs.run(PointsJob.EXPIRY_REMINDERS, group.tenantId(), ACTOR);
        var again = jobs.run(PointsJob.EXPIRY_REMINDERS, group.tenantId(), ACTOR);

        assertThat(first.totals().events()).isEqualTo(2);
        assertThat(again.totals().events()).isZero();
        var annsDay = day.atZone(ZoneOffset.UTC).toLocalDate();
        assertThat(points.events(group, ExpiryReminderDue.TYPE))
            .extracting(event -> event.path("memberId").asString(), event -> event.path("points").asLong(),
                event -> event.path("expiresOn").asString(), event -> event.path("expiresAt").asString())
            .containsExactlyInAnyOrder(
                tuple(ann.id().toString(), 25L, annsDay.toString(), day.plus(Duration.ofHours(2)).toString()),
                tuple(ann.id().toString(), 7L, annsDay.plusDays(3).toString(), day.plus(Duration.ofDays(3)).toString()));

        clock.advance(Duration.ofDays(20));
        var later = jobs.run(PointsJob.EXPIRY_REMINDERS, group.tenantId(), ACTOR);

        assertThat(later.totals().events()).isEqualTo(1);
        assertThat(points.events(group, ExpiryReminderDue.TYPE).getLast().path("memberId").asString())
            .isEqualTo(bob.id().toString());
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void aDaysPointsSplitAcrossBatchesAreRemindedInFullAndOnce() {
        var group = remindingGroup(10);
        var day = clock.instant().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(5));
        var member = points.memberWithLotsExpiringAt(group, day.plus(Duration.ofHours(1)), 4);
        points.lot(group, member, day.plus(Duration.ofHours(9)), 6);
        points.lot(group, member, day.plus(Duration.ofHours(17)), 8);

        var run = jobs.run(PointsJob.EXPIRY_REMINDERS, group.tenantId(), ACTOR, RunOptions.batchesOf(1));

        assertThat(run.totals().events()).isEqualTo(1);
        assertThat(points.events(group, ExpiryReminderDue.TYPE)).singleElement()
            .satisfies(event -> assertThat(event.path("points").asLong()).isEqualTo(18));
    }

    @Test
    void twoInstancesAtOnceRemindEachMemberOnce() {
        var group = remindingGroup(7);
        var members = new ArrayList<Membership>();
        for (int i = 0; i < 20; i++) {
            members.add(points.memberWithLotsExpiringAt(group, clock.instant().plus(Duration.ofDays(3)), 10 + i));
        }

        var runs = Concurrently.twice(() -> jobs.run(PointsJob.EXPIRY_REMINDERS, group.tenantId(), ACTOR,
            RunOptions.batchesOf(3)));

        assertThat(runs.stream().mapToLong(run -> run.totals().events()).sum()).isEqualTo(members.size());
        assertThat(points.events(group, ExpiryReminderDue.TYPE)).extracting(event -> event.path("memberId").asString())
            .hasSize(members.size()).doesNotHaveDuplicates();
        assertThat(fixtures.violations(group)).isEmpty();
    }

    private Group remindingGroup(int days) {
        var group = fixtures.group();
        points.policy(group, group.cafe(), new PointsPolicy(0, ClawbackPolicy.PARTIAL, 0, Expiry.rolling(12), days));
        return group;
    }
}
