package io.pointbridge.exchange.settlement;

import io.pointbridge.exchange.internal.Decimals;
import io.pointbridge.exchange.settlement.SettlementFailures.ProgramValueMissing;
import io.pointbridge.tenant.InvalidRequest;
import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.outbox.Outbox;
import io.pointbridge.tenant.tenancy.TenantManagement;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The value of each program's point in the group's settlement currency, set by tenant admins. Setting a value
 * adds a row; the latest row is the value, earlier rows are its history (and each settlement record keeps the
 * value it used).
 */
@Service
public class ProgramValues {

    /** The event's type in the outbox. */
    public static final String CHANGED = "exchange.program-value-set";

    private final JdbcClient jdbc;
    private final TenantManagement tenancy;
    private final Outbox outbox;
    private final Clock clock;

    ProgramValues(JdbcClient jdbc, TenantManagement tenancy, Outbox outbox, Clock clock) {
        this.jdbc = jdbc;
        this.tenancy = tenancy;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** A tenant admin set the value of a program's point. */
    public record ProgramValueSet(ProgramValue value, String actor) {
    }

    @Transactional
    public ProgramValue set(UUID programId, BigDecimal pointValue, String actor) {
        if (pointValue.signum() < 0) {
            throw new InvalidRequest("pointValue", "must not be negative");
        }
        var tenant = TenantContext.require();
        tenancy.program(programId);
        var currency = tenancy.currentTenant().settlementCurrency();
        jdbc.sql("""
                insert into program_values (tenant_id, value_id, program_id, point_value, currency, set_by, set_at)
                values (:tenant, :id, :program, :value, :currency, :actor, :now)""")
            .param("tenant", tenant).param("id", UUID.randomUUID()).param("program", programId)
            .param("value", pointValue).param("currency", currency).param("actor", actor)
            .param("now", clock.instant().atOffset(ZoneOffset.UTC))
            .update();
        var value = current(programId).orElseThrow();
        outbox.append(CHANGED, new ProgramValueSet(value, actor));
        return value;
    }

    @Transactional(readOnly = true)
    public Optional<ProgramValue> current(UUID programId) {
        return jdbc.sql("""
                select * from program_values where tenant_id = :tenant and program_id = :program
                 order by value_seq desc limit 1""")
            .param("tenant", TenantContext.require()).param("program", programId)
            .query(ProgramValues::value)
            .optional();
    }

    @Transactional(readOnly = true)
    public ProgramValue require(UUID programId) {
        return current(programId).orElseThrow(() -> new ProgramValueMissing(programId));
    }

    /** The current value of every program that has one. */
    @Transactional(readOnly = true)
    public List<ProgramValue> all() {
        return jdbc.sql("""
                select distinct on (program_id) * from program_values where tenant_id = :tenant
                 order by program_id, value_seq desc""")
            .param("tenant", TenantContext.require())
            .query(ProgramValues::value)
            .list();
    }

    private static ProgramValue value(ResultSet rs, int row) throws SQLException {
        return new ProgramValue(rs.getObject("program_id", UUID.class), Decimals.plain(rs.getBigDecimal("point_value")),
            rs.getString("currency"), rs.getString("set_by"), rs.getObject("set_at", OffsetDateTime.class).toInstant());
    }
}
