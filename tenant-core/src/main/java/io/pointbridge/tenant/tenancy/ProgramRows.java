package io.pointbridge.tenant.tenancy;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.internal.TransactionMemo;
import io.pointbridge.tenant.tenancy.TenancyFailures.ProgramNotFound;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A program's row, read once per transaction ({@link TransactionMemo}) for both what it is ({@link Program}) and
 * its points policy ({@link PointsPolicy}): an earn needs both, and they are one row. Whoever updates a program
 * forgets it, so a read after the write in the same transaction sees the write.
 */
@Component
class ProgramRows {

    private static final String MEMO = "program";

    private final JdbcClient jdbc;

    ProgramRows(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record ProgramRow(Program program, PointsPolicy policy) {
    }

    ProgramRow row(UUID programId) {
        var tenant = TenantContext.require();
        return TransactionMemo.get(List.of(MEMO, tenant, programId), () -> jdbc
            .sql("select * from programs where tenant_id = :tenant and program_id = :program")
            .param("tenant", tenant).param("program", programId)
            .query((rs, row) -> new ProgramRow(TenantManagement.program(rs, row), PointsPolicies.policy(rs, row)))
            .optional()
            .orElseThrow(() -> new ProgramNotFound(programId.toString())));
    }

    /** After the program's row was written in this transaction. */
    void forget(UUID programId) {
        TransactionMemo.forget(List.of(MEMO, TenantContext.require(), programId));
    }
}
