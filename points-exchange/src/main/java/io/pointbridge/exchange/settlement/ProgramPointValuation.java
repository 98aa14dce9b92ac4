package io.pointbridge.exchange.settlement;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.insight.PointValuation;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Values program points for the tenant core's insights with the program values tenant admins set here: the
 * value in force at the time asked about, in the group's settlement currency.
 */
@Component
class ProgramPointValuation implements PointValuation {

    private final JdbcClient jdbc;

    ProgramPointValuation(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<PointValue> valueAt(UUID programId, Instant at) {
        return jdbc.sql("""
                select point_value, currency from program_values
                 where tenant_id = :tenant and program_id = :program and set_at <= :at
                 order by value_seq desc limit 1""")
            .param("tenant", TenantContext.require()).param("program", programId)
            .param("at", at.atOffset(ZoneOffset.UTC))
            .query((rs, row) -> new PointValue(rs.getBigDecimal("point_value"),
                Currency.getInstance(rs.getString("currency"))))
            .optional();
    }
}
