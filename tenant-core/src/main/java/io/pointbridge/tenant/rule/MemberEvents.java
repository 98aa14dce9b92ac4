package io.pointbridge.tenant.rule;

import io.pointbridge.tenant.InvalidRequest;
import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.member.Memberships;
import io.pointbridge.tenant.rule.Earnings.RuleAward;
import io.pointbridge.tenant.rule.RuleFailures.DuplicateEvent;
import io.pointbridge.tenant.tenancy.TenantManagement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records what integrations report members did beside purchases (a completed profile, a review, an answered
 * survey, a referral, custom events) and earns what the rules in force when it happened award.
 *
 * <p>An event may be reported late, up to {@link #LATE_LIMIT} after it happened (a month-end sync of offline
 * tills, with room to spare), and earns by the rule versions in force then, its caps counted in the periods
 * it fell in; never from the future, beyond a little clock skew.
 * An event with a reference is recorded once per program and type.
 */
@Service
public class MemberEvents {

    public static final Duration LATE_LIMIT = Duration.ofDays(45);
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final JdbcClient jdbc;
    private final Memberships memberships;
    private final TenantManagement tenancy;
    private final Earnings earnings;
    private final JsonMapper json;
    private final Clock clock;

    MemberEvents(JdbcClient jdbc, Memberships memberships, TenantManagement tenancy, Earnings earnings, JsonMapper json,
            Clock clock) {
        this.jdbc = jdbc;
        this.memberships = memberships;
        this.tenancy = tenancy;
        this.earnings = earnings;
        this.json = json;
        this.clock = clock;
    }

    /** An event to record; {@code occurredAt} null means now. */
    public record NewMemberEvent(UUID memberId, String type, @Nullable String reference, @Nullable Instant occurredAt,
            Map<String, Object> attributes, String actor) {
    }

    /** A recorded event and what it earned. */
    public record EventRecorded(UUID eventId, UUID memberId, String type, @Nullable String reference,
            Instant occurredAt, long pointsEarned, @Nullable UUID entryId, long balanceAfter, List<RuleAward> awards) {
    }

    @Transactional
    public EventRecorded record(NewMemberEvent event) {
        if (!EventTypes.isReportable(event.type())) {
            throw new InvalidRequest("type", "must be one of profile-completed, referral, review, survey-answered, or"
                + " custom.<name> (purchases and enrolments have their own endpoints)");
        }
        var now = clock.instant();
        var occurredAt = event.occurredAt() == null ? now : event.occurredAt();
        if (occurredAt.isAfter(now.plus(CLOCK_SKEW))) {
            throw new InvalidRequest("occurredAt", "is in the future");
        }
        if (occurredAt.isBefore(now.minus(LATE_LIMIT))) {
            throw new InvalidRequest("occurredAt", "is more than " + LATE_LIMIT.toDays() + " days ago");
        }
        var attributes = EventAttributes.normalise("attributes", event.attributes());
        var tenant = TenantContext.require();
        var member = memberships.require(event.memberId());
        var program = tenancy.program(member.programId());
        var id = UUID.randomUUID();
        var reference = event.reference() == null ? event.type() : event.type() + ":" + event.reference();
        var earned = earnings.earn(member, program, EarningEvent.of(event.type(), occurredAt, event.reference(),
            attributes), Earnings.Source.EVENT, id, reference, event.type(), event.actor());
        try {
            jdbc.sql("""
                    insert into member_events (tenant_id, event_id, membership_id, program_id, type, reference,
                                               occurred_at, attributes, points_earned, entry_id, recorded_at,
                                               recorded_by)
                    values (:tenant, :id, :member, :program, :type, :reference, :occurredAt, cast(:attributes as jsonb),
                            :points, :entry, :now, :actor)""")
                .param("tenant", tenant).param("id", id).param("member", member.id()).param("program", program.id())
                .param("type", event.type()).param("reference", event.reference())
                .param("occurredAt", RuleVersions.at(occurredAt))
                .param("attributes", json.writeValueAsString(attributes))
                .param("points", earned.points()).param("entry", earned.entryId()).param("now", RuleVersions.at(now))
                .param("actor", event.actor())
                .update();
        } catch (DuplicateKeyException e) {
            throw new DuplicateEvent(event.type(), event.reference());
        }
        long balance = earned.balanceAfter() != null ? earned.balanceAfter()
            : jdbc.sql("""
                    select balance from accounts
                     where tenant_id = :tenant and membership_id = :member and kind = 'WALLET'""")
                .param("tenant", tenant).param("member", member.id()).query(Long.class).single();
        return new EventRecorded(id, member.id(), event.type(), event.reference(), occurredAt, earned.points(),
            earned.entryId(), balance, earned.awards());
    }
}
