package io.pointbridge.exchange.balance.web;

import io.pointbridge.exchange.balance.PersonBalances;
import io.pointbridge.exchange.balance.PersonBalances.Overview;
import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.member.MemberAccess;
import java.util.UUID;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A member's balances across the group: an integration asks for its own brand's member and sees the person's
 * points in every program of the group (what the member may convert between).
 */
@RestController
class BalancesController {

    private final PersonBalances balances;
    private final MemberAccess access;

    BalancesController(PersonBalances balances, MemberAccess access) {
        this.balances = balances;
        this.access = access;
    }

    @GetMapping("/api/v1/exchange/members/{memberId}/balances")
    @PreAuthorize("hasAnyRole('INTEGRATION', 'TENANT_ADMIN', 'SUPPORT_AGENT')")
    Overview balances(@PathVariable UUID memberId, @AuthenticationPrincipal Caller caller) {
        return balances.of(access.require(caller, memberId));
    }
}
