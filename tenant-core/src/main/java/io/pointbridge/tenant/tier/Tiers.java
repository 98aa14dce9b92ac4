package io.pointbridge.tenant.tier;

import io.pointbridge.tenant.InvalidRequest;
import io.pointbridge.tenant.member.Membership;
import io.pointbridge.tenant.member.Memberships;
import io.pointbridge.tenant.outbox.Outbox;
import io.pointbridge.tenant.purchase.EarningMultiplier;
import io.pointbridge.tenant.purchase.PurchaseMade;
import io.pointbridge.tenant.purchase.PurchaseRefunded;
import io.pointbridge.tenant.tier.QualifyingActivity.Source;
import io.pointbridge.tenant.tier.Standing.CountersOver;
import io.pointbridge.tenant.tier.Standing.Evolution;
import io.pointbridge.tenant.tier.TierFailures.DuplicateActivity;
import io.pointbridge.tenant.tier.TierProgress.Goal;
import io.pointbridge.tenant.tier.TierWindow.Interval;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Members' tiers: upgrades the moment activity qualifies (in the purchase's own transaction), reports a
 * member's tier, benefits, progress and history, and applies the review job's deadlines. Deadlines that have
 * passed but not been processed yet are applied on the fly when read, so what a member sees never depends on
 * when the job last ran.
 *
 * <p>Every change of a member's standing takes the member's row lock first; purchases hold their wallet lock
 * already then, and the job holds no wallet lock, so the order is the same everywhere.
 */
@Service
public class Tiers implements EarningMultiplier {

    static final String ACTOR = "system:tiers";

    private final TierSchemes schemes;
    private final MemberTierRows rows;
    private final QualifyingActivity activity;
    private final Memberships memberships;
    private final Outbox outbox;
    private final ApplicationEventPublisher events;
    private final TierMetrics metrics;
    private final Clock clock;

