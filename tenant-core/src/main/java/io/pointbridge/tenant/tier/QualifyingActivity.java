package io.pointbridge.tenant.tier;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.tier.TierWindow.Interval;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The append-only record of what counts toward tiers, and its sums over windows. Each row counts at its own
 * time, so what a window that has ended holds never changes.
 */
@Component
class QualifyingActivity {

    enum Source {
        PURCHASE, REFUND, CUSTOM
    }

    private final JdbcClient jdbc;

    QualifyingActivity(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records the counters one event moves (zeros are left out); returns false if the event has counted
     * already, as nothing is then recorded.
     */
    boolean record(UUID membershipId, UUID programId, Map<String, Long> amounts, Instant at, Source source, String reference) {
        var counters = amounts.entrySet().stream().filter(amount -> amount.getValue() != 0).toList();
        if (counters.isEmpty()) {
            return false;
        }
        // One statement for all the event's counters (an earn moves three: spend, orders, points).
        int recorded = jdbc.sql("""
                insert into qualifying_activity (tenant_id, membership_id, program_id, counter, amount, occurred_at,
                                                 source, reference)
                select :tenant, :member, :program, c.counter, c.amount, :at, :source, :reference
                  from unnest(cast(:counters as text[]), cast(:amounts as bigint[])) as c (counter, amount)
                on conflict (tenant_id, program_id, source, reference, counter) do nothing""")
            .param("tenant", TenantContext.require()).param("member", membershipId).param("program", programId)
            .param("counters", counters.stream().map(Map.Entry::getKey).toArray(String[]::new))
            .param("amounts", counters.stream().mapToLong(Map.Entry::getValue).boxed().toArray(Long[]::new))
            .param("at", at.atOffset(ZoneOffset.UTC)).param("source", source.name()).param("reference", reference)
            .update();
        return recorded > 0;
    }

    Counters over(UUID membershipId, Interval window) {
        var sums = new HashMap<String, Long>();
        jdbc.sql("""
                select counter, sum(amount) as total from qualifying_activity
                 where tenant_id = :tenant and membership_id = :member and occurred_at >= :from and occurred_at < :end
                 group by counter""")
            .param("tenant", TenantContext.require()).param("member", membershipId)
            .param("from", window.start().atOffset(ZoneOffset.UTC)).param("end", window.end().atOffset(ZoneOffset.UTC))
            .query(rs -> {
                sums.put(rs.getString("counter"), rs.getLong("total"));
            });
        return new Counters(sums);
    }

    /** When the member's latest activity counted, if any. */
    Optional<Instant> latest(UUID membershipId) {
        return jdbc.sql("select max(occurred_at) from qualifying_activity where tenant_id = :tenant and membership_id = :member")
            .param("tenant", TenantContext.require()).param("member", membershipId)
            .query((rs, row) -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class)).map(OffsetDateTime::toInstant))
            .single();
    }
}
