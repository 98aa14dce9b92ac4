package io.pointbridge.exchange.rate;

import io.pointbridge.tenant.Cursors;
import io.pointbridge.exchange.internal.Decimals;
import io.pointbridge.exchange.rate.ExchangeRate.Caps;
import io.pointbridge.exchange.rate.ExchangeRate.Fee;
import io.pointbridge.exchange.rate.ExchangeRate.Restrictions;
import io.pointbridge.exchange.rate.RateFailures.ExchangeRateNotFound;
import io.pointbridge.tenant.InvalidRequest;
import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.outbox.Outbox;
import io.pointbridge.tenant.tenancy.TenantManagement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Keeps the versioned rates of the current tenant's program pairs. A change inserts the pair's next version
 * and ends the previous one where the new one begins; versions are never rewritten otherwise, so they are
 * also the audit trail of every change (who, when, before and after), which goes to the outbox as well.
 */
@Service
public class ExchangeRates {

    public static final int MAX_PAGE_SIZE = 100;
    private static final String CURSOR = "r1";

    private final JdbcClient jdbc;
    private final TenantManagement tenancy;
    private final Outbox outbox;
    private final Clock clock;

    ExchangeRates(JdbcClient jdbc, TenantManagement tenancy, Outbox outbox, Clock clock) {
        this.jdbc = jdbc;
        this.tenancy = tenancy;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** A page of rate versions, newest first; {@code nextCursor} is empty on the last page. */
    public record RatePage(List<ExchangeRate> items, Optional<String> nextCursor) {
    }

    /**
     * Which versions to list: of one source and/or target program, only those of pairs touching one of
     * {@code programs} (a brand's), and with {@code currentOnly} only versions not ended yet.
     */
    public record RateQuery(@Nullable UUID sourceProgramId, @Nullable UUID targetProgramId,
            @Nullable Set<UUID> programs, boolean currentOnly) {
    }

    @Transactional
    public ExchangeRate change(NewRate command, String actor) {
        var tenant = TenantContext.require();
        var now = clock.instant();
        tenancy.program(command.sourceProgramId());
        tenancy.program(command.targetProgramId());
        var from = command.effectiveFrom() == null ? now : command.effectiveFrom();
        if (from.isBefore(now)) {
            throw new InvalidRequest("effectiveFrom", "must not be in the past");
        }
        if (command.effectiveTo() != null && !command.effectiveTo().isAfter(from)) {
            throw new InvalidRequest("effectiveTo", "must be after effectiveFrom");
        }
        // One change of a pair at a time: the next version number and the end of the previous are decided alone.
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended(:key, 0))")
            .param("key", "exchange-rate/" + tenant + "/" + command.sourceProgramId() + "/" + command.targetProgramId())
            .query(Object.class).single();
        var previous = latest(tenant, command.sourceProgramId(), command.targetProgramId());
        if (previous.isPresent() && from.isBefore(previous.get().effectiveFrom())) {
            throw new InvalidRequest("effectiveFrom",
                "must not be before the start of the pair's latest version, " + previous.get().effectiveFrom());
        }
        previous.ifPresent(version -> jdbc.sql("""
                update exchange_rates set effective_to = :from
                 where tenant_id = :tenant and rate_id = :rate and (effective_to is null or effective_to > :from)""")
            .param("from", at(from)).param("tenant", tenant).param("rate", version.id())
            .update());
        var id = UUID.randomUUID();
        jdbc.sql("""
                insert into exchange_rates (tenant_id, rate_id, source_program_id, target_program_id, version,
                    source_units, target_units, effective_from, effective_to, enabled, minimum_points, step_points,
                    fee_percent, fee_fixed, cap_member_day, cap_member_month, cap_pair_day, converted_convertible,
                    converted_expiry_days, created_by, created_at)
                values (:tenant, :id, :source, :target, :version, :sourceUnits, :targetUnits, :from, :to, :enabled,
                    :minimum, :step, :feePercent, :feeFixed, :capMemberDay, :capMemberMonth, :capPairDay,
                    :convertible, :expiryDays, :actor, :now)""")
            .param("tenant", tenant).param("id", id)
            .param("source", command.sourceProgramId()).param("target", command.targetProgramId())
            .param("version", previous.map(version -> version.version() + 1).orElse(1))
            .param("sourceUnits", command.sourceUnits()).param("targetUnits", command.targetUnits())
            .param("from", at(from)).param("to", command.effectiveTo() == null ? null : at(command.effectiveTo()))
            .param("enabled", command.enabled())
            .param("minimum", command.minimumPoints()).param("step", command.stepPoints())
            .param("feePercent", command.fee().percent()).param("feeFixed", command.fee().fixed())
            .param("capMemberDay", command.caps().perMemberPerDay())
            .param("capMemberMonth", command.caps().perMemberPerMonth())
            .param("capPairDay", command.caps().perPairPerDay())
            .param("convertible", command.restrictions().convertible())
            .param("expiryDays", command.restrictions().expiresWithinDays())
            .param("actor", actor).param("now", at(now))
            .update();
        var created = find(id);
        outbox.append(ExchangeRateChanged.TYPE,
            new ExchangeRateChanged(created, previous.map(version -> find(version.id())).orElse(null), actor));
        return created;
    }

