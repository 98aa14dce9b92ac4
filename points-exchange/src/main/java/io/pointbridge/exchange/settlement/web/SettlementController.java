package io.pointbridge.exchange.settlement.web;

import io.pointbridge.exchange.settlement.ProgramValue;
import io.pointbridge.exchange.settlement.ProgramValues;
import io.pointbridge.exchange.settlement.SettlementStatement;
import io.pointbridge.exchange.settlement.Settlements;
import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.InvalidRequest;
import io.pointbridge.tenant.tenancy.TenancyFailures.BrandNotFound;
import io.pointbridge.tenant.idempotency.IdempotentRequests;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Point values and settlement statements, for tenant admins. Brand managers are not scoped to a brand yet
 * (their token names none), so they may read values but not statements.
 */
@RestController
@RequestMapping("/api/v1/exchange")
class SettlementController {

    static final String CSV = "text/csv";
    static final String CSV_HEADER =
        "row,payer_brand,payee_brand,brand,transfers,reversals,amount_minor,amount,currency\r\n";

    private final ProgramValues values;
    private final Settlements settlements;
    private final IdempotentRequests idempotent;
    private final Clock clock;

    SettlementController(ProgramValues values, Settlements settlements, IdempotentRequests idempotent, Clock clock) {
        this.values = values;
        this.settlements = settlements;
        this.idempotent = idempotent;
        this.clock = clock;
    }

    /** The value of one point of the program in major units of the group's settlement currency, e.g. 0.0125. */
    record SetProgramValue(@NotNull UUID programId,
            @NotNull @DecimalMin("0") @DecimalMax("1000000")
            @Digits(integer = 12, fraction = 10, message = "at most 10 decimals") BigDecimal pointValue) {
    }

    @PostMapping("/program-values")
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<Object> setValue(@Valid @RequestBody SetProgramValue request, @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> ResponseEntity.status(201)
            .body(values.set(request.programId(), request.pointValue(), caller.actor())));
    }

    @GetMapping("/program-values")
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'BRAND_MANAGER')")
    List<ProgramValue> values() {
        return values.all();
    }

    /**
     * What brands owe each other for transfers recorded from {@code from} (inclusive) to {@code to} (exclusive),
     * UTC days, by default the current month; with {@code brandId} only pairs that brand is part of. Brand
     * managers see only pairs of one of their brands: the one they name, or their only one.
     */
    @GetMapping(path = "/settlement/statement", produces = MediaType.APPLICATION_JSON_VALUE)
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'BRAND_MANAGER')")
    SettlementStatement statement(@RequestParam Optional<LocalDate> from, @RequestParam Optional<LocalDate> to,
            @RequestParam Optional<UUID> brandId, @AuthenticationPrincipal Caller caller) {
        return statementOf(from, to, visibleBrand(caller, brandId));
    }

    /**
     * The same statement as CSV: one {@code pair} row per payer and payee brand, then one {@code position}
     * row per brand (positive: the brand is owed).
     */
    @GetMapping(path = "/settlement/statement", produces = CSV)
    @PreAuthorize("hasAnyRole('TENANT_ADMIN', 'BRAND_MANAGER')")
    ResponseEntity<String> statementCsv(@RequestParam Optional<LocalDate> from, @RequestParam Optional<LocalDate> to,
            @RequestParam Optional<UUID> brandId, @AuthenticationPrincipal Caller caller) {
        var statement = statementOf(from, to, visibleBrand(caller, brandId));
        var csv = new StringBuilder(CSV_HEADER);
        for (var pair : statement.pairs()) {
            csv.append(String.join(",", "pair", pair.payerBrandCode(), pair.payeeBrandCode(), "",
                Long.toString(pair.transfers()), Long.toString(pair.reversals()), Long.toString(pair.amountMinor()),
                pair.amount(), statement.currency())).append("\r\n");
        }
        for (var position : statement.positions()) {
            csv.append(String.join(",", "position", "", "", position.brandCode(), "", "",
                Long.toString(position.netMinor()), position.net(), statement.currency())).append("\r\n");
        }
        return ResponseEntity.ok()
            .contentType(MediaType.parseMediaType(CSV + ";charset=UTF-8"))
            .header(HttpHeaders.CONTENT_DISPOSITION,
                "attachment; filename=\"settlement-" + statement.from() + "-" + statement.to() + ".csv\"")
            .body(csv.toString());
    }

    /** The brand a statement is limited to: any or none for tenant-wide callers, one of their own for the brand-scoped. */
    private static Optional<UUID> visibleBrand(Caller caller, Optional<UUID> brandId) {
        if (caller.brands() instanceof Caller.BrandScope.All) {
            return brandId;
        }
        if (brandId.isPresent()) {
            if (!caller.mayActOnBrand(brandId.get())) {
                throw new BrandNotFound(brandId.get());
            }
            return brandId;
        }
        return Optional.of(caller.singleBrand().orElseThrow(
            () -> new InvalidRequest("brandId", "must name one of your brands: you manage several, or none")));
    }

    private SettlementStatement statementOf(Optional<LocalDate> from, Optional<LocalDate> to, Optional<UUID> brandId) {
        var monthStart = LocalDate.now(clock.withZone(ZoneOffset.UTC)).withDayOfMonth(1);
        var start = from.orElse(monthStart);
        var end = to.orElse(from.isPresent() ? start.plusMonths(1) : monthStart.plusMonths(1));
        return settlements.statement(start, end, brandId.orElse(null));
    }
}
