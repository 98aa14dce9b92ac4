package io.pointbridge.tenant.ledger;

import io.pointbridge.tenant.member.MemberEnrolled;
import io.pointbridge.tenant.tenancy.ProgramOpened;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Opens the accounts the ledger needs, in the same transaction as the program or membership that needs them. */
@Component
class Accounts {

    private final JdbcClient jdbc;

    Accounts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener
    void on(ProgramOpened program) {
        for (var kind : AccountKind.values()) {
            if (kind != AccountKind.WALLET) {
                open(program.tenantId(), program.programId(), kind, null);
            }
        }
    }

    @EventListener
    void on(MemberEnrolled member) {
        open(member.tenantId(), member.programId(), AccountKind.WALLET, member.membershipId());
    }

    private void open(UUID tenant, UUID program, AccountKind kind, UUID membership) {
        jdbc.sql("""
                insert into accounts (tenant_id, account_id, program_id, kind, membership_id)
                values (:tenant, :account, :program, :kind, :membership)""")
            .param("tenant", tenant).param("account", UUID.randomUUID()).param("program", program)
            .param("kind", kind.name()).param("membership", membership)
            .update();
    }
}
