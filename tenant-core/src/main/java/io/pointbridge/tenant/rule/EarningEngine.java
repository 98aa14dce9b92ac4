package io.pointbridge.tenant.rule;

import io.pointbridge.tenant.rule.RuleConditions.EvaluationFailed;
import io.pointbridge.tenant.rule.RuleConditions.Kind;
import io.pointbridge.tenant.rule.RuleDefinition.ActionKind;
import io.pointbridge.tenant.rule.RuleDefinition.CapPeriod;
import io.pointbridge.tenant.rule.RuleOutcome.Outcome;
import io.pointbridge.tenant.tenancy.Program;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Evaluates the rules in force for one event of one member: which award points, how many, and why the
 * others do not.
 *
 * <p>Rules run in ascending priority (then rule id, so the order is total). Each rule's condition is
 * tested and its points computed; a rule that awards points then excludes every later rule if it is
 * exclusive, and every later rule of its exclusion group. Caps cut an award down to what the member has
 * left for the period; a campaign budget gives an award whole or not at all, so a promised "50 extra
 * points" is never paid as 13. A rule that awards nothing (condition false, cap reached, budget spent)
 * excludes nothing: when a campaign's budget runs out, the rules it excluded apply again. Base-rate points
 * of a purchase are always given and are never excluded.
 */
@Component
class EarningEngine {

    static final LocalDate LIFETIME = LocalDate.of(1, 1, 1);

    private final RuleConditions conditions;

    EarningEngine(RuleConditions conditions) {
        this.conditions = conditions;
    }

    /** The points an event earns: base rate, then each rule's outcome in evaluation order. */
    record Evaluation(long basePoints, List<RuleOutcome> outcomes) {

        long rulePoints() {
            return outcomes.stream().mapToLong(RuleOutcome::points).sum();
        }

        long totalPoints() {
            return Math.addExact(basePoints, rulePoints());
        }

        List<RuleOutcome> awards() {
            return outcomes.stream().filter(RuleOutcome::awarded).toList();
        }
    }

    /**
     * Evaluates the versions that apply to the event (those of the event types it triggers) against the
     * counters, and counts each award in them.
     *
     * @param memberKey the member the counters count for (a hypothetical member's random id in a dry run)
     */
    Evaluation evaluate(Program program, EarningEvent event, MemberProfile member, UUID memberKey,
            List<RuleVersion> versions, Counters counters) {
        return evaluate(program, event, member, memberKey, versions, counters, BigDecimal.ONE);
    }

    /** As above, with the base rate multiplied first (e.g. by the member's tier), rounded down once. */
    Evaluation evaluate(Program program, EarningEvent event, MemberProfile member, UUID memberKey,
            List<RuleVersion> versions, Counters counters, BigDecimal baseMultiplier) {
        long base = EventTypes.isPurchase(event.type()) && event.amountMinor() != null
            ? program.pointsFor(event.amountMinor(), baseMultiplier) : 0;
        var facts = RuleFacts.of(program, event, member);
        var triggers = event.triggers();
        var ordered = versions.stream()
            .filter(version -> !version.retires() && triggers.contains(version.definition().eventType()))
            .sorted(Comparator.comparingInt((RuleVersion version) -> version.definition().priority())
                .thenComparing(RuleVersion::ruleId))
            .toList();

        var slots = new ArrayList<Slot>();
        for (var version : ordered) {
            slots.add(prepare(program, event, facts, version, base));
        }
        counters.prepareBudgets(slots.stream()
            .filter(slot -> slot.outcome == null && slot.version.definition().budget() != null)
            .map(slot -> slot.version.ruleId()).sorted().toList());

        long earned = base;
        RuleVersion exclusiveWinner = null;
        var groupWinners = new HashMap<String, RuleVersion>();
        var outcomes = new ArrayList<RuleOutcome>();
        for (var slot : slots) {
            var outcome = slot.outcome != null ? slot.outcome
                : award(slot, earned, exclusiveWinner, groupWinners, memberKey, facts, counters);
            outcomes.add(outcome);
            if (outcome.awarded()) {
                earned = Math.addExact(earned, outcome.points());
                var definition = slot.version.definition();
                if (definition.exclusive() && exclusiveWinner == null) {
                    exclusiveWinner = slot.version;
                }
                if (definition.exclusionGroup() != null) {
                    groupWinners.putIfAbsent(definition.exclusionGroup(), slot.version);
                }
            }
        }
        return new Evaluation(base, List.copyOf(outcomes));
    }

