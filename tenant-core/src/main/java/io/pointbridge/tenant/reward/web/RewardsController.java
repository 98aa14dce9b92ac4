package io.pointbridge.tenant.reward.web;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.InvalidRequest;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.idempotency.IdempotentRequests;
import io.pointbridge.tenant.reward.Reward;
import io.pointbridge.tenant.reward.RewardFailures.RewardNotFound;
import io.pointbridge.tenant.reward.RewardKind;
import io.pointbridge.tenant.reward.Rewards;
import io.pointbridge.tenant.reward.Rewards.CatalogQuery;
import io.pointbridge.tenant.reward.Rewards.NewReward;
import io.pointbridge.tenant.reward.Rewards.RewardPage;
import io.pointbridge.tenant.reward.Rewards.RewardTerms;
import io.pointbridge.tenant.reward.Rewards.StockChange;
import io.pointbridge.tenant.tenancy.TenancyFailures.BrandNotFound;
import io.pointbridge.tenant.tenancy.TenancyFailures.ProgramNotFound;
import io.pointbridge.tenant.tenancy.TenantManagement;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The reward catalog: tenant admins create and change rewards; integrations read their brand's catalog. */
@RestController
@RequestMapping("/api/v1")
class RewardsController {

    static final long MAX_POINTS = 1_000_000_000L;
    static final long MAX_STOCK = 1_000_000_000L;

    private final Rewards rewards;
    private final TenantManagement tenancy;
    private final IdempotentRequests idempotent;

    RewardsController(Rewards rewards, TenantManagement tenancy, IdempotentRequests idempotent) {
        this.rewards = rewards;
        this.tenancy = tenancy;
        this.idempotent = idempotent;
    }

    /**
     * A new reward of a program's brand catalog.
     *
     * @param stock            items to offer; left out for unlimited
     * @param perMemberLimit   redemptions one member may hold (not counting cancelled ones); left out for no limit
     * @param minimumTierLevel the lowest tier level (1 and up) a member needs; left out for every member
     * @param couponValidDays  how long an issued coupon can be used; left out for no expiry
     * @param active           whether it is offered now; true when left out
     */
    record CreateReward(@NotNull RewardKind kind, @NotBlank @Size(max = 200) String name,
            @Size(max = 2000) String description, @NotNull @Min(1) @Max(MAX_POINTS) Long pointsCost,
            @Min(value = 0, message = "must not be negative") @Max(MAX_STOCK) Long stock,
            @Min(1) @Max(10_000) Integer perMemberLimit, @Min(1) @Max(100) Integer minimumTierLevel,
            Instant validFrom, Instant validUntil, @Min(1) @Max(3650) Integer couponValidDays, Boolean active) {

        RewardTerms terms() {
            return new RewardTerms(name, description, pointsCost, perMemberLimit, minimumTierLevel, validFrom,
                validUntil, couponValidDays, active == null || active);
        }
    }

    /** A reward's terms, replaced as a whole; its program, kind and stock are not changed here. */
    record UpdateReward(@NotBlank @Size(max = 200) String name, @Size(max = 2000) String description,
            @NotNull @Min(1) @Max(MAX_POINTS) Long pointsCost, @Min(1) @Max(10_000) Integer perMemberLimit,
            @Min(1) @Max(100) Integer minimumTierLevel, Instant validFrom, Instant validUntil,
            @Min(1) @Max(3650) Integer couponValidDays, @NotNull Boolean active) {

        RewardTerms terms() {
            return new RewardTerms(name, description, pointsCost, perMemberLimit, minimumTierLevel, validFrom,
                validUntil, couponValidDays, active);
        }
    }

