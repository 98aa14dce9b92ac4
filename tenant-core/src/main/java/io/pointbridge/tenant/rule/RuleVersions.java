package io.pointbridge.tenant.rule;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.rule.RuleDefinition.Action;
import io.pointbridge.tenant.rule.RuleDefinition.ActionKind;
import io.pointbridge.tenant.rule.RuleDefinition.Cap;
import io.pointbridge.tenant.rule.RuleDefinition.CapPeriod;
import io.pointbridge.tenant.rule.RuleVersion.Status;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads and writes rule versions: the sets in force, the drafts, and each rule's history. */
@Component
class RuleVersions {

    private static final String SELECT = "select * from earning_rule_versions v ";

    private final JdbcClient jdbc;

    RuleVersions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The versions of the program's rules for these event types in force at the instant (retirements excluded). */
    List<RuleVersion> inForceAt(UUID programId, Instant at, Collection<String> eventTypes) {
        return jdbc.sql(SELECT + """
                 where v.tenant_id = :tenant and v.program_id = :program and v.status = 'PUBLISHED' and not v.retires
                   and v.published_at <= :at and (v.superseded_at is null or v.superseded_at > :at)
                   and v.event_type = any (:types)""")
            .param("tenant", TenantContext.require()).param("program", programId).param("at", at(at))
            .param("types", eventTypes.toArray(String[]::new))
            .query(RuleVersions::version)
            .list();
    }

    /** The published set: the version in force of each rule that is not retired. */
    List<RuleVersion> published(UUID programId) {
        return jdbc.sql(SELECT + """
                 where v.tenant_id = :tenant and v.program_id = :program and v.status = 'PUBLISHED'
                   and v.superseded_at is null and not v.retires
                 order by v.priority, v.rule_id""")
            .param("tenant", TenantContext.require()).param("program", programId)
            .query(RuleVersions::version)
            .list();
    }

    /** The program's pending drafts, retirements included. */
    List<RuleVersion> drafts(UUID programId) {
        return jdbc.sql(SELECT + " where v.tenant_id = :tenant and v.program_id = :program and v.status = 'DRAFT'"
                + " order by v.rule_id")
            .param("tenant", TenantContext.require()).param("program", programId)
            .query(RuleVersions::version)
            .list();
    }

    /** The set publishing would put in force: the published set with each rule's draft in place of its version. */
    List<RuleVersion> draftSet(UUID programId) {
        var set = new LinkedHashMap<UUID, RuleVersion>();
        published(programId).forEach(version -> set.put(version.ruleId(), version));
        for (var draft : drafts(programId)) {
            if (draft.retires()) {
                set.remove(draft.ruleId());
            } else {
                set.put(draft.ruleId(), draft);
            }
        }
        return new ArrayList<>(set.values());
    }

    /** Every version of a rule, oldest first. */
    List<RuleVersion> history(UUID ruleId) {
        return jdbc.sql(SELECT + " where v.tenant_id = :tenant and v.rule_id = :rule order by v.version")
            .param("tenant", TenantContext.require()).param("rule", ruleId)
            .query(RuleVersions::version)
            .list();
    }

