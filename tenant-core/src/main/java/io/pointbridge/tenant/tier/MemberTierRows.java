package io.pointbridge.tenant.tier;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.internal.TransactionMemo;
import io.pointbridge.tenant.tier.TierChange.Kind;
import io.pointbridge.tenant.tier.TierChange.Reason;
import io.pointbridge.tenant.tier.TierChange.Tier;
import io.pointbridge.tenant.tier.TierFailures.InvalidCursor;
import io.pointbridge.tenant.tier.TierWindow.Interval;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Members' standings ({@code member_tiers}) and their history ({@code tier_changes}) in the database. */
@Component
class MemberTierRows {

    /** Rows locked in this transaction ({@link TransactionMemo}) are kept under this kind of key. */
    private static final String LOCKED = "member-tier-locked";

    private static final TypeReference<Map<String, Long>> COUNTERS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;

    MemberTierRows(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    record Row(UUID membershipId, UUID programId, Standing standing) {
    }

    Optional<Row> find(UUID membershipId) {
        return select("", membershipId);
    }

    /**
     * The member's row, locked until the transaction ends; made on level 1 first if there is none. Read once per
     * transaction: a purchase locks it for the tier multiplier and evaluates the tier after it; {@link #save}
     * forgets it.
     */
    Row lockOrCreate(UUID membershipId, UUID programId, Instant since, Instant now) {
        return TransactionMemo.get(List.of(LOCKED, TenantContext.require(), membershipId),
            () -> lockOrInsert(membershipId, programId, since, now));
    }

    private Row lockOrInsert(UUID membershipId, UUID programId, Instant since, Instant now) {
        // Most members have their row already: lock it in one round trip, and insert only when it is missing.
        var existing = select(" for update", membershipId);
        if (existing.isPresent()) {
            return existing.get();
        }
        jdbc.sql("""
                insert into member_tiers (tenant_id, membership_id, program_id, level, since, updated_at)
                values (:tenant, :member, :program, 1, :since, :now)
                on conflict (tenant_id, membership_id) do nothing""")
            .param("tenant", TenantContext.require()).param("member", membershipId).param("program", programId)
            .param("since", at(since)).param("now", at(now))
            .update();
        return select(" for update", membershipId).orElseThrow();
    }

    /**
     * Claims up to {@code limit} rows due by {@code asOf}, locked until the transaction ends; rows another
     * transaction holds are skipped, so several instances of the job share the work without waiting.
     */
    List<UUID> claimDue(Instant asOf, int limit) {
        return jdbc.sql("""
                select membership_id from member_tiers
                 where tenant_id = :tenant and due_at <= :asOf
                 order by due_at, membership_id
                 limit :limit
                   for update skip locked""")
            .param("tenant", TenantContext.require()).param("asOf", at(asOf)).param("limit", limit)
            .query(UUID.class).list();
    }

    Row lock(UUID membershipId) {
        return select(" for update", membershipId).orElseThrow();
    }

    void save(UUID membershipId, Standing standing, Instant now) {
        TransactionMemo.forget(List.of(LOCKED, TenantContext.require(), membershipId));
        jdbc.sql("""
                update member_tiers
                   set level = :level, since = :since, review_at = :review, grace_until = :graceUntil,
                       grace_level = :graceLevel, reassess_at = :reassess, updated_at = :now
                 where tenant_id = :tenant and membership_id = :member""")
            .param("level", standing.level()).param("since", at(standing.since()))
            .param("review", at(standing.reviewAt())).param("graceUntil", at(standing.graceUntil()))
            .param("graceLevel", standing.graceLevel()).param("reassess", at(standing.reassessAt()))
            .param("now", at(now))
            .param("tenant", TenantContext.require()).param("member", membershipId)
            .update();
    }

    /**
     * Places every member of the program with activity since {@code activeSince} again at {@code at}; members
     * without a row and without such activity stay on level 1, where the new scheme would put them.
     */
    int scheduleReassessment(UUID programId, Instant activeSince, Instant at) {
        var tenant = TenantContext.require();
        TransactionMemo.forgetAll(LOCKED);
        jdbc.sql("""
                insert into member_tiers (tenant_id, membership_id, program_id, level, since, updated_at)
                select distinct a.tenant_id, a.membership_id, a.program_id, 1, m.enrolled_at, :at
                  from qualifying_activity a
                  join memberships m on m.tenant_id = a.tenant_id and m.membership_id = a.membership_id
                 where a.tenant_id = :tenant and a.program_id = :program and a.occurred_at >= :since
                on conflict (tenant_id, membership_id) do nothing""")
            .param("tenant", tenant).param("program", programId).param("since", at(activeSince)).param("at", at(at))
            .update();
        return jdbc.sql("""
                update member_tiers set reassess_at = :at, updated_at = :at
                 where tenant_id = :tenant and program_id = :program""")
            .param("tenant", tenant).param("program", programId).param("at", at(at))
            .update();
    }

    TierChange insertChange(UUID membershipId, UUID programId, Standing.Change change, TierScheme scheme, String actor,
            Instant now) {
        var id = UUID.randomUUID();
        var after = change.after();
        var from = new Tier(change.from(), scheme.level(change.from()).code());
        var to = new Tier(change.to(), scheme.level(change.to()).code());
        jdbc.sql("""
                insert into tier_changes (tenant_id, change_id, membership_id, program_id, kind, reason, from_level, to_level,
                                          from_code, to_code, effective_at, review_at, grace_until, window_from,
                                          window_from_included, window_to, window_to_included, counters, scheme_version,
                                          actor, recorded_at)
                values (:tenant, :id, :member, :program, :kind, :reason, :fromLevel, :toLevel, :fromCode, :toCode, :effective,
                        :review, :graceUntil, :windowFrom, :fromIncluded, :windowTo, :toIncluded, cast(:counters as jsonb),
                        :version, :actor, :now)""")
            .param("tenant", TenantContext.require()).param("id", id).param("member", membershipId)
            .param("program", programId).param("kind", change.kind().name()).param("reason", change.reason().name())
            .param("fromLevel", from.level()).param("toLevel", to.level()).param("fromCode", from.code())
            .param("toCode", to.code()).param("effective", at(change.at())).param("review", at(after.reviewAt()))
            .param("graceUntil", at(after.graceUntil())).param("windowFrom", at(change.window().from()))
            .param("fromIncluded", change.window().fromIncluded()).param("windowTo", at(change.window().to()))
            .param("toIncluded", change.window().toIncluded()).param("counters", json.writeValueAsString(change.counters().values()))
            .param("version", scheme.version()).param("actor", actor).param("now", at(now))
            .update();
        return new TierChange(id, change.kind(), change.reason(), from, to, change.at(), after.reviewAt(), after.graceUntil(),
            change.window(), change.counters().values(), now);
    }

    /** A page of the member's history, newest first; the cursor is opaque to clients. */
    TierHistory history(UUID membershipId, @Nullable String cursor, int limit) {
        var before = cursor == null ? Long.MAX_VALUE : decode(cursor);
        var rows = jdbc.sql("""
                select * from tier_changes
                 where tenant_id = :tenant and membership_id = :member and change_seq < :before
                 order by change_seq desc
                 limit :limit""")
            .param("tenant", TenantContext.require()).param("member", membershipId).param("before", before)
            .param("limit", limit + 1)
            .query((rs, row) -> new Sequenced(rs.getLong("change_seq"), change(rs)))
            .list();
        var page = rows.subList(0, Math.min(limit, rows.size()));
        var next = rows.size() > limit ? Optional.of(encode(page.getLast().seq())) : Optional.<String>empty();
        return new TierHistory(page.stream().map(Sequenced::change).toList(), next);
    }

    private record Sequenced(long seq, TierChange change) {
    }

    private Optional<Row> select(String lock, UUID membershipId) {
        return jdbc.sql("select * from member_tiers where tenant_id = :tenant and membership_id = :member" + lock)
            .param("tenant", TenantContext.require()).param("member", membershipId)
            .query((rs, row) -> new Row(membershipId, rs.getObject("program_id", UUID.class), new Standing(
                rs.getInt("level"), instant(rs, "since"), instant(rs, "review_at"), instant(rs, "grace_until"),
                (Integer) rs.getObject("grace_level", Integer.class), instant(rs, "reassess_at"))))
            .optional();
    }

    private TierChange change(ResultSet rs) throws SQLException {
        return new TierChange(rs.getObject("change_id", UUID.class), Kind.valueOf(rs.getString("kind")),
            Reason.valueOf(rs.getString("reason")), new Tier(rs.getInt("from_level"), rs.getString("from_code")),
            new Tier(rs.getInt("to_level"), rs.getString("to_code")), instant(rs, "effective_at"), instant(rs, "review_at"),
            instant(rs, "grace_until"), new Interval(instant(rs, "window_from"), rs.getBoolean("window_from_included"),
                instant(rs, "window_to"), rs.getBoolean("window_to_included")),
            json.readValue(rs.getString("counters"), COUNTERS), instant(rs, "recorded_at"));
    }

    private static String encode(long seq) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("tier-changes:" + seq).getBytes(StandardCharsets.UTF_8));
    }

    private static long decode(String cursor) {
        try {
            var text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!text.startsWith("tier-changes:")) {
                throw new InvalidCursor();
            }
            return Long.parseLong(text.substring("tier-changes:".length()));
        } catch (IllegalArgumentException e) {
            throw new InvalidCursor();
        }
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        var value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static @Nullable OffsetDateTime at(@Nullable Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