    /**
     * A stock change, exactly one of: {@code add} items to what is left (negative to take some away),
     * {@code set} the items left, or make the stock {@code unlimited}.
     */
    record ChangeStock(@Min(-MAX_STOCK) @Max(MAX_STOCK) Long add,
            @Min(value = 0, message = "must not be negative") @Max(MAX_STOCK) Long set, Boolean unlimited) {

        StockChange change() {
            long given = Stream.of(add, set, Boolean.TRUE.equals(unlimited) ? true : null)
                .filter(Objects::nonNull).count();
            if (given != 1 || Boolean.FALSE.equals(unlimited)) {
                throw new InvalidRequest("add", "give exactly one of add, set or unlimited: true");
            }
            if (add != null) {
                if (add == 0) {
                    throw new InvalidRequest("add", "must not be zero");
                }
                return new StockChange.Add(add);
            }
            return new StockChange.Set(set);
        }
    }

    @PostMapping("/programs/{programId}/rewards")
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<Object> create(@PathVariable UUID programId, @Valid @RequestBody CreateReward request,
            @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        var reward = new NewReward(programId, request.kind(), request.terms(), request.stock());
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request, () -> {
            var created = rewards.create(reward, caller.actor(), requestId(http, key));
            return ResponseEntity.created(URI.create("/api/v1/rewards/" + created.id())).body(created);
        });
    }

    /** The catalog, oldest first: of one program or brand; with {@code available}, only what can be redeemed now. */
    @GetMapping("/rewards")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN', 'BRAND_MANAGER', 'SUPPORT_AGENT')")
    RewardPage catalog(@RequestParam Optional<UUID> programId, @RequestParam Optional<UUID> brandId,
            @RequestParam(defaultValue = "false") boolean available,
            @RequestParam(required = false) @Size(max = 64) String cursor,
            @RequestParam(defaultValue = "20") @Min(1) @Max(Rewards.MAX_PAGE_SIZE) int limit,
            @AuthenticationPrincipal Caller caller) {
        programId.ifPresent(id -> {
            if (!caller.mayActOnBrand(tenancy.program(id).brandId())) {
                throw new ProgramNotFound(id.toString());
            }
        });
        brandId.ifPresent(id -> {
            if (!caller.mayActOnBrand(id)) {
                throw new BrandNotFound(id);
            }
        });
        return rewards.catalog(new CatalogQuery(programId.orElse(null), brandId.or(caller::singleBrand).orElse(null),
            available, cursor, limit));
    }

    @GetMapping("/rewards/{rewardId}")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN', 'BRAND_MANAGER', 'SUPPORT_AGENT')")
    Reward reward(@PathVariable UUID rewardId, @AuthenticationPrincipal Caller caller) {
        return visible(caller, rewardId);
    }

    @PutMapping("/rewards/{rewardId}")
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<Object> update(@PathVariable UUID rewardId, @Valid @RequestBody UpdateReward request,
            @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        var terms = request.terms();
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request,
            () -> ResponseEntity.ok(rewards.update(rewardId, terms, caller.actor(), requestId(http, key))));
    }

    @PostMapping("/rewards/{rewardId}/stock")
    @PreAuthorize("hasRole('TENANT_ADMIN')")
    ResponseEntity<Object> changeStock(@PathVariable UUID rewardId, @Valid @RequestBody ChangeStock request,
            @AuthenticationPrincipal Caller caller,
            @RequestHeader(name = IdempotentRequests.HEADER, required = false) String key, HttpServletRequest http) {
        var change = request.change();
        return idempotent.execute(key, http.getMethod(), http.getRequestURI(), request,
            () -> ResponseEntity.ok(rewards.changeStock(rewardId, change, caller.actor(), requestId(http, key))));
    }

    private Reward visible(Caller caller, UUID rewardId) {
        return rewards.find(rewardId).filter(reward -> caller.mayActOnBrand(reward.brandId()))
            .orElseThrow(() -> new RewardNotFound(rewardId));
    }

    private static String requestId(HttpServletRequest http, String key) {
        return AuditTrail.requestId(http.getHeader(AuditTrail.REQUEST_ID_HEADER), key);
    }
}
