package io.pointbridge.tenant.rule;

import io.pointbridge.tenant.InvalidRequest;
import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.audit.AuditTrail.Change;
import io.pointbridge.tenant.rule.RuleConditions.Kind;
import io.pointbridge.tenant.rule.RuleDefinition.ActionKind;
import io.pointbridge.tenant.rule.RuleFailures.ConflictingRuleSettings;
import io.pointbridge.tenant.rule.RuleFailures.DraftChanged;
import io.pointbridge.tenant.rule.RuleFailures.NoDraft;
import io.pointbridge.tenant.rule.RuleFailures.NothingToPublish;
import io.pointbridge.tenant.rule.RuleFailures.RuleNameTaken;
import io.pointbridge.tenant.rule.RuleFailures.RuleNotFound;
import io.pointbridge.tenant.rule.RuleFailures.RuleRetired;
import io.pointbridge.tenant.rule.RuleVersion.Status;
import io.pointbridge.tenant.tenancy.TenantManagement;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tenant admins' earning rules: each change is a new draft version, checked when saved (its CEL expressions
 * compile and type-check, its settings agree with each other and with the program's other rules) and
 * audited; publishing puts all of a program's drafts in force at once and keeps every earlier version.
 *
 * <p>Changes to one program's rules take turns on a per-program lock, so that two admins never publish or
 * validate against a set the other is changing. Conflicts are checked against the draft set (what
 * publishing would put in force), so the set in force is always free of them. Rules exclude each other only
 * through priority order, a strict order, so no setting can form a cycle; the settings refused are those
 * that would make the order ambiguous (an exclusive rule, or two rules of one exclusion group, sharing a
 * priority with a rule they meet) or that an action cannot honour (an amount-based action on an event
 * without an amount).
 */
@Service
public class EarningRules {

    private final JdbcClient jdbc;
    private final RuleVersions versions;
    private final RuleConditions conditions;
    private final TenantManagement tenancy;
    private final AuditTrail audit;
    private final Clock clock;

    EarningRules(JdbcClient jdbc, RuleVersions versions, RuleConditions conditions, TenantManagement tenancy,
            AuditTrail audit, Clock clock) {
        this.jdbc = jdbc;
        this.versions = versions;
        this.conditions = conditions;
        this.tenancy = tenancy;
        this.audit = audit;
        this.clock = clock;
    }

    /** A rule with its version in force (or its retirement) and its pending draft, if any. */
    public record RuleSummary(UUID ruleId, UUID programId, Instant createdAt, @Nullable RuleVersion inForce,
            @Nullable RuleVersion draft, long budgetSpent) {
    }

    /** A rule with every version it has had, oldest first. */
    public record RuleHistory(UUID ruleId, UUID programId, Instant createdAt, String createdBy, long budgetSpent,
            List<RuleVersion> versions) {
    }

    /** The drafts a publication put in force, and when. */
    public record Publication(UUID programId, Instant publishedAt, List<RuleVersion> published) {
    }

    /** Drafts a new rule as version 1. */
    @Transactional
    public RuleVersion create(UUID programId, RuleDefinition definition, String actor, @Nullable String requestId) {
        lockProgram(programId);
        var ruleId = UUID.randomUUID();
        validate(definition, ruleId, versions.draftSet(programId));
        var now = clock.instant();
        jdbc.sql("""
                insert into earning_rules (tenant_id, rule_id, program_id, created_at, created_by)
                values (:tenant, :rule, :program, :now, :actor)""")
            .param("tenant", TenantContext.require()).param("rule", ruleId).param("program", programId)
            .param("now", RuleVersions.at(now)).param("actor", actor)
            .update();
        var draft = new RuleVersion(ruleId, 1, programId, Status.DRAFT, false, definition, now, actor, null, null,
            null);
        versions.insert(draft);
        audit.record(new Change(actor, "earning-rule.drafted", subject(ruleId), null, draft, requestId));
        return draft;
    }

