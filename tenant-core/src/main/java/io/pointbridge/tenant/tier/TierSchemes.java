package io.pointbridge.tenant.tier;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.internal.TransactionMemo;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.audit.AuditTrail.Change;
import io.pointbridge.tenant.tier.TierFailures.TierQualificationInvalid;
import io.pointbridge.tenant.tier.TierFailures.TiersNotConfigured;
import io.pointbridge.tenant.tenancy.TenantManagement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Programs' tier schemes: tenant admins configure them (checked as a whole, audited, nothing saved when
 * refused), everything else reads them. A change places every member with recent activity again, so that a
 * lowered threshold lifts members at once, while nobody is downgraded before their review.
 */
@Service
public class TierSchemes {

    /** Schemes are read once per transaction ({@link TransactionMemo}) under this kind of key. */
    private static final String MEMO = "tier-scheme";

    private final JdbcClient jdbc;
    private final TenantManagement tenancy;
    private final MemberTierRows rows;
    private final AuditTrail audit;
    private final JsonMapper json;
    private final Clock clock;

    TierSchemes(JdbcClient jdbc, TenantManagement tenancy, MemberTierRows rows, AuditTrail audit, JsonMapper json,
            Clock clock) {
        this.jdbc = jdbc;
        this.tenancy = tenancy;
        this.rows = rows;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public Optional<TierScheme> find(UUID programId) {
        var tenant = TenantContext.require();
        return TransactionMemo.get(List.of(MEMO, tenant, programId), () -> load(tenant, programId));
    }

    /** The scheme with its levels, in one read (a purchase in a program with tiers reads it every time). */
    private Optional<TierScheme> load(UUID tenant, UUID programId) {
        var levels = new ArrayList<TierLevel>();
        var header = new ArrayList<SchemeHeader>(1);
        jdbc.sql("""
                select s.version, s.window_kind, s.window_months, s.time_zone, s.grace_days, s.updated_at,
                       l.level, l.code, l.name, l.multiplier, l.qualification
                  from tier_schemes s
                  left join tier_levels l on l.tenant_id = s.tenant_id and l.program_id = s.program_id
                 where s.tenant_id = :tenant and s.program_id = :program
                 order by l.level""")
            .param("tenant", tenant).param("program", programId)
            .query(rs -> {
                if (header.isEmpty()) {
                    header.add(new SchemeHeader(rs.getInt("version"),
                        new TierWindow(TierWindow.Kind.valueOf(rs.getString("window_kind")), rs.getInt("window_months")),
                        ZoneId.of(rs.getString("time_zone")), rs.getInt("grace_days"),
                        rs.getObject("updated_at", OffsetDateTime.class).toInstant()));
                }
                if (rs.getObject("level") != null) {
                    var qualification = rs.getString("qualification");
                    levels.add(new TierLevel(rs.getInt("level"), rs.getString("code"), rs.getString("name"),
                        rs.getBigDecimal("multiplier"), qualification == null ? null : stored(qualification)));
                }
            });
        return header.stream().findFirst().map(scheme -> new TierScheme(programId, scheme.version(), scheme.window(),
            scheme.timeZone(), scheme.graceDays(), levels, scheme.updatedAt()));
    }

    private record SchemeHeader(int version, TierWindow window, ZoneId timeZone, int graceDays, Instant updatedAt) {
    }

    @Transactional(readOnly = true)
    public TierScheme require(UUID programId) {
        return find(programId).orElseThrow(() -> new TiersNotConfigured(programId));
    }

    /**
     * Replaces the program's tiers (or sets them up), records the change in the audit trail and places every
     * member with activity in the current window again, as of now.
     */
    @Transactional
    public TierScheme configure(UUID programId, TierScheme.Settings settings, String actor, @Nullable String requestId) {
        var tenant = TenantContext.require();
        tenancy.program(programId);
        // Serialises concurrent changes of one program's scheme, also its very first one, when there is no row to lock.
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended(:key, 0))")
            .param("key", tenant + "/tiers/" + programId).query(Object.class).single();
        var version = jdbc.sql("select version from tier_schemes where tenant_id = :tenant and program_id = :program")
            .param("tenant", tenant).param("program", programId).query(Integer.class).optional();
        var before = version.flatMap(v -> find(programId)).orElse(null);
        var now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        var next = version.orElse(0) + 1;
        jdbc.sql("""
                insert into tier_schemes (tenant_id, program_id, version, window_kind, window_months, time_zone, grace_days,
                                          updated_at, updated_by)
                values (:tenant, :program, :version, :kind, :months, :zone, :grace, :now, :actor)
                on conflict (tenant_id, program_id) do update
                   set version = excluded.version, window_kind = excluded.window_kind,
                       window_months = excluded.window_months, time_zone = excluded.time_zone,
                       grace_days = excluded.grace_days, updated_at = excluded.updated_at, updated_by = excluded.updated_by""")
            .param("tenant", tenant).param("program", programId).param("version", next)
            .param("kind", settings.window().kind().name()).param("months", settings.window().months())
            .param("zone", settings.timeZone().getId()).param("grace", settings.graceDays())
            .param("now", now.atOffset(ZoneOffset.UTC)).param("actor", actor)
            .update();
        jdbc.sql("delete from tier_levels where tenant_id = :tenant and program_id = :program")
            .param("tenant", tenant).param("program", programId).update();
        for (int i = 0; i < settings.levels().size(); i++) {
            var level = settings.levels().get(i);
            jdbc.sql("""
                    insert into tier_levels (tenant_id, program_id, level, code, name, multiplier, qualification)
                    values (:tenant, :program, :level, :code, :name, :multiplier, cast(:qualification as jsonb))""")
                .param("tenant", tenant).param("program", programId).param("level", i + 1).param("code", level.code())
                .param("name", level.name().strip()).param("multiplier", level.multiplier())
                .param("qualification", level.qualification() == null ? null : json.writeValueAsString(level.qualification()))
                .update();
        }
        TransactionMemo.forget(List.of(MEMO, tenant, programId));
        var saved = require(programId);
        var window = saved.window().at(now, saved.timeZone());
        rows.scheduleReassessment(programId, window.from(), now);
        audit.record(new Change(actor, before == null ? "tiers.configured" : "tiers.changed", "program:" + programId,
            before, saved, requestId));
        return saved;
    }

    /** Checks that a stored qualification still reads back; a failure here is a programming error, not bad input. */
    private Qualification stored(String text) {
        try {
            return Qualification.parse(json.readTree(text), "qualification");
        } catch (TierQualificationInvalid e) {
            throw new IllegalStateException("A stored tier qualification no longer reads: " + e.getMessage(), e);
        }
    }
}
