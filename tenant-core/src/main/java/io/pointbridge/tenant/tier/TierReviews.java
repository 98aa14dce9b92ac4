package io.pointbridge.tenant.tier;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.tier.TierChange.Kind;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The review job: processes the members whose deadline has come (the review at the end of the period, the
 * end of a grace period, a reassessment after a scheme change), tenant by tenant, in batches of one
 * transaction each.
 *
 * <p>Safe with several instances: each batch claims its rows with {@code FOR UPDATE SKIP LOCKED}, so two
 * runs never take the same member, and a processed member is no longer due. Resumable: a run that dies
 * loses only its open batch, which rolls back whole and is claimed again by the next run. Each deadline is
 * decided as of its own time, so a late or repeated run changes nothing an on-time run would not have.
 */
@Service
public class TierReviews {

    static final String ACTOR = "system:tier-reviews";
    private static final Logger log = LoggerFactory.getLogger(TierReviews.class);

    private final Tiers tiers;
    private final MemberTierRows rows;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final TierSettings settings;
    private final TierMetrics metrics;

    TierReviews(Tiers tiers, MemberTierRows rows, JdbcClient jdbc, PlatformTransactionManager transactionManager,
            TierSettings settings, TierMetrics metrics) {
        this.tiers = tiers;
        this.rows = rows;
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        // Each batch commits on its own, also when the run is started inside a transaction (e.g. an idempotent request).
        this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.settings = settings;
        this.metrics = metrics;
    }

    /** What a run did: members processed, in how many batches, and the changes it made by kind. */
    public record Report(int members, int batches, int upgraded, int renewed, int graceStarted, int downgraded) {

        static final Report NONE = new Report(0, 0, 0, 0, 0, 0);

        Report plus(Report other) {
            return new Report(members + other.members, batches + other.batches, upgraded + other.upgraded,
                renewed + other.renewed, graceStarted + other.graceStarted, downgraded + other.downgraded);
        }

        static Report of(int members, List<TierChange> changes) {
            return new Report(members, 1, count(changes, Kind.UPGRADED), count(changes, Kind.RENEWED),
                count(changes, Kind.GRACE_STARTED), count(changes, Kind.DOWNGRADED));
        }

        private static int count(List<TierChange> changes, Kind kind) {
            return (int) changes.stream().filter(change -> change.kind() == kind).count();
        }
    }

    /** Reviews every tenant's due members; a tenant whose run fails is logged and left to the next run. */
    public Report reviewAllTenants(Instant asOf) {
        var tenants = jdbc.sql("select tenants_with_tier_reviews_due(:asOf)")
            .param("asOf", asOf.atOffset(ZoneOffset.UTC)).query(UUID.class).list();
        var total = Report.NONE;
        for (var tenant : tenants) {
            try {
                total = total.plus(TenantContext.callAs(tenant, () -> reviewDue(asOf)));
            } catch (RuntimeException e) {
                log.error("Tier reviews of tenant {} failed; the next run resumes them", tenant, e);
            }
        }
        return total;
    }

    /** Reviews the current tenant's members due by {@code asOf}, in batches of the configured size. */
    public Report reviewDue(Instant asOf) {
        return reviewDue(asOf, settings.reviews().batchSize(), member -> {
        });
    }

    /**
     * Reviews the current tenant's members due by {@code asOf}, {@code batchSize} per transaction, telling
     * {@code afterEach} about each member inside its batch's transaction (a failure there rolls the batch back).
     */
    public Report reviewDue(Instant asOf, int batchSize, Consumer<UUID> afterEach) {
        var tenant = TenantContext.require();
        var total = Report.NONE;
        while (true) {
            var batch = transactions.execute(status -> {
                var claimed = rows.claimDue(asOf, batchSize);
                var changes = new ArrayList<TierChange>();
                for (var member : claimed) {
                    changes.addAll(tiers.review(member, asOf, ACTOR));
                    afterEach.accept(member);
                }
                metrics.reviewed(claimed.size());
                return Report.of(claimed.size(), changes);
            });
            if (batch == null || batch.members() == 0) {
                return total;
            }
            total = total.plus(batch);
            log.info("Tier reviews of tenant {} as of {}: batch {} done, {} members so far ({} upgraded, {} renewed, "
                + "{} in grace, {} downgraded)", tenant, asOf, total.batches(), total.members(), total.upgraded(),
                total.renewed(), total.graceStarted(), total.downgraded());
        }
    }
}