    /** The start of the cap period the local date falls in; lifetime caps have one period. */
    static LocalDate periodStart(@Nullable CapPeriod period, LocalDate date) {
        if (period == null) {
            return LIFETIME;
        }
        return switch (period) {
            case DAY -> date;
            case WEEK -> date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> date.withDayOfMonth(1);
            case LIFETIME -> LIFETIME;
        };
    }

    /** A rule before awards: decided already (outcome set), or the points it would give (none yet for a bonus). */
    private static final class Slot {
        final RuleVersion version;
        @Nullable RuleOutcome outcome;
        long points;

        Slot(RuleVersion version) {
            this.version = version;
        }
    }

    private Slot prepare(Program program, EarningEvent event, RuleFacts facts, RuleVersion version, long base) {
        var slot = new Slot(version);
        var definition = version.definition();
        if (!version.validAt(event.occurredAt())) {
            slot.outcome = outcome(version, Outcome.NOT_EFFECTIVE, 0, window(definition), null, null);
            return slot;
        }
        try {
            if (definition.condition() != null
                    && !conditions.test(Kind.CONDITION, definition.condition(), facts.forCondition())) {
                slot.outcome = outcome(version, Outcome.CONDITION_FALSE, 0, "its condition is false", null, null);
                return slot;
            }
            if (definition.action().kind() != ActionKind.BONUS) {
                slot.points = points(program, event, facts, definition.action(), base);
                if (slot.points == 0) {
                    slot.outcome = outcome(version, Outcome.NOTHING_TO_AWARD, 0,
                        definition.action().lineFilter() == null ? "it computes no points for this amount"
                            : "no line of the purchase passes its line filter", null, null);
                }
            }
        } catch (EvaluationFailed failed) {
            slot.outcome = outcome(version, Outcome.CONDITION_FAILED, 0, "its expression could not be evaluated: "
                + failed.getMessage(), null, null);
        }
        return slot;
    }

