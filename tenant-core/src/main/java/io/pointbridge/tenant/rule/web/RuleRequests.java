package io.pointbridge.tenant.rule.web;

import io.pointbridge.tenant.purchase.Money;
import io.pointbridge.tenant.rule.DryRuns;
import io.pointbridge.tenant.rule.RuleDefinition;
import io.pointbridge.tenant.rule.RuleDefinition.Action;
import io.pointbridge.tenant.rule.RuleDefinition.ActionKind;
import io.pointbridge.tenant.rule.RuleDefinition.Cap;
import io.pointbridge.tenant.rule.RuleDefinition.CapPeriod;
import io.pointbridge.tenant.rule.RuleVersion;
import io.pointbridge.tenant.rule.RuleVersion.Status;
import io.pointbridge.tenant.tenancy.Program;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Request and response bodies of the earning rule endpoints, validated at the edge. */
final class RuleRequests {

    static final String MAX_AMOUNT = "1000000000";
    static final String CODE = "[\\p{Alnum}._:/#-]{1,64}";
    static final String CODE_RULE = "1 to 64 letters, digits or . _ : / # -";
    static final String GROUP = "[a-z0-9][a-z0-9-]{0,62}";

    private RuleRequests() {
    }

    /**
     * A rule's settings.
     *
     * @param event     the event type it earns on: purchase, first-order, registration, profile-completed, referral,
     *                  review, survey-answered, or custom.&lt;name&gt;
     * @param condition a CEL expression over {@code event} and {@code member}; left out, the rule always applies
     * @param priority  1 to 1000, default 100; lower numbers are evaluated first
     * @param budget    the campaign's points budget across all members
     */
    record RuleRequest(
            @NotBlank @Size(max = 120) String name,
            @Size(max = 1000) String description,
            @NotBlank @Size(max = 80) String event,
            @Size(max = 2000) String condition,
            @NotNull @Valid ActionRequest action,
            @Min(1) @Max(1000) Integer priority,
            Boolean exclusive,
            @Pattern(regexp = GROUP, message = "lower-case letters, digits and '-', 1 to 63 characters")
            String exclusionGroup,
            @Valid CapRequest cap,
            @Min(1) @Max(1_000_000_000_000L) Long budget,
            Instant validFrom,
            Instant validTo) {

        RuleDefinition definition(Program program) {
            return new RuleDefinition(name.strip(), blankToNull(description), event, blankToNull(condition),
                action.action(program), priority == null ? 100 : priority, Boolean.TRUE.equals(exclusive),
                exclusionGroup, cap == null ? null : new Cap(cap.period(), cap.maxPoints(), cap.maxTimes()), budget,
                validFrom, validTo);
        }
    }

    /**
     * What a rule awards: PER_AMOUNT ({@code points} per {@code per} of the program's currency), FIXED
     * ({@code points}), MULTIPLIER ({@code factor} times the base rate's points) or BONUS ({@code percent} of
     * what the base rate and earlier rules gave). {@code lineFilter} narrows PER_AMOUNT and MULTIPLIER to
     * the purchase lines it is true for.
     */
    record ActionRequest(
            @NotNull ActionKind kind,
            @Min(1) @Max(1_000_000_000) Long points,
            @DecimalMin(value = "0", inclusive = false) @DecimalMax(MAX_AMOUNT) BigDecimal per,
            @DecimalMin(value = "1", inclusive = false, message = "must be more than 1") @DecimalMax("100")
            @Digits(integer = 3, fraction = 2) BigDecimal factor,
            @DecimalMin(value = "0", inclusive = false) @DecimalMax("1000") @Digits(integer = 4, fraction = 2)
            BigDecimal percent,
            @Size(max = 2000) String lineFilter) {

        Action action(Program program) {
            var perMinor = per == null ? null : Money.toMinor("action.per", per, program.purchaseCurrency());
            return new Action(kind, points, perMinor, factor, percent, blankToNull(lineFilter));
        }
    }

    record CapRequest(@NotNull CapPeriod period, @Min(1) @Max(1_000_000_000_000L) Long maxPoints,
            @Min(1) @Max(1_000_000) Integer maxTimes) {
    }