    /** Drafts a new version of a rule with these settings, replacing the rule's pending draft if it has one. */
    @Transactional
    public RuleVersion change(UUID programId, UUID ruleId, RuleDefinition definition, String actor,
            @Nullable String requestId) {
        lockProgram(programId);
        var history = requireRule(programId, ruleId);
        validate(definition, ruleId, versions.draftSet(programId));
        return draft(history, definition, false, "earning-rule.changed", actor, requestId);
    }

    /** Drafts the end of a rule: once published, no version of it is in force any more. */
    @Transactional
    public RuleVersion retire(UUID programId, UUID ruleId, String actor, @Nullable String requestId) {
        lockProgram(programId);
        var history = requireRule(programId, ruleId);
        // A retirement keeps the settings in force, not those of a draft it replaces.
        var settings = Optional.ofNullable(inForce(history)).or(() -> history.stream()
            .filter(version -> version.status() == Status.DRAFT).findFirst()).orElse(history.getLast());
        return draft(history, settings.definition(), true, "earning-rule.retirement-drafted", actor, requestId);
    }

    /** Withdraws a rule's pending draft, leaving its version in force as it is. */
    @Transactional
    public RuleVersion withdrawDraft(UUID programId, UUID ruleId, String actor, @Nullable String requestId) {
        lockProgram(programId);
        var draft = requireRule(programId, ruleId).stream().filter(version -> version.status() == Status.DRAFT)
            .findFirst().orElseThrow(() -> new NoDraft(ruleId));
        versions.withdraw(ruleId, draft.version());
        var withdrawn = versions.history(ruleId).get(draft.version() - 1);
        audit.record(new Change(actor, "earning-rule.draft-withdrawn", subject(ruleId), draft, withdrawn, requestId));
        return withdrawn;
    }

    /**
     * Puts every draft of the program in force now. With a fingerprint (from {@link #draftFingerprint} or a
     * backtest), publishes only if the drafts are still exactly the ones it names.
     */
    @Transactional
    public Publication publish(UUID programId, @Nullable String expectedFingerprint, String actor,
            @Nullable String requestId) {
        lockProgram(programId);
        var drafts = versions.drafts(programId);
        if (drafts.isEmpty()) {
            throw new NothingToPublish();
        }
        var fingerprint = fingerprint(drafts);
        if (expectedFingerprint != null && !expectedFingerprint.equals(fingerprint)) {
            throw new DraftChanged(expectedFingerprint, fingerprint);
        }
        // Drafts were checked when saved; checked again, a draft saved under an older version of the checks
        // cannot slip into force.
        var set = versions.draftSet(programId);
        for (var draft : drafts) {
            if (!draft.retires()) {
                validate(draft.definition(), draft.ruleId(), set);
            }
        }
        var now = clock.instant();
        var published = new ArrayList<RuleVersion>();
        for (var draft : drafts) {
            var before = inForce(versions.history(draft.ruleId()));
            versions.publish(draft, now, actor);
            var after = versions.history(draft.ruleId()).get(draft.version() - 1);
            published.add(after);
            audit.record(new Change(actor, draft.retires() ? "earning-rule.retired" : "earning-rule.published",
                subject(draft.ruleId()), before, after, requestId));
        }
        return new Publication(programId, now, List.copyOf(published));
    }

    /** The program's rules, oldest first. */
    @Transactional(readOnly = true)
    public List<RuleSummary> rules(UUID programId) {
        tenancy.program(programId);
        return jdbc.sql("""
                select rule_id, created_at, budget_spent from earning_rules
                 where tenant_id = :tenant and program_id = :program order by created_at, rule_id""")
            .param("tenant", TenantContext.require()).param("program", programId)
            .query((rs, row) -> {
                var ruleId = rs.getObject("rule_id", UUID.class);
                var history = versions.history(ruleId);
                return new RuleSummary(ruleId, programId, rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                    inForce(history), history.stream().filter(version -> version.status() == Status.DRAFT).findFirst()
                        .orElse(null), rs.getLong("budget_spent"));
            })
            .list();
    }

