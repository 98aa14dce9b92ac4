package io.pointbridge.tenant.rule.web;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.InvalidRequest;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.idempotency.IdempotentRequests;
import io.pointbridge.tenant.purchase.Money;
import io.pointbridge.tenant.purchase.PurchaseFailures.CurrencyMismatch;
import io.pointbridge.tenant.rule.Backtests;
import io.pointbridge.tenant.rule.Backtests.Report;
import io.pointbridge.tenant.rule.DryRuns;
import io.pointbridge.tenant.rule.DryRuns.Explanation;
import io.pointbridge.tenant.rule.EarningEvent;
import io.pointbridge.tenant.rule.EarningRules;
import io.pointbridge.tenant.rule.EventAttributes;
import io.pointbridge.tenant.rule.EventTypes;
import io.pointbridge.tenant.rule.web.RuleRequests.BacktestRequest;
import io.pointbridge.tenant.rule.web.RuleRequests.DryRunRequest;
import io.pointbridge.tenant.rule.web.RuleRequests.PublicationView;
import io.pointbridge.tenant.rule.web.RuleRequests.PublishRequest;
import io.pointbridge.tenant.rule.web.RuleRequests.RuleHistoryView;
import io.pointbridge.tenant.rule.web.RuleRequests.RuleRequest;
import io.pointbridge.tenant.rule.web.RuleRequests.RuleSummaryView;
import io.pointbridge.tenant.rule.web.RuleRequests.RuleView;
import io.pointbridge.tenant.rule.web.RuleRequests.SampleEvent;
import io.pointbridge.tenant.tenancy.Program;
import io.pointbridge.tenant.tenancy.TenancyFailures.ProgramNotFound;
import io.pointbridge.tenant.tenancy.TenancyFailures.UnknownCurrency;
import io.pointbridge.tenant.tenancy.TenantManagement;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.net.URI;
import java.time.Clock;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A program's earning rules, for tenant admins: drafts and their history, dry runs that explain, backtests
 * on past events, and publication. Brand managers get no access yet: a caller does not say which brand a
 * brand manager manages, so they would see every brand's rules.
 */
@RestController
@RequestMapping("/api/v1/programs/{programId}/rules")
class EarningRulesController {

    private final EarningRules rules;
    private final DryRuns dryRuns;
    private final Backtests backtests;
    private final TenantManagement tenancy;
    private final IdempotentRequests idempotent;
    private final Clock clock;

    EarningRulesController(EarningRules rules, DryRuns dryRuns, Backtests backtests, TenantManagement tenancy,
            IdempotentRequests idempotent, Clock clock) {
        this.rules = rules;
        this.dryRuns = dryRuns;
        this.backtests = backtests;
        this.tenancy = tenancy;
        this.idempotent = idempotent;
        this.clock = clock;
    }

