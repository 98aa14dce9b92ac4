package io.pointbridge.tenant.privacy;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.tenancy.TenantManagement;
import java.time.Clock;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies each tenant's retention: erases the personal data of persons inactive for longer than the tenant's
 * period. Persons are claimed in batches with {@code FOR UPDATE SKIP LOCKED} and erased in the claiming
 * transaction, so several instances share the work, none erases a person twice, and a stopped run resumes
 * with the next. A failure in one tenant is logged, and the others go on.
 */
@Component
public class RetentionJob {

    static final String ACTOR = "system:retention";

    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

    private final TenantManagement tenancy;
    private final Retention retention;
    private final Erasures erasures;
    private final PrivacyJobSettings settings;
    private final TransactionTemplate transactions;
    private final Clock clock;

    RetentionJob(TenantManagement tenancy, Retention retention, Erasures erasures, PrivacyJobSettings settings,
            PlatformTransactionManager transactionManager, Clock clock) {
        this.tenancy = tenancy;
        this.retention = retention;
        this.erasures = erasures;
        this.settings = settings;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    @Scheduled(initialDelayString = "${pointbridge.privacy.jobs.retention-interval:1h}",
        fixedDelayString = "${pointbridge.privacy.jobs.retention-interval:1h}")
    void scheduled() {
        if (settings.enabled()) {
            run(clock);
        }
    }

    /** One run over every tenant as of the clock's now; answers how many persons it erased. */
    public int run(Clock now) {
        int erased = 0;
        for (var tenant : tenancy.allTenantIds()) {
            try (var scope = TenantContext.enter(tenant)) {
                erased += runForCurrentTenant(now);
            } catch (RuntimeException e) {
                log.error("Retention job failed for tenant {}; it will be retried on the next run", tenant, e);
            }
        }
        return erased;
    }

    /** Erases the current tenant's persons inactive beyond its retention period as of the clock's now. */
    public int runForCurrentTenant(Clock now) {
        var months = retention.settings().eraseAfterInactiveMonths();
        if (months == null) {
            return 0;
        }
        var cutoff = now.instant().atOffset(ZoneOffset.UTC).minusMonths(months).toInstant();
        var reason = "retention: no activity for " + months + " months (since before " + cutoff + ")";
        int erased = 0;
        int batch;
        do {
            batch = transactions.execute(status -> {
                var persons = retention.claimInactiveSince(cutoff, settings.batchSize());
                persons.forEach(person -> erasures.erase(person, reason, ACTOR, null));
                return persons.size();
            });
            erased += batch;
        } while (batch > 0);
        if (erased > 0) {
            log.info("Tenant {}: retention erased the personal data of {} persons inactive since before {}",
                TenantContext.require(), erased, cutoff);
        }
        return erased;
    }
}
