package io.pointbridge.exchange.balance;

import io.pointbridge.tenant.ledger.WalletBalance;
import io.pointbridge.tenant.ledger.WalletBalance.NextExpiry;
import io.pointbridge.tenant.ledger.Wallets;
import io.pointbridge.tenant.member.Membership;
import io.pointbridge.tenant.member.Memberships;
import io.pointbridge.tenant.tenancy.TenantManagement;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/** Reads a person's balances in every program of the group they are a member of, from one snapshot. */
@Service
public class PersonBalances {

    private final Memberships memberships;
    private final Wallets wallets;
    private final TenantManagement tenancy;

    PersonBalances(Memberships memberships, Wallets wallets, TenantManagement tenancy) {
        this.memberships = memberships;
        this.wallets = wallets;
        this.tenancy = tenancy;
    }

    /** A person's memberships and their points. */
    public record Overview(UUID personId, List<ProgramBalance> balances) {
    }

    /**
     * One membership's points (as {@link WalletBalance} counts them) and the part of them that can be
     * converted to another program now.
     */
    public record ProgramBalance(UUID memberId, UUID brandId, UUID programId, String programCode, String pointsName,
            long balance, long available, long pending, long expired, long convertible,
            @Nullable NextExpiry nextExpiry) {
    }

    /** The balances of the person behind the given membership. */
    @Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
    public Overview of(Membership member) {
        var balances = memberships.ofPerson(member.personId()).stream().map(this::balance).toList();
        return new Overview(member.personId(), balances);
    }

    private ProgramBalance balance(Membership membership) {
        var program = tenancy.program(membership.programId());
        var wallet = wallets.balance(membership.id());
        return new ProgramBalance(membership.id(), membership.brandId(), program.id(), program.code(),
            program.pointsName(), wallet.balance(), wallet.available(), wallet.pending(), wallet.expired(),
            wallets.convertible(membership.id()), wallet.nextExpiry());
    }
}