    void insert(RuleVersion version) {
        var definition = version.definition();
        var action = definition.action();
        var cap = definition.cap();
        jdbc.sql("""
                insert into earning_rule_versions (tenant_id, rule_id, version, program_id, status, retires, name,
                    description, event_type, condition, action_kind, action_points, action_per_minor, action_factor,
                    action_percent, line_filter, priority, exclusive, exclusion_group, cap_period, cap_points,
                    cap_times, budget_points, valid_from, valid_to, drafted_at, drafted_by)
                values (:tenant, :rule, :version, :program, :status, :retires, :name, :description,
                    :eventType, :condition, :actionKind, :points, :perMinor, :factor, :percent,
                    :lineFilter, :priority, :exclusive, :exclusionGroup, :capPeriod, :capPoints, :capTimes, :budget,
                    :validFrom, :validTo, :draftedAt, :draftedBy)""")
            .param("tenant", TenantContext.require()).param("rule", version.ruleId())
            .param("version", version.version()).param("program", version.programId())
            .param("status", version.status().name()).param("retires", version.retires())
            .param("name", definition.name()).param("description", definition.description())
            .param("eventType", definition.eventType()).param("condition", definition.condition())
            .param("actionKind", action.kind().name()).param("points", action.points())
            .param("perMinor", action.perMinor()).param("factor", action.factor()).param("percent", action.percent())
            .param("lineFilter", action.lineFilter())
            .param("priority", definition.priority()).param("exclusive", definition.exclusive())
            .param("exclusionGroup", definition.exclusionGroup())
            .param("capPeriod", cap == null ? null : cap.period().name())
            .param("capPoints", cap == null ? null : cap.maxPoints())
            .param("capTimes", cap == null ? null : cap.maxTimes())
            .param("budget", definition.budget())
            .param("validFrom", at(definition.validFrom())).param("validTo", at(definition.validTo()))
            .param("draftedAt", at(version.draftedAt())).param("draftedBy", version.draftedBy())
            .update();
    }

    void withdraw(UUID ruleId, int version) {
        jdbc.sql("""
                update earning_rule_versions set status = 'WITHDRAWN'
                 where tenant_id = :tenant and rule_id = :rule and version = :version and status = 'DRAFT'""")
            .param("tenant", TenantContext.require()).param("rule", ruleId).param("version", version)
            .update();
    }

    /** Puts a draft in force from the instant, ending the rule's version in force until then. */
    void publish(RuleVersion draft, Instant at, String actor) {
        var tenant = TenantContext.require();
        jdbc.sql("""
                update earning_rule_versions set superseded_at = :at
                 where tenant_id = :tenant and rule_id = :rule and status = 'PUBLISHED' and superseded_at is null""")
            .param("at", at(at)).param("tenant", tenant).param("rule", draft.ruleId())
            .update();
        jdbc.sql("""
                update earning_rule_versions set status = 'PUBLISHED', published_at = :at, published_by = :actor
                 where tenant_id = :tenant and rule_id = :rule and version = :version and status = 'DRAFT'""")
            .param("at", at(at)).param("actor", actor)
            .param("tenant", tenant).param("rule", draft.ruleId()).param("version", draft.version())
            .update();
    }

    static @Nullable OffsetDateTime at(@Nullable Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        var value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static @Nullable Long longOrNull(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    static RuleVersion version(ResultSet rs, int row) throws SQLException {
        var capPeriod = rs.getString("cap_period");
        var capTimes = longOrNull(rs, "cap_times");
        var cap = capPeriod == null ? null : new Cap(CapPeriod.valueOf(capPeriod), longOrNull(rs, "cap_points"),
            capTimes == null ? null : capTimes.intValue());
        var action = new Action(ActionKind.valueOf(rs.getString("action_kind")), longOrNull(rs, "action_points"),
            longOrNull(rs, "action_per_minor"), rs.getBigDecimal("action_factor"), rs.getBigDecimal("action_percent"),
            rs.getString("line_filter"));
        var definition = new RuleDefinition(rs.getString("name"), rs.getString("description"),
            rs.getString("event_type"), rs.getString("condition"), action, rs.getInt("priority"),
            rs.getBoolean("exclusive"), rs.getString("exclusion_group"), cap, longOrNull(rs, "budget_points"),
            instant(rs, "valid_from"), instant(rs, "valid_to"));
        return new RuleVersion(rs.getObject("rule_id", UUID.class), rs.getInt("version"),
            rs.getObject("program_id", UUID.class), Status.valueOf(rs.getString("status")), rs.getBoolean("retires"),
            definition, instant(rs, "drafted_at"), rs.getString("drafted_by"), instant(rs, "published_at"),
            rs.getString("published_by"), instant(rs, "superseded_at"));
    }
}