    @GetMapping
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'SUPPORT_AGENT')")
    List<RuleSummaryView> rules(@PathVariable UUID programId, @AuthenticationPrincipal Caller caller) {
        var program = program(caller, programId);
        return rules.rules(programId).stream()
            .map(rule -> new RuleSummaryView(rule.ruleId(), rule.programId(), rule.createdAt(), rule.budgetSpent(),
                RuleView.of(rule.inForce(), program), RuleView.of(rule.draft(), program)))
            .toList();
    }

    @GetMapping("/{ruleId}")
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'SUPPORT_AGENT')")
    RuleHistoryView rule(@PathVariable UUID programId, @PathVariable UUID ruleId,
            @AuthenticationPrincipal Caller caller) {
        var program = program(caller, programId);
        var rule = rules.rule(programId, ruleId);
        return new RuleHistoryView(rule.ruleId(), rule.programId(), rule.createdAt(), rule.createdBy(),
            rule.budgetSpent(), rule.versions().stream().map(version -> RuleView.of(version, program)).toList());
    }

    /** Drafts a new rule; it earns nothing until the program's drafts are published. */
    @PostMapping
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<Object> create(@PathVariable UUID programId, @Valid @RequestBody RuleRequest request,
            @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        var program = program(caller, programId);
        var definition = request.definition(program);
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> {
            var draft = rules.create(programId, definition, caller.actor(), requestId(http, key));
            return ResponseEntity.created(URI.create(http.getRequestURI() + "/" + draft.ruleId()))
                .body(RuleView.of(draft, program));
        });
    }

    /** Drafts a new version of a rule with these settings (replacing its pending draft, if any). */
    @PostMapping("/{ruleId}/versions")
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<Object> change(@PathVariable UUID programId, @PathVariable UUID ruleId,
            @Valid @RequestBody RuleRequest request, @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        var program = program(caller, programId);
        var definition = request.definition(program);
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () ->
            ResponseEntity.status(201).body(RuleView.of(rules.change(programId, ruleId, definition, caller.actor(),
                requestId(http, key)), program)));
    }

    /** Drafts the rule's retirement: once published, it awards nothing any more. */
    @PostMapping("/{ruleId}/retirement")
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<Object> retire(@PathVariable UUID programId, @PathVariable UUID ruleId,
            @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        var program = program(caller, programId);
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), Map.of(), () ->
            ResponseEntity.status(201).body(RuleView.of(rules.retire(programId, ruleId, caller.actor(),
                requestId(http, key)), program)));
    }

    /** Withdraws the rule's pending draft. */
    @DeleteMapping("/{ruleId}/draft")
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<Object> withdraw(@PathVariable UUID programId, @PathVariable UUID ruleId,
            @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        var program = program(caller, programId);
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), Map.of(), () ->
            ResponseEntity.ok(RuleView.of(rules.withdrawDraft(programId, ruleId, caller.actor(), requestId(http, key)),
                program)));
    }

    /** Puts every draft of the program in force now, at once. */
    @PostMapping("/publish")
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<Object> publish(@PathVariable UUID programId,
            @Valid @RequestBody(required = false) PublishRequest body, @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        var program = program(caller, programId);
        var request = body == null ? new PublishRequest(null) : body;
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> {
            var publication = rules.publish(programId, request.draftFingerprint(), caller.actor(),
                requestId(http, key));
            return ResponseEntity.ok(new PublicationView(programId, publication.publishedAt(),
                publication.published().stream().map(version -> RuleView.of(version, program)).toList()));
        });
    }

    /** What a sample event would earn, rule by rule, and why; changes nothing. */
    @PostMapping("/dry-run")
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'SUPPORT_AGENT')")
    Explanation dryRun(@PathVariable UUID programId, @Valid @RequestBody DryRunRequest request,
            @AuthenticationPrincipal Caller caller) {
        var program = program(caller, programId);
        var member = request.member();
        var sample = member == null ? new DryRuns.SampleMember(null, null, null)
            : new DryRuns.SampleMember(member.memberId(), member.tier(),
                member.tags() == null ? null : new HashSet<>(member.tags()));
        return dryRuns.explain(programId, event(program, request.event()), sample,
            request.ruleSet() == null ? DryRuns.RuleSet.PUBLISHED : request.ruleSet());
    }

    /** Replays a past period against the draft set and the published rules; changes nothing. */
    @PostMapping("/backtest")
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    Report backtest(@PathVariable UUID programId, @Valid @RequestBody BacktestRequest request,
            @AuthenticationPrincipal Caller caller) {
        program(caller, programId);
        return backtests.run(programId, request.from(), request.to());
    }

    private EarningEvent event(Program program, SampleEvent sample) {
        if (!EventTypes.isKnown(sample.type())) {
            throw new InvalidRequest("event.type", "must be " + EventTypes.RULE);
        }
        var at = sample.occurredAt() == null ? clock.instant() : sample.occurredAt();
        var attributes = EventAttributes.normalise("event.attributes", sample.attributes() == null ? Map.of()
            : sample.attributes());
        if (!EventTypes.isPurchase(sample.type())) {
            if (sample.amount() != null || sample.lines() != null || sample.currency() != null
                    || sample.channel() != null || sample.store() != null || sample.firstOrder() != null) {
                throw new InvalidRequest("event.type", "only purchase and first-order events have an amount, currency,"
                    + " lines, channel, store or firstOrder");
            }
            return EarningEvent.of(sample.type(), at, sample.reference(), attributes);
        }
        var currency = sample.currency() == null ? program.purchaseCurrency() : currency(sample.currency());
        if (!currency.equals(program.purchaseCurrency())) {
            throw new CurrencyMismatch(currency.getCurrencyCode(), program.purchaseCurrency().getCurrencyCode());
        }
        var given = sample.lines() == null ? List.<RuleRequests.SampleLine>of() : sample.lines();
        var lines = IntStream.range(0, given.size())
            .mapToObj(i -> new EarningEvent.Line(given.get(i).sku(), given.get(i).category(), given.get(i).quantity(),
                Money.toMinor("event.lines[" + i + "].amount", given.get(i).amount(), currency)))
            .toList();
        long amount = sample.amount() == null ? 0 : Money.toMinor("event.amount", sample.amount(), currency);
        boolean first = EventTypes.FIRST_ORDER.equals(sample.type()) || Boolean.TRUE.equals(sample.firstOrder());
        return new EarningEvent(EventTypes.PURCHASE, at, amount, currency, sample.channel(), sample.store(),
            sample.reference(), lines, attributes, first);
    }

    private Program program(Caller caller, UUID programId) {
        var program = tenancy.program(programId);
        if (!caller.mayActOnBrand(program.brandId())) {
            throw new ProgramNotFound(programId.toString());
        }
        return program;
    }

    private static @Nullable String requestId(HttpServletRequest http, @Nullable String key) {
        return AuditTrail.requestId(http.getHeader(AuditTrail.REQUEST_ID_HEADER), key);
    }

    private static Currency currency(String code) {
        try {
            return Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw new UnknownCurrency("event.currency", code);
        }
    }
}
