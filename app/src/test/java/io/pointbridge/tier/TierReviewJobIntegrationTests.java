package io.pointbridge.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.member.Membership;
import io.pointbridge.tenant.tier.TierReviews.Report;
import io.pointbridge.testing.Fixtures.Group;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The review job at the end of a period, over a population whose outcome is known: two runs at once share the
 * members and review each exactly once, and a run killed halfway resumes to exactly what an uninterrupted run
 * leaves behind.
 */
class TierReviewJobIntegrationTests extends TierIntegrationTest {

    private static final Instant MARCH_2031 = Instant.parse("2031-03-10T10:00:00Z");
    private static final Instant END_OF_2031 = Instant.parse("2032-01-01T00:00:00Z");
    private static final Instant AS_OF = END_OF_2031.plus(Duration.ofHours(2));
    private static final int PER_OUTCOME = 20;

    @BeforeEach
    void startOfTheYear() {
        clock.set(MARCH_2031);
    }

    /**
     * Three sets of members, all above the entry tier and due at the end of 2031, in this order: gold members who
     * keep gold, gold members whose refunds leave them silver, silver members whose refunds leave them bronze.
     */
    private List<Membership> population(Group group) {
        configure(group, spendTiers(calendarYear(), 0, 10_000, 30_000));
        var members = new ArrayList<Membership>();
        for (int i = 0; i < 3 * PER_OUTCOME; i++) {
            var member = fixtures.member(group);
            members.add(member);
            int outcome = i / PER_OUTCOME;
            var order = purchase(group, member, outcome == 2 ? 15_000 : 35_000).orderId();
            if (outcome > 0) {
                clock.advance(Duration.ofSeconds(1));
                refund(group, member, order, outcome == 1 ? 22_000 : 10_000);
            }
            clock.advance(Duration.ofSeconds(1));
        }
        return members;
    }

    @Test
    void twoRunsAtOnceShareTheMembersAndReviewEachExactlyOnce() throws Exception {
        var group = fixtures.group();
        var members = population(group);
        clock.set(AS_OF);
        var bothHoldABatch = new CyclicBarrier(2);
        var pool = Executors.newFixedThreadPool(2);
        try {
            var runs = new ArrayList<Future<Report>>();
            for (int run = 0; run < 2; run++) {
                runs.add(pool.submit(() -> TenantContext.callAs(group.tenantId(), () -> {
                    var first = new AtomicInteger();
                    return reviews.reviewDue(AS_OF, 7, member -> {
                        // Both runs wait here holding their first batch: without SKIP LOCKED one would wait forever.
                        if (first.getAndIncrement() == 0) {
                            await(bothHoldABatch);
                        }
                    });
                })));
            }
            var first = runs.get(0).get(60, TimeUnit.SECONDS);
            var second = runs.get(1).get(60, TimeUnit.SECONDS);

            assertThat(first.members()).isPositive();
            assertThat(second.members()).isPositive();
            assertThat(first.members() + second.members()).isEqualTo(members.size());
            assertThat(first.renewed() + second.renewed()).isEqualTo(PER_OUTCOME);
            assertThat(first.downgraded() + second.downgraded()).isEqualTo(2 * PER_OUTCOME);
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < members.size(); i++) {
            var member = members.get(i);
            assertThat(history(group, member)).as("member %d", i).hasSize(2)
                .last().satisfies(change -> assertThat(change.effectiveAt()).isEqualTo(END_OF_2031));
            assertThat(outboxTypes(group, member)).as("member %d", i).hasSize(2);
            assertThat(stored(group, member).level()).as("member %d", i).isEqualTo(3 - i / PER_OUTCOME);
        }
        assertThat(reviewNow(group).members()).isZero();
    }

    @Test
    void aRunKilledHalfwayResumesToWhatAnUninterruptedRunLeaves() {
        var uninterrupted = fixtures.group();
        var twinOfUninterrupted = population(uninterrupted);
        clock.set(MARCH_2031);
        var killed = fixtures.group();
        var twinOfKilled = population(killed);
        clock.set(AS_OF);
        var whole = fixtures.as(uninterrupted, () -> reviews.reviewDue(AS_OF, 5, member -> {
        }));

        var reviewed = new AtomicInteger();
        assertThatThrownBy(() -> fixtures.as(killed, () -> reviews.reviewDue(AS_OF, 5, member -> {
            if (reviewed.incrementAndGet() == 17) {
                throw new IllegalStateException("killed halfway through the fourth batch");
            }
        }))).hasMessageContaining("killed halfway");
        assertThat(twinOfKilled.stream().filter(member -> history(killed, member).size() == 2).count())
            .as("three whole batches committed, the fourth rolled back").isEqualTo(15);
        var resumed = fixtures.as(killed, () -> reviews.reviewDue(AS_OF, 5, member -> {
        }));

        assertThat(whole.members()).isEqualTo(3 * PER_OUTCOME);
        assertThat(resumed.members()).isEqualTo(3 * PER_OUTCOME - 15);
        for (int i = 0; i < twinOfKilled.size(); i++) {
            assertThat(stored(killed, twinOfKilled.get(i))).as("member %d", i)
                .isEqualTo(stored(uninterrupted, twinOfUninterrupted.get(i)));
            assertThat(outcome(killed, twinOfKilled.get(i))).as("member %d", i)
                .isEqualTo(outcome(uninterrupted, twinOfUninterrupted.get(i)));
            assertThat(outboxTypes(killed, twinOfKilled.get(i))).as("member %d", i)
                .isEqualTo(outboxTypes(uninterrupted, twinOfUninterrupted.get(i)));
        }
    }

    /** A member's history without what differs between twins by construction (ids, the time it was recorded). */
    private List<String> outcome(Group group, Membership member) {
        return history(group, member).stream().map(change -> change.kind() + " " + change.reason() + " "
            + change.from().code() + "->" + change.to().code() + " at " + change.effectiveAt() + " until "
            + change.reviewAt() + " on " + new TreeMap<>(change.counters())).toList();
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the other run never held a batch at the same time", e);
        }
    }
}