    @Transactional(readOnly = true)
    public ExchangeRate find(UUID rateId) {
        return jdbc.sql("select * from exchange_rates where tenant_id = :tenant and rate_id = :rate")
            .param("tenant", TenantContext.require()).param("rate", rateId)
            .query(ExchangeRates::rate)
            .optional()
            .orElseThrow(() -> new ExchangeRateNotFound(rateId));
    }

    /** The version of the pair in effect at the given instant, enabled or not. */
    @Transactional(readOnly = true)
    public Optional<ExchangeRate> inEffect(UUID sourceProgramId, UUID targetProgramId, Instant instant) {
        return jdbc.sql("""
                select * from exchange_rates
                 where tenant_id = :tenant and source_program_id = :source and target_program_id = :target
                   and effective_from <= :at and (effective_to is null or effective_to > :at)
                 order by version desc limit 1""")
            .param("tenant", TenantContext.require()).param("source", sourceProgramId).param("target", targetProgramId)
            .param("at", at(instant))
            .query(ExchangeRates::rate)
            .optional();
    }

    @Transactional(readOnly = true)
    public RatePage page(RateQuery query, @Nullable String cursor, int limit) {
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE_SIZE);
        }
        if (query.programs() != null && query.programs().isEmpty()) {
            return new RatePage(List.of(), Optional.empty());
        }
        var after = cursor == null ? null : Cursors.decode(CURSOR, cursor);
        var rows = jdbc.sql("""
                select * from exchange_rates
                 where tenant_id = :tenant
                   and (cast(:source as uuid) is null or source_program_id = :source)
                   and (cast(:target as uuid) is null or target_program_id = :target)
                   and (not :scoped or source_program_id in (:programs) or target_program_id in (:programs))
                   and (not :current or effective_to is null or effective_to > :now)
                   and (cast(:after as bigint) is null or rate_seq < :after)
                 order by rate_seq desc
                 limit :limit""")
            .param("tenant", TenantContext.require())
            .param("source", query.sourceProgramId()).param("target", query.targetProgramId())
            .param("scoped", query.programs() != null)
            .param("programs", query.programs() == null ? List.of(new UUID(0, 0)) : List.copyOf(query.programs()))
            .param("current", query.currentOnly()).param("now", at(clock.instant()))
            .param("after", after).param("limit", limit + 1)
            .query((rs, row) -> new Row(rs.getLong("rate_seq"), rate(rs, row)))
            .list();
        var page = rows.subList(0, Math.min(limit, rows.size()));
        var next = rows.size() > limit
            ? Optional.of(Cursors.encode(CURSOR, page.getLast().seq())) : Optional.<String>empty();
        return new RatePage(page.stream().map(Row::rate).toList(), next);
    }

    private record Row(long seq, ExchangeRate rate) {
    }

    private Optional<ExchangeRate> latest(UUID tenant, UUID source, UUID target) {
        return jdbc.sql("""
                select * from exchange_rates
                 where tenant_id = :tenant and source_program_id = :source and target_program_id = :target
                 order by version desc limit 1""")
            .param("tenant", tenant).param("source", source).param("target", target)
            .query(ExchangeRates::rate)
            .optional();
    }

    private static ExchangeRate rate(ResultSet rs, int row) throws SQLException {
        var effectiveTo = rs.getObject("effective_to", OffsetDateTime.class);
        return new ExchangeRate(rs.getObject("rate_id", UUID.class), rs.getObject("source_program_id", UUID.class),
            rs.getObject("target_program_id", UUID.class), rs.getInt("version"), rs.getLong("source_units"),
            rs.getLong("target_units"), rs.getObject("effective_from", OffsetDateTime.class).toInstant(),
            effectiveTo == null ? null : effectiveTo.toInstant(), rs.getBoolean("enabled"),
            rs.getLong("minimum_points"), rs.getLong("step_points"),
            new Fee(Decimals.plain(rs.getBigDecimal("fee_percent")), rs.getLong("fee_fixed")),
            new Caps(nullableLong(rs, "cap_member_day"), nullableLong(rs, "cap_member_month"),
                nullableLong(rs, "cap_pair_day")),
            new Restrictions(rs.getBoolean("converted_convertible"), (Integer) rs.getObject("converted_expiry_days")),
            rs.getString("created_by"), rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }

    private static @Nullable Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