    /** Publishes the program's drafts; with a fingerprint (from a backtest), only if they are still those. */
    record PublishRequest(@Size(max = 64) String draftFingerprint) {
    }

    record BacktestRequest(@NotNull Instant from, @NotNull Instant to) {
    }

    record DryRunRequest(@NotNull @Valid SampleEvent event, @Valid SampleMember member, DryRuns.RuleSet ruleSet) {
    }

    /**
     * A sample event; {@code occurredAt} defaults to now. Only purchase and first-order events have an amount,
     * a currency (the program's by default), lines, a channel and a store.
     */
    record SampleEvent(
            @NotBlank @Size(max = 80) String type,
            Instant occurredAt,
            @DecimalMin("0") @DecimalMax(MAX_AMOUNT) BigDecimal amount,
            @Pattern(regexp = "[A-Z]{3}", message = "an ISO 4217 code such as EUR") String currency,
            @Pattern(regexp = CODE, message = CODE_RULE) String channel,
            @Pattern(regexp = CODE, message = CODE_RULE) String store,
            @Size(max = 128) String reference,
            @Size(max = 200) List<@Valid @NotNull SampleLine> lines,
            @Size(max = 50) Map<String, Object> attributes,
            Boolean firstOrder) {
    }

    record SampleLine(@Size(max = 64) String sku, @Size(max = 64) String category,
            @NotNull @Min(1) @Max(1_000_000) Long quantity,
            @NotNull @DecimalMin("0") @DecimalMax(MAX_AMOUNT) BigDecimal amount) {
    }

    /** The member of a dry run: a real member's id, and/or a tier and tags to try. */
    record SampleMember(UUID memberId, @Size(max = 64) String tier,
            @Size(max = 50) List<@NotBlank @Size(max = 64) String> tags) {
    }

    /** A rule version as the API shows it; {@code per} in the program's currency. */
    record RuleView(UUID ruleId, int version, UUID programId, Status status, boolean inForce, boolean retires,
            String name, @Nullable String description, String event, @Nullable String condition, ActionView action,
            int priority, boolean exclusive, @Nullable String exclusionGroup, @Nullable Cap cap, @Nullable Long budget,
            @Nullable Instant validFrom, @Nullable Instant validTo, Instant draftedAt, String draftedBy,
            @Nullable Instant publishedAt, @Nullable String publishedBy, @Nullable Instant supersededAt) {

        static @Nullable RuleView of(@Nullable RuleVersion version, Program program) {
            if (version == null) {
                return null;
            }
            var definition = version.definition();
            var action = definition.action();
            return new RuleView(version.ruleId(), version.version(), version.programId(), version.status(),
                version.status() == Status.PUBLISHED && version.supersededAt() == null && !version.retires(),
                version.retires(), definition.name(), definition.description(), definition.eventType(),
                definition.condition(),
                new ActionView(action.kind(), action.points(),
                    action.perMinor() == null ? null : Money.fromMinor(action.perMinor(), program.purchaseCurrency()),
                    action.factor(), action.percent(), action.lineFilter()),
                definition.priority(), definition.exclusive(), definition.exclusionGroup(), definition.cap(),
                definition.budget(), definition.validFrom(), definition.validTo(), version.draftedAt(),
                version.draftedBy(), version.publishedAt(), version.publishedBy(), version.supersededAt());
        }
    }

    record ActionView(ActionKind kind, @Nullable Long points, @Nullable BigDecimal per, @Nullable BigDecimal factor,
            @Nullable BigDecimal percent, @Nullable String lineFilter) {
    }

    /** A rule in a program's list: its version in force (or retirement) and its pending draft. */
    record RuleSummaryView(UUID ruleId, UUID programId, Instant createdAt, long budgetSpent, @Nullable RuleView inForce,
            @Nullable RuleView draft) {
    }

    record RuleHistoryView(UUID ruleId, UUID programId, Instant createdAt, String createdBy, long budgetSpent,
            List<RuleView> versions) {
    }

    record PublicationView(UUID programId, Instant publishedAt, List<RuleView> published) {
    }

    static @Nullable String blankToNull(@Nullable String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