    private RuleOutcome award(Slot slot, long earnedSoFar, @Nullable RuleVersion exclusiveWinner,
            Map<String, RuleVersion> groupWinners, UUID memberKey, RuleFacts facts, Counters counters) {
        var version = slot.version;
        var definition = version.definition();
        if (exclusiveWinner != null) {
            return outcome(version, Outcome.EXCLUDED, 0, "exclusive rule '" + exclusiveWinner.definition().name()
                + "' (priority " + exclusiveWinner.definition().priority() + ") awarded points first",
                exclusiveWinner.ruleId(), null);
        }
        var groupWinner = definition.exclusionGroup() == null ? null : groupWinners.get(definition.exclusionGroup());
        if (groupWinner != null) {
            return outcome(version, Outcome.EXCLUDED, 0, "rule '" + groupWinner.definition().name()
                + "' of exclusion group '" + definition.exclusionGroup() + "' awarded points first",
                groupWinner.ruleId(), null);
        }
        long points = definition.action().kind() == ActionKind.BONUS
            ? new BigDecimal(earnedSoFar).multiply(definition.action().percent()).movePointLeft(2)
                .setScale(0, RoundingMode.FLOOR).longValueExact()
            : slot.points;
        if (points == 0) {
            return outcome(version, Outcome.NOTHING_TO_AWARD, 0, "its bonus of "
                + definition.action().percent().toPlainString() + "% of " + earnedSoFar
                + " points rounds down to nothing", null, null);
        }
        var cap = definition.cap();
        var periodStart = periodStart(cap == null ? null : cap.period(), facts.local().toLocalDate());
        Long cappedFrom = null;
        if (cap != null) {
            var used = counters.usage(version.ruleId(), memberKey, periodStart);
            var period = cap.period() == CapPeriod.LIFETIME ? "ever" : "this " + cap.period().name().toLowerCase();
            if (cap.maxTimes() != null && used.times() >= cap.maxTimes()) {
                return outcome(version, Outcome.CAP_REACHED, 0, "the member has had " + used.times() + " of its "
                    + cap.maxTimes() + " awards " + period, null, null);
            }
            if (cap.maxPoints() != null) {
                long room = cap.maxPoints() - used.points();
                if (room <= 0) {
                    return outcome(version, Outcome.CAP_REACHED, 0, "the member has had " + used.points() + " of its "
                        + cap.maxPoints() + " points " + period, null, null);
                }
                if (points > room) {
                    cappedFrom = points;
                    points = room;
                }
            }
        }
        if (definition.budget() != null) {
            long left = definition.budget() - counters.budgetSpent(version.ruleId());
            if (points > left) {
                return outcome(version, Outcome.BUDGET_SPENT, 0, "its campaign budget has " + Math.max(left, 0) + " of "
                    + definition.budget() + " points left, and this award is " + points, null, null);
            }
        }
        counters.award(version, memberKey, periodStart, points);
        var reason = cappedFrom == null ? null : "cut from " + cappedFrom + " to the " + cap.maxPoints()
            + " points it gives " + (cap.period() == CapPeriod.LIFETIME ? "a member ever"
                : "per " + cap.period().name().toLowerCase());
        return outcome(version, Outcome.AWARDED, points, reason, null, cappedFrom);
    }

    private long points(Program program, EarningEvent event, RuleFacts facts, RuleDefinition.Action action, long base) {
        return switch (action.kind()) {
            case FIXED -> action.points();
            case PER_AMOUNT -> BigInteger.valueOf(scope(program, event, facts, action))
                .multiply(BigInteger.valueOf(action.points())).divide(BigInteger.valueOf(action.perMinor()))
                .longValueExact();
            case MULTIPLIER -> {
                long basePoints = action.lineFilter() == null ? base
                    : program.pointsFor(scope(program, event, facts, action));
                yield new BigDecimal(basePoints).multiply(action.factor().subtract(BigDecimal.ONE))
                    .setScale(0, RoundingMode.FLOOR).longValueExact();
            }
            case BONUS -> throw new IllegalArgumentException("a bonus depends on the rules before it");
        };
    }

    /** The amount in minor units an amount-based action counts: the whole purchase, or the lines its filter keeps. */
    private long scope(Program program, EarningEvent event, RuleFacts facts, RuleDefinition.Action action) {
        if (event.amountMinor() == null) {
            return 0;
        }
        if (action.lineFilter() == null) {
            return event.amountMinor();
        }
        int digits = Math.max(program.purchaseCurrency().getDefaultFractionDigits(), 0);
        long amount = 0;
        for (var line : event.lines()) {
            if (conditions.test(Kind.LINE_FILTER, action.lineFilter(), facts.forLine(line, digits))) {
                amount = Math.addExact(amount, line.amountMinor());
            }
        }
        return amount;
    }

    private static String window(RuleDefinition definition) {
        return "its campaign runs " + (definition.validFrom() == null ? "" : "from " + definition.validFrom() + " ")
            + (definition.validTo() == null ? "on" : "until " + definition.validTo());
    }

    private static RuleOutcome outcome(RuleVersion version, Outcome outcome, long points, @Nullable String reason,
            @Nullable UUID excludedBy, @Nullable Long cappedFrom) {
        return new RuleOutcome(version.ruleId(), version.version(), version.definition().name(),
            version.definition().priority(), outcome, points, reason, excludedBy, cappedFrom);
    }
}
