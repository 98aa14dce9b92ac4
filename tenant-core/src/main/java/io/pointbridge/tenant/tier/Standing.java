package io.pointbridge.tenant.tier;

import io.pointbridge.tenant.tier.TierChange.Kind;
import io.pointbridge.tenant.tier.TierChange.Reason;
import io.pointbridge.tenant.tier.TierWindow.Interval;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A member's standing in a program's tiers and the rules it changes by. Everything is decided as of a moment,
 * on the activity of a window that ends then, so a deadline processed late (by a job that was down, or at the
 * member's next purchase) comes to the same result as one processed on time.
 *
 * <ul>
 * <li>Activity at {@code t}: the member reaches the highest tier the window at {@code t} qualifies for, at
 *     once, if higher; in a grace period, qualifying for the current tier again renews it.
 * <li>The review at the end of the period: the window that just ended decides. Reaching the tier (or more)
 *     renews it for the next period; falling short starts the grace period, or, without one, downgrades to
 *     the tier reached.
 * <li>The end of the grace period: the member moves to the better of the tier the review found and the tier
 *     the window then qualifies for.
 * <li>After a scheme change, the member is placed again as by activity at the time of the change.
 * </ul>
 *
 * @param graceLevel the tier the review found, to fall to when the grace period ends
 * @param reassessAt when the member is to be placed again after a scheme change
 */
record Standing(int level, Instant since, @Nullable Instant reviewAt, @Nullable Instant graceUntil,
        @Nullable Integer graceLevel, @Nullable Instant reassessAt) {

    Standing {
        if ((graceUntil == null) != (graceLevel == null)) {
            throw new IllegalArgumentException("a grace period has an end and a level to fall to");
        }
    }

    /** Where a member starts: the entry tier, since enrolment. */
    static Standing entry(Instant since) {
        return new Standing(1, since, null, null, null, null);
    }

    /** Reads a window's counters; the database's sums in production, a list of events in a model. */
    @FunctionalInterface
    interface CountersOver {
        Counters over(Interval window);
    }

    /** A change, with the window and counters that decided it. */
    record Change(Kind kind, Reason reason, int from, int to, Instant at, Interval window, Counters counters,
            Standing after) {
    }

    /** A standing after some steps, and the changes on the way. */
    record Evolution(Standing standing, List<Change> changes) {

        Evolution {
            changes = List.copyOf(changes);
        }

        /** Processes every deadline up to and including {@code until}, earliest first. */
        Evolution advance(Instant until, TierScheme scheme, CountersOver counters) {
            var current = standing.fitTo(scheme);
            var all = new ArrayList<>(changes);
            for (var due = current.due(); due != null && !due.isAfter(until); due = current.due()) {
                Step step;
                if (due.equals(current.graceUntil())) {
                    step = current.graceEnds(due, scheme, counters);
                } else if (due.equals(current.reviewAt())) {
                    step = current.reviewed(due, scheme, counters);
                } else {
                    step = current.active(due, Reason.SCHEME_CHANGED, scheme, counters);
                }
                current = step.standing();
                if (step.change() != null) {
                    all.add(step.change());
                }
            }
            return new Evolution(current, all);
        }

        /** Processes the deadlines up to {@code t}, then activity at {@code t}. */
        Evolution activity(Instant t, TierScheme scheme, CountersOver counters) {
            var advanced = advance(t, scheme, counters);
            var step = advanced.standing().active(t, Reason.ACTIVITY, scheme, counters);
            var all = new ArrayList<>(advanced.changes());
            if (step.change() != null) {
                all.add(step.change());
            }
            return new Evolution(step.standing(), all);
        }
    }

    private record Step(Standing standing, @Nullable Change change) {
    }

    Evolution evolution() {
        return new Evolution(this, List.of());
    }

    /** The next deadline: the end of the grace period, the review or a reassessment, whichever is first. */
    @Nullable Instant due() {
        return Stream.of(graceUntil, reviewAt, reassessAt).filter(Objects::nonNull).min(Instant::compareTo).orElse(null);
    }

    /** The standing under a scheme that may have fewer tiers than when it was reached. */
    Standing fitTo(TierScheme scheme) {
        int fitted = scheme.clamp(level);
        if (fitted == level) {
            return this;
        }
        if (graceLevel == null) {
            return new Standing(fitted, since, fitted > 1 ? reviewAt : null, null, null, reassessAt);
        }
        return fitted > 1
            ? new Standing(fitted, since, reviewAt, graceUntil, Math.min(graceLevel, fitted - 1), reassessAt)
            : new Standing(1, since, null, null, null, reassessAt);
    }

    private Step active(Instant t, Reason reason, TierScheme scheme, CountersOver counters) {
        var reassess = reason == Reason.SCHEME_CHANGED ? null : reassessAt;
        var window = scheme.window().at(t, scheme.timeZone());
        var counted = counters.over(window);
        int qualified = scheme.qualifiedLevel(counted);
        var inGrace = graceUntil != null;
        if (qualified > level || (inGrace && qualified == level)) {
            var after = new Standing(qualified, qualified > level ? t : since, scheme.window().nextReview(t, scheme.timeZone()),
                null, null, reassess);
            var kind = qualified > level ? Kind.UPGRADED : Kind.RENEWED;
            return new Step(after, new Change(kind, reason, level, qualified, t, window, counted, after));
        }
        return new Step(new Standing(level, since, reviewAt, graceUntil, graceLevel, reassess), null);
    }

    private Step reviewed(Instant at, TierScheme scheme, CountersOver counters) {
        var window = scheme.window().before(at, scheme.timeZone());
        var counted = counters.over(window);
        int reached = scheme.qualifiedLevel(counted);
        if (reached >= level) {
            var after = new Standing(reached, reached > level ? at : since,
                reached > 1 ? scheme.window().nextReview(at, scheme.timeZone()) : null, null, null, reassessAt);
            if (reached == 1) {
                return new Step(after, null);
            }
            var kind = reached > level ? Kind.UPGRADED : Kind.RENEWED;
            return new Step(after, new Change(kind, Reason.PERIOD_ENDED, level, reached, at, window, counted, after));
        }
        if (scheme.graceDays() > 0) {
            var after = new Standing(level, since, null, scheme.graceEnd(at), reached, reassessAt);
            return new Step(after, new Change(Kind.GRACE_STARTED, Reason.PERIOD_ENDED, level, level, at, window, counted,
                after));
        }
        return moved(reached, at, Reason.PERIOD_ENDED, window, counted, scheme);
    }

    private Step graceEnds(Instant at, TierScheme scheme, CountersOver counters) {
        var window = scheme.window().before(at, scheme.timeZone());
        var counted = counters.over(window);
        int reached = Math.max(Objects.requireNonNull(graceLevel), scheme.qualifiedLevel(counted));
        return moved(reached, at, Reason.GRACE_ENDED, window, counted, scheme);
    }

    private Step moved(int reached, Instant at, Reason reason, Interval window, Counters counted, TierScheme scheme) {
        var after = new Standing(reached, reached == level ? since : at,
            reached > 1 ? scheme.window().nextReview(at, scheme.timeZone()) : null, null, null, reassessAt);
        var kind = reached > level ? Kind.UPGRADED : reached == level ? Kind.RENEWED : Kind.DOWNGRADED;
        return new Step(after, new Change(kind, reason, level, reached, at, window, counted, after));
    }
}
