package io.pointbridge.tenant.tenancy;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.audit.AuditTrail.Change;
import io.pointbridge.tenant.tenancy.PointsPolicy.ClawbackPolicy;
import io.pointbridge.tenant.tenancy.PointsPolicy.Expiry;
import io.pointbridge.tenant.tenancy.PointsPolicy.ExpiryKind;
import io.pointbridge.tenant.tenancy.PointsPolicy.LotTerms;
import io.pointbridge.tenant.tenancy.TenancyFailures.ProgramNotFound;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads and changes programs' points policies; every change is audited with the policy before and after. */
@Service
public class PointsPolicies {

    private final JdbcClient jdbc;
    private final AuditTrail audit;
    private final ProgramRows programs;

    PointsPolicies(JdbcClient jdbc, AuditTrail audit, ProgramRows programs) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.programs = programs;
    }

    @Transactional(readOnly = true)
    public PointsPolicy of(UUID programId) {
        return programs.row(programId).policy();
    }

    /** When points of the program earned at the given time become spendable, and when they expire. */
    @Transactional(readOnly = true)
    public LotTerms termsFor(UUID programId, Instant earnedAt) {
        return of(programId).termsFor(earnedAt);
    }

    /** Replaces the program's policy; points earned before keep their terms, debts incurred before stay owed. */
    @Transactional
    public PointsPolicy change(UUID programId, PointsPolicy policy, String actor, @Nullable String requestId) {
        var tenant = TenantContext.require();
        var before = lock(programId);
        var expiry = policy.expiry();
        jdbc.sql("""
                update programs set pending_days = :pending, clawback_policy = :clawback, debt_limit = :debtLimit,
                                    expiry_months = :months, expiry_dates = cast(:dates as text[]),
                                    expiry_minimum_months = :minimum, expiry_zone = :zone,
                                    expiry_reminder_days = :reminder
                 where tenant_id = :tenant and program_id = :program""")
            .param("pending", policy.pendingDays()).param("clawback", policy.clawbackPolicy().name())
            .param("debtLimit", policy.debtLimit()).param("months", expiry.months())
            .param("dates", expiry.dates() == null ? null : expiry.dates().toArray(String[]::new))
            .param("minimum", expiry.minimumMonths() == null ? 0 : expiry.minimumMonths())
            .param("zone", expiry.zone() == null ? "UTC" : expiry.zone())
            .param("reminder", policy.expiryReminderDays())
            .param("tenant", tenant).param("program", programId)
            .update();
        programs.forget(programId);
        audit.record(new Change(actor, "points-policy.changed", "program:" + programId, before, policy, requestId));
        return policy;
    }

    /** The policy as it is, its program's row locked for the change about to be made; reads go through {@link ProgramRows}. */
    private PointsPolicy lock(UUID programId) {
        return jdbc.sql("""
                select pending_days, clawback_policy, debt_limit, expiry_months, expiry_dates, expiry_minimum_months,
                       expiry_zone, expiry_reminder_days
                  from programs where tenant_id = :tenant and program_id = :program
                   for update""")
            .param("tenant", TenantContext.require()).param("program", programId)
            .query(PointsPolicies::policy)
            .optional()
            .orElseThrow(() -> new ProgramNotFound(programId.toString()));
    }

    static PointsPolicy policy(ResultSet rs, int row) throws SQLException {
        var months = (Integer) rs.getObject("expiry_months");
        var dates = rs.getArray("expiry_dates");
        Expiry expiry;
        if (months != null) {
            expiry = Expiry.rolling(months);
        } else if (dates != null) {
            expiry = new Expiry(ExpiryKind.FIXED_DATES, null, Arrays.asList((String[]) dates.getArray()),
                rs.getInt("expiry_minimum_months"), rs.getString("expiry_zone"));
        } else {
            expiry = Expiry.none();
        }
        return new PointsPolicy(rs.getInt("pending_days"), ClawbackPolicy.valueOf(rs.getString("clawback_policy")),
            rs.getLong("debt_limit"), expiry, (Integer) rs.getObject("expiry_reminder_days"));
    }
}
