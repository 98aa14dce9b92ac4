package io.pointbridge.tenant.expiry;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.expiry.Batches.Batch;
import io.pointbridge.tenant.ledger.Lots;
import io.pointbridge.tenant.ledger.Lots.Cursor;
import io.pointbridge.tenant.ledger.Lots.Expiring;
import io.pointbridge.tenant.outbox.Outbox;
import io.pointbridge.tenant.tenancy.PointsPolicies;
import io.pointbridge.tenant.tenancy.Program;
import io.pointbridge.tenant.tenancy.TenantManagement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reminds members of points about to expire, per program with reminder days set: for each member and UTC day
 * on which points expire within that many days (counted to the end of the day), one {@link ExpiryReminderDue}
 * through the outbox. A row per member and day, inserted in the same transaction as the event, makes it once:
 * a second run, or another instance, finds the row and emits nothing.
 */
@Component
class ExpiryRemindersJob implements BatchedJob {

    private final Lots lots;
    private final Outbox outbox;
    private final TenantManagement tenancy;
    private final PointsPolicies policies;
    private final JdbcClient jdbc;

    ExpiryRemindersJob(Lots lots, Outbox outbox, TenantManagement tenancy, PointsPolicies policies, JdbcClient jdbc) {
        this.lots = lots;
        this.outbox = outbox;
        this.tenancy = tenancy;
        this.policies = policies;
        this.jdbc = jdbc;
    }

    @Override
    public PointsJob job() {
        return PointsJob.EXPIRY_REMINDERS;
    }

    @Override
    public void run(RunState run, Batches batches) {
        var programs = TenantContext.callAs(run.tenantId(), () -> tenancy.programs(Optional.empty()));
        for (var program : programs) {
            var days = TenantContext.callAs(run.tenantId(), () -> policies.of(program.id())).expiryReminderDays();
            if (days != null) {
                remind(run, batches, program, run.cutoff().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(days + 1L)));
            }
        }
    }

    private void remind(RunState run, Batches batches, Program program, Instant until) {
        Cursor cursor = null;
        do {
            cursor = batch(run, batches, program, until, cursor);
        } while (cursor != null);
    }

    private @Nullable Cursor batch(RunState run, Batches batches, Program program, Instant until,
            @Nullable Cursor after) {
        return batches.run(run, () -> {
            var due = lots.expiringBetween(program.id(), run.cutoff(), until, after, run.options().batchSize());
            long points = 0;
            long events = 0;
            for (var expiring : due.expiring()) {
                if (remember(expiring, run.cutoff())) {
                    outbox.append(ExpiryReminderDue.TYPE, new ExpiryReminderDue(expiring.membershipId(),
                        expiring.programId(), expiring.points(), expiring.expiresOn(), expiring.firstExpiresAt()));
                    points += expiring.points();
                    events++;
                }
                run.options().afterItem().itemDone();
            }
            return new Batch<>(RunTotals.ofBatch(events, 0, points, events), due.next());
        });
    }

    /** Records the reminder of the member's points expiring that day; false if one was recorded already. */
    private boolean remember(Expiring expiring, Instant now) {
        return jdbc.sql("""
                insert into expiry_reminders (tenant_id, membership_id, expires_on, points, created_at)
                values (:tenant, :member, :day, :points, :now)
                on conflict do nothing""")
            .param("tenant", TenantContext.require()).param("member", expiring.membershipId())
            .param("day", expiring.expiresOn()).param("points", expiring.points())
            .param("now", now.atOffset(ZoneOffset.UTC))
            .update() == 1;
    }
}