    Tiers(TierSchemes schemes, MemberTierRows rows, QualifyingActivity activity, Memberships memberships, Outbox outbox,
            ApplicationEventPublisher events, TierMetrics metrics, Clock clock) {
        this.schemes = schemes;
        this.rows = rows;
        this.activity = activity;
        this.memberships = memberships;
        this.outbox = outbox;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The member's tier now; empty if the program has no tiers. A merged membership has its survivor's tier. */
    @Transactional(readOnly = true)
    public Optional<MemberTier> tierOf(UUID membershipId) {
        var member = subject(membershipId);
        return schemes.find(member.programId())
            .map(scheme -> view(member, scheme, effective(member, scheme, now())));
    }

    /** The earning multiplier of the member's tier, 1 for programs without tiers; purchases apply it. */
    @Override
    @Transactional
    public BigDecimal multiplierFor(UUID membershipId) {
        var member = subject(membershipId);
        return schemes.find(member.programId()).map(scheme -> {
            // The purchase evaluates the member's tier after its points, in this transaction: its row is locked
            // here, once, and stays locked until commit (lock order: tier row, then wallet).
            var now = now();
            var row = rows.lockOrCreate(member.id(), member.programId(), member.enrolledAt(), now);
            var standing = row.standing().evolution().advance(now, scheme, over(member.id())).standing();
            return scheme.level(standing.level()).multiplier();
        }).orElse(BigDecimal.ONE);
    }

    /** The member's tier, the counters of the current window, and what is missing for the next tier and to keep this one. */
    @Transactional(readOnly = true)
    public TierProgress progress(UUID membershipId) {
        var member = subject(membershipId);
        var scheme = schemes.require(member.programId());
        var now = now();
        var standing = effective(member, scheme, now);
        var zone = scheme.timeZone();
        var window = scheme.window().at(now, zone);
        var counters = activity.over(member.id(), window);
        Goal next = null;
        if (standing.level() < scheme.top()) {
            var by = scheme.window().kind() == TierWindow.Kind.CALENDAR ? scheme.window().nextReview(now, zone) : null;
            next = goal(scheme.level(standing.level() + 1), by, counters);
        }
        Goal keep = null;
        if (standing.graceUntil() != null) {
            keep = goal(scheme.level(standing.level()), standing.graceUntil(), counters);
        } else if (standing.reviewAt() != null && standing.level() > 1) {
            var reviewed = scheme.window().before(standing.reviewAt(), zone);
            var sinceStart = activity.over(member.id(), new Interval(reviewed.from(), reviewed.fromIncluded(), now, true));
            keep = goal(scheme.level(standing.level()), standing.reviewAt(), sinceStart);
        }
        return new TierProgress(view(member, scheme, standing), window, counters.values(), next, keep);
    }

    /** The member's tier changes, newest first. */
    @Transactional(readOnly = true)
    public TierHistory history(UUID membershipId, @Nullable String cursor, int limit) {
        if (limit < 1 || limit > TierHistory.MAX_PAGE_SIZE) {
            throw new InvalidRequest("limit", "must be between 1 and " + TierHistory.MAX_PAGE_SIZE);
        }
        var member = subject(membershipId);
        schemes.require(member.programId());
        return rows.history(member.id(), cursor, limit);
    }

    /**
     * Counts a custom counter (e.g. {@code custom:nights}) an integration reports, once per reference, and
     * upgrades the member at once if it qualifies them. The amount may be negative, to correct an earlier one.
     */
    @Transactional
    public Optional<MemberTier> recordActivity(UUID membershipId, String counter, long amount, String reference) {
        if (!Counters.isCustom(counter)) {
            throw new InvalidRequest("counter", "must be custom:<name>: spend, orders and points come from purchases");
        }
        if (amount == 0) {
            throw new InvalidRequest("amount", "must not be zero");
        }
        var member = subject(membershipId);
        var now = now();
        if (!activity.record(member.id(), member.programId(), Map.of(counter, amount), now, Source.CUSTOM, reference)) {
            throw new DuplicateActivity(reference, counter);
        }
        return schemes.find(member.programId()).map(scheme -> view(member, scheme, evaluate(member, scheme, now)));
    }

    /** A purchase counts toward the member's tier at its own time, and upgrades them at once if it qualifies them. */
    @Transactional
    void purchaseMade(PurchaseMade purchase) {
        var member = subject(purchase.membershipId());
        var at = purchase.madeAt().truncatedTo(ChronoUnit.MICROS);
        activity.record(member.id(), member.programId(), Map.of(Counters.SPEND, purchase.amountMinor(), Counters.ORDERS, 1L,
            Counters.POINTS, purchase.pointsEarned()), at, Source.PURCHASE, purchase.purchaseId().toString());
        schemes.find(member.programId()).ifPresent(scheme -> evaluate(member, scheme, at));
    }

    /**
     * A refund takes its amount and points back from the window it happens in (and the order, once refunded in
     * full). It never downgrades at once: the review at the end of the period decides on the net activity.
     */
    @Transactional
    void purchaseRefunded(PurchaseRefunded refund) {
        var member = subject(refund.membershipId());
        activity.record(member.id(), member.programId(), Map.of(Counters.SPEND, -refund.amountMinor(),
            Counters.ORDERS, refund.fullyRefunded() ? -1L : 0L, Counters.POINTS, -refund.pointsTakenBack()),
            refund.refundedAt().truncatedTo(ChronoUnit.MICROS), Source.REFUND, refund.refundId().toString());
    }

    /** Processes the deadlines of a member whose row the review job has locked, up to {@code asOf}. */
    List<TierChange> review(UUID membershipId, Instant asOf, String actor) {
        var row = rows.lock(membershipId);
        var scheme = schemes.require(row.programId());
        var evolution = row.standing().evolution().advance(asOf, scheme, over(membershipId));
        return persist(membershipId, row.programId(), scheme, row.standing(), evolution, actor);
    }

    private Standing evaluate(Membership member, TierScheme scheme, Instant at) {
        var now = now();
        var row = rows.lockOrCreate(member.id(), member.programId(), member.enrolledAt(), now);
        var counters = over(member.id());
        var evolution = row.standing().evolution().activity(at, scheme, counters);
        // Activity of a concurrent purchase that committed while this one waited for the row counts from its own time.
        var latest = activity.latest(member.id()).filter(time -> time.isAfter(at));
        if (latest.isPresent()) {
            evolution = evolution.activity(latest.get(), scheme, counters);
        }
        persist(member.id(), member.programId(), scheme, row.standing(), evolution, ACTOR);
        return evolution.standing();
    }

    private List<TierChange> persist(UUID membershipId, UUID programId, TierScheme scheme, Standing before, Evolution evolution,
            String actor) {
        var now = now();
        var recorded = new ArrayList<TierChange>();
        for (var change : evolution.changes()) {
            var saved = rows.insertChange(membershipId, programId, change, scheme, actor, now);
            var event = new TierChanged(membershipId, programId, saved);
            outbox.append("tier." + saved.kind().json(), event);
            events.publishEvent(event);
            metrics.changed(saved.kind());
            recorded.add(saved);
        }
        if (!evolution.standing().equals(before)) {
            rows.save(membershipId, evolution.standing(), now);
        }
        return recorded;
    }

    private Standing effective(Membership member, TierScheme scheme, Instant now) {
        var standing = rows.find(member.id()).map(MemberTierRows.Row::standing)
            .orElseGet(() -> Standing.entry(member.enrolledAt()));
        return standing.evolution().advance(now, scheme, over(member.id())).standing();
    }

    private CountersOver over(UUID membershipId) {
        return window -> activity.over(membershipId, window);
    }

    private static MemberTier view(Membership member, TierScheme scheme, Standing standing) {
        var level = scheme.level(standing.level());
        return new MemberTier(member.id(), member.programId(), level.level(), level.code(), level.name(), level.multiplier(),
            standing.since(), standing.reviewAt(), standing.graceUntil());
    }

    private static Goal goal(TierLevel level, @Nullable Instant by, Counters counters) {
        var missing = level.qualification() == null ? List.<Map<String, Long>>of() : level.qualification().missing(counters);
        boolean met = missing.isEmpty() || missing.stream().anyMatch(Map::isEmpty);
        return new Goal(level.level(), level.code(), level.name(), level.multiplier(), by, met, met ? List.of() : missing);
    }

    /** The membership whose tier counts: a membership merged into another counts toward the survivor's. */
    private Membership subject(UUID membershipId) {
        var member = memberships.require(membershipId);
        return member.mergedInto() == null ? member : memberships.require(member.mergedInto());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
