package io.pointbridge.tenant.privacy;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.audit.AuditTrail.Change;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Each tenant's retention of personal data, and the persons it has run out for.
 *
 * <p>A person's last activity is the latest of: the person's creation, an enrolment of one of its memberships,
 * a journal entry on one of their wallets (earning, spending, adjustments, expiry...), a change of its profile,
 * a contact point added, a consent recorded. A person whose last activity lies further back than the tenant's
 * period is erased by {@link RetentionJob}, as a person's own request would ({@link Erasures}).
 */
@Service
public class Retention {

    private final JdbcClient jdbc;
    private final AuditTrail audit;
    private final Clock clock;

    Retention(JdbcClient jdbc, AuditTrail audit, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * The current tenant's retention.
     *
     * @param eraseAfterInactiveMonths months of inactivity after which a person's personal data is erased; null keeps
     *     it until the person asks
     */
    public record RetentionSettings(@Nullable Integer eraseAfterInactiveMonths, @Nullable Instant updatedAt,
            @Nullable String updatedBy) {
    }

    @Transactional(readOnly = true)
    public RetentionSettings settings() {
        return jdbc.sql("""
                select erase_after_inactive_months, updated_at, updated_by from privacy_settings where tenant_id = :tenant""")
            .param("tenant", TenantContext.require())
            .query((rs, row) -> new RetentionSettings((Integer) rs.getObject("erase_after_inactive_months"),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant(), rs.getString("updated_by")))
            .optional()
            .orElse(new RetentionSettings(null, null, null));
    }

    /** Sets the current tenant's retention period (null: none); audited with the period before and after. */
    @Transactional
    public RetentionSettings update(@Nullable Integer eraseAfterInactiveMonths, String actor, @Nullable String requestId) {
        var before = settings();
        jdbc.sql("""
                insert into privacy_settings (tenant_id, erase_after_inactive_months, updated_at, updated_by)
                values (:tenant, :months, :at, :actor)
                on conflict (tenant_id) do update set erase_after_inactive_months = excluded.erase_after_inactive_months,
                    updated_at = excluded.updated_at, updated_by = excluded.updated_by""")
            .param("tenant", TenantContext.require()).param("months", eraseAfterInactiveMonths)
            .param("at", clock.instant().atOffset(ZoneOffset.UTC)).param("actor", actor)
            .update();
        audit.record(new Change(actor, "retention.changed", "privacy-settings:retention",
            Collections.singletonMap("eraseAfterInactiveMonths", before.eraseAfterInactiveMonths()),
            Collections.singletonMap("eraseAfterInactiveMonths", eraseAfterInactiveMonths), requestId));
        return settings();
    }

    /**
     * Up to {@code limit} live, not yet erased persons of the current tenant with no activity since {@code cutoff},
     * locked for the calling transaction; persons another transaction holds are skipped, not waited for.
     */
    @Transactional
    List<UUID> claimInactiveSince(Instant cutoff, int limit) {
        return jdbc.sql("""
                select p.person_id from persons p
                 where p.tenant_id = :tenant and p.merged_into is null and p.erased_at is null and p.created_at < :cutoff
                   and not exists (select from memberships m
                                    where m.tenant_id = p.tenant_id and m.person_id = p.person_id and m.enrolled_at >= :cutoff)
                   and not exists (select from memberships m
                                     join accounts a on a.tenant_id = m.tenant_id and a.membership_id = m.membership_id
                                     join postings s on s.tenant_id = a.tenant_id and s.account_id = a.account_id
                                     join journal_entries e on e.tenant_id = s.tenant_id and e.entry_id = s.entry_id
                                    where m.tenant_id = p.tenant_id and m.person_id = p.person_id and e.created_at >= :cutoff)
                   and not exists (select from person_profiles f
                                    where f.tenant_id = p.tenant_id and f.person_id = p.person_id and f.updated_at >= :cutoff)
                   and not exists (select from person_contacts c
                                    where c.tenant_id = p.tenant_id and c.person_id = p.person_id and c.created_at >= :cutoff)
                   and not exists (select from person_consents c
                                    where c.tenant_id = p.tenant_id and c.person_id = p.person_id and c.recorded_at >= :cutoff)
                 order by p.created_at, p.person_id
                 limit :limit
                 for update of p skip locked""")
            .param("tenant", TenantContext.require()).param("cutoff", cutoff.atOffset(ZoneOffset.UTC)).param("limit", limit)
            .query(UUID.class)
            .list();
    }
}