    /** One rule with all its versions. */
    @Transactional(readOnly = true)
    public RuleHistory rule(UUID programId, UUID ruleId) {
        var history = requireRule(programId, ruleId);
        return jdbc.sql("""
                select created_at, created_by, budget_spent from earning_rules
                 where tenant_id = :tenant and rule_id = :rule""")
            .param("tenant", TenantContext.require()).param("rule", ruleId)
            .query((rs, row) -> new RuleHistory(ruleId, programId,
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getString("created_by"),
                rs.getLong("budget_spent"), history))
            .single();
    }

    /** Names the program's current drafts; changes whenever a draft is saved, withdrawn or published. */
    @Transactional(readOnly = true)
    public String draftFingerprint(UUID programId) {
        tenancy.program(programId);
        return fingerprint(versions.drafts(programId));
    }

    static String fingerprint(List<RuleVersion> drafts) {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            drafts.stream().map(draft -> draft.ruleId() + ":" + draft.version()).sorted()
                .forEach(id -> digest.update((id + "\n").getBytes(StandardCharsets.UTF_8)));
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private RuleVersion draft(List<RuleVersion> history, RuleDefinition definition, boolean retires, String action,
            String actor, @Nullable String requestId) {
        var ruleId = history.getFirst().ruleId();
        var current = inForce(history);
        if (current != null && current.retires()) {
            throw new RuleRetired(ruleId);
        }
        var pending = history.stream().filter(version -> version.status() == Status.DRAFT).findFirst();
        pending.ifPresent(draft -> versions.withdraw(ruleId, draft.version()));
        var draft = new RuleVersion(ruleId, history.getLast().version() + 1, history.getFirst().programId(),
            Status.DRAFT, retires, definition, clock.instant(), actor, null, null, null);
        versions.insert(draft);
        audit.record(new Change(actor, action, subject(ruleId), pending.orElse(current), draft, requestId));
        return draft;
    }

    private void validate(RuleDefinition definition, UUID ruleId, List<RuleVersion> set) {
        if (!EventTypes.isKnown(definition.eventType())) {
            throw new InvalidRequest("event", "must be " + EventTypes.RULE);
        }
        var action = definition.action();
        requireFields(action);
        if ((action.kind() == ActionKind.PER_AMOUNT || action.kind() == ActionKind.MULTIPLIER)
                && !EventTypes.isPurchase(definition.eventType())) {
            throw new ConflictingRuleSettings("action.kind", action.kind() + " counts a purchase's amount, and '"
                + definition.eventType() + "' events have none: use FIXED or BONUS", null);
        }
        if (definition.priority() < 1 || definition.priority() > 1000) {
            throw new InvalidRequest("priority", "must be between 1 and 1000");
        }
        if (definition.budget() != null && definition.budget() <= 0) {
            throw new InvalidRequest("budget", "must be positive");
        }
        var cap = definition.cap();
        if (cap != null && cap.maxPoints() == null && cap.maxTimes() == null) {
            throw new InvalidRequest("cap", "needs maxPoints, maxTimes or both");
        }
        if (cap != null && (cap.maxPoints() != null && cap.maxPoints() <= 0
                || cap.maxTimes() != null && cap.maxTimes() <= 0)) {
            throw new InvalidRequest("cap", "limits must be positive");
        }
        if (definition.validFrom() != null && definition.validTo() != null
                && !definition.validTo().isAfter(definition.validFrom())) {
            throw new ConflictingRuleSettings("validTo", "must be after validFrom", null);
        }
        if (definition.validTo() != null && !definition.validTo().isAfter(clock.instant())) {
            throw new InvalidRequest("validTo", "is in the past: the rule would never apply");
        }
        if (definition.condition() != null) {
            conditions.check(Kind.CONDITION, "condition", definition.condition());
        }
        if (action.lineFilter() != null) {
            conditions.check(Kind.LINE_FILTER, "action.lineFilter", action.lineFilter());
        }
        for (var other : set) {
            if (other.ruleId().equals(ruleId)) {
                continue;
            }
            var theirs = other.definition();
            if (normalised(theirs.name()).equals(normalised(definition.name()))) {
                throw new RuleNameTaken(definition.name(), other.ruleId());
            }
            if (!meet(definition, theirs) || theirs.priority() != definition.priority()) {
                continue;
            }
            if (definition.exclusive() || theirs.exclusive()) {
                throw new ConflictingRuleSettings("priority", "rule '" + theirs.name() + "' applies to the same"
                    + " events with priority " + theirs.priority() + " too, and "
                    + (definition.exclusive() ? "this rule" : "that rule")
                    + " is exclusive: which of the two excludes the other would be arbitrary", other.ruleId());
            }
            if (definition.exclusionGroup() != null && definition.exclusionGroup().equals(theirs.exclusionGroup())) {
                throw new ConflictingRuleSettings("priority", "rule '" + theirs.name() + "' of exclusion group '"
                    + theirs.exclusionGroup() + "' has priority " + theirs.priority() + " too: which of the two applies"
                    + " would be arbitrary", other.ruleId());
            }
        }
    }

    private static void requireFields(RuleDefinition.Action action) {
        var kind = action.kind();
        positive("action.points", action.points(), kind == ActionKind.PER_AMOUNT || kind == ActionKind.FIXED, kind);
        positive("action.per", action.perMinor(), kind == ActionKind.PER_AMOUNT, kind);
        positive("action.factor", action.factor() == null ? null : action.factor().signum(),
            kind == ActionKind.MULTIPLIER, kind);
        positive("action.percent", action.percent() == null ? null : action.percent().signum(),
            kind == ActionKind.BONUS, kind);
        if (kind == ActionKind.MULTIPLIER && action.factor().compareTo(java.math.BigDecimal.ONE) <= 0) {
            throw new InvalidRequest("action.factor",
                "must be more than 1: a multiplier of the base rate adds factor - 1 times it");
        }
        if (action.lineFilter() != null && kind != ActionKind.PER_AMOUNT && kind != ActionKind.MULTIPLIER) {
            throw new InvalidRequest("action.lineFilter",
                "is not used by " + kind + ": only PER_AMOUNT and MULTIPLIER count lines");
        }
    }

    private static void positive(String field, @Nullable Number value, boolean used, ActionKind kind) {
        if (used && value == null) {
            throw new InvalidRequest(field, "is required for " + kind);
        }
        if (!used && value != null) {
            throw new InvalidRequest(field, "is not used by " + kind);
        }
        if (value != null && value.longValue() <= 0) {
            throw new InvalidRequest(field, "must be positive");
        }
    }

    /** Whether two rules can both apply to one event: related event types and overlapping campaign windows. */
    private static boolean meet(RuleDefinition one, RuleDefinition other) {
        boolean types = one.eventType().equals(other.eventType())
            || EventTypes.isPurchase(one.eventType()) && EventTypes.isPurchase(other.eventType());
        return types && before(one.validFrom(), other.validTo()) && before(other.validFrom(), one.validTo());
    }

    private static boolean before(@Nullable Instant start, @Nullable Instant end) {
        return start == null || end == null || start.isBefore(end);
    }

    private static String normalised(String name) {
        return name.strip().toLowerCase(Locale.ROOT);
    }

    private static @Nullable RuleVersion inForce(List<RuleVersion> history) {
        return history.stream()
            .filter(version -> version.status() == Status.PUBLISHED && version.supersededAt() == null)
            .findFirst().orElse(null);
    }

    private void lockProgram(UUID programId) {
        tenancy.program(programId);
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended(:key, 0))")
            .param("key", "earning-rules/" + TenantContext.require() + "/" + programId)
            .query(Object.class).single();
    }

    private List<RuleVersion> requireRule(UUID programId, UUID ruleId) {
        var history = versions.history(ruleId);
        if (history.isEmpty() || !history.getFirst().programId().equals(programId)) {
            throw new RuleNotFound(ruleId);
        }
        return history;
    }

    private static String subject(UUID ruleId) {
        return "earning-rule:" + ruleId;
    }
}
