package io.pointbridge.expiry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pointbridge.tenant.expiry.PointsJob;
import io.pointbridge.tenant.expiry.PointsReleased;
import io.pointbridge.tenant.expiry.RunOptions;
import io.pointbridge.tenant.member.Membership;
import io.pointbridge.tenant.tenancy.PointsPolicy;
import io.pointbridge.tenant.tenancy.PointsPolicy.ClawbackPolicy;
import io.pointbridge.tenant.tenancy.PointsPolicy.Expiry;
import io.pointbridge.testing.Fixtures.Group;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Purchase points stay pending through the program's returns window and become spendable by the clock alone;
 * the release job announces each lot once, also with two instances at once or after a crash.
 */
class PendingPointsIntegrationTests extends PointsOverTimeIntegrationTest {

    private static final String ACTOR = "test:release";
    private static final PointsPolicy TWO_WEEKS = new PointsPolicy(14, ClawbackPolicy.PARTIAL, 0, Expiry.rolling(12), null);

    @Test
    void purchasePointsStayPendingThroughTheReturnsWindow() {
        var group = pendingGroup();
        var member = fixtures.member(group);
        var pos = api.withApiKey(group.cafe().apiKey());

        var earned = points.purchase(group, member, "order-1", 50_00);

        assertThat(earned.pointsEarned()).isEqualTo(50);
        var balance = points.balance(group, member);
        assertThat(balance.balance()).isEqualTo(50);
        assertThat(balance.pending()).isEqualTo(50);
        assertThat(balance.available()).isZero();
        var refused = pos.post("/api/v1/members/" + member.id() + "/spends", Map.of("points", 10));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.problemType()).isEqualTo("insufficient-points");

        clock.advance(Duration.ofDays(14).plusSeconds(1));

        assertThat(points.balance(group, member).available()).isEqualTo(50);
        assertThat(points.balance(group, member).pending()).isZero();
        var spent = pos.post("/api/v1/members/" + member.id() + "/spends", Map.of("points", 10));
        assertThat(spent.status()).as(spent.body()).isEqualTo(201);
        assertThat(spent.number("balance")).isEqualTo(40);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void pendingPointsExpireCountingFromTheirEarning() {
        var group = pendingGroup();
        var member = fixtures.member(group);
        var earnedAt = clock.instant();

        points.purchase(group, member, "order-1", 10_00);

        var expiry = points.balance(group, member).nextExpiry().at();
        assertThat(Duration.between(earnedAt, expiry)).isBetween(Duration.ofDays(365), Duration.ofDays(366).plusSeconds(5));
    }

    @Test
    void releaseAnnouncesEachLotWithPointsOnceWhenItBecomesSpendable() {
        var group = pendingGroup();
        var ann = fixtures.member(group);
        var bob = fixtures.member(group);
        points.purchase(group, ann, "order-1", 10_00);
        points.purchase(group, ann, "order-2", 20_00);
        points.purchase(group, bob, "order-3", 30_00);
        points.purchase(group, bob, "order-4", 40_00);
        points.refund(group, bob, "order-4", 40_00);

        var early = jobs.run(PointsJob.PENDING_RELEASE, group.tenantId(), ACTOR);
        clock.advance(Duration.ofDays(15));
        var due = jobs.run(PointsJob.PENDING_RELEASE, group.tenantId(), ACTOR);
        var again = jobs.run(PointsJob.PENDING_RELEASE, group.tenantId(), ACTOR);

        assertThat(early.totals().lots()).isZero();
        assertThat(due.totals().lots()).as("the refunded lot is marked too, without an event").isEqualTo(4);
        assertThat(due.totals().points()).isEqualTo(60);
        assertThat(again.totals().lots()).isZero();
        var events = points.events(group, PointsReleased.TYPE);
        assertThat(events).extracting(event -> event.path("reference").asString())
            .containsExactlyInAnyOrder("order-1", "order-2", "order-3");
        assertThat(events).filteredOn(event -> event.path("reference").asString().equals("order-3"))
            .singleElement().satisfies(event -> {
                assertThat(event.path("memberId").asString()).isEqualTo(bob.id().toString());
                assertThat(event.path("points").asLong()).isEqualTo(30);
            });
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void lotsThatWereNeverPendingAreNeverAnnounced() {
        var group = fixtures.group();
        var member = fixtures.member(group);
        points.purchase(group, member, "order-1", 10_00);
        fixtures.credit(group, member, 5);
        clock.advance(Duration.ofDays(1));

        var run = jobs.run(PointsJob.PENDING_RELEASE, group.tenantId(), ACTOR);

        assertThat(run.totals().lots()).isZero();
        assertThat(points.events(group, PointsReleased.TYPE)).isEmpty();
    }

    @Test
    void twoInstancesAtOnceReleaseEveryLotOnce() {
        var group = pendingGroup();
        var members = members(group, 30);
        clock.advance(Duration.ofDays(15));

        var runs = Concurrently.twice(meet -> jobs.run(PointsJob.PENDING_RELEASE, group.tenantId(), ACTOR,
            RunOptions.batchesOf(4).afterEachItem(meet)));

        assertThat(runs).as("each instance released some lots while the other held its own")
            .allSatisfy(run -> assertThat(run.totals().lots()).isPositive());
        assertThat(runs.stream().mapToLong(run -> run.totals().lots()).sum()).isEqualTo(members.size());
        assertThat(releasedLots(group)).hasSize(members.size()).doesNotHaveDuplicates();
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void aReleaseKilledHalfwayResumesAndAnnouncesEveryLotOnce() {
        var group = pendingGroup();
        var members = members(group, 12);
        clock.advance(Duration.ofDays(15));
        var items = new AtomicInteger();

        assertThatThrownBy(() -> jobs.run(PointsJob.PENDING_RELEASE, group.tenantId(), ACTOR,
            RunOptions.batchesOf(5).afterEachItem(() -> {
                if (items.incrementAndGet() == 8) {
                    throw new IllegalStateException("simulated crash");
                }
            }))).hasMessage("simulated crash");
        assertThat(releasedLots(group)).as("the first batch committed, the second rolled back").hasSize(5);

        jobs.run(PointsJob.PENDING_RELEASE, group.tenantId(), ACTOR);

        assertThat(releasedLots(group)).hasSize(members.size()).doesNotHaveDuplicates();
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void theScheduleReleasesEveryTenantsLots() {
        var first = pendingGroup();
        var second = pendingGroup();
        members(first, 2);
        members(second, 3);
        clock.advance(Duration.ofDays(15));

        jobs.runForAllTenants(PointsJob.PENDING_RELEASE);

        assertThat(releasedLots(first)).hasSize(2);
        assertThat(releasedLots(second)).hasSize(3);
    }

    private Group pendingGroup() {
        var group = fixtures.group();
        points.policy(group, group.cafe(), TWO_WEEKS);
        return group;
    }

    /** New cafe members with one pending purchase each. */
    private List<Membership> members(Group group, int count) {
        var members = new ArrayList<Membership>();
        for (int i = 0; i < count; i++) {
            var member = fixtures.member(group);
            points.purchase(group, member, "order-" + i, (i + 1) * 100L);
            members.add(member);
        }
        return members;
    }

    private List<String> releasedLots(Group group) {
        return points.events(group, PointsReleased.TYPE).stream().map(event -> event.path("lotId"))
            .map(JsonNode::asString).toList();
    }
}
