package io.pointbridge.tenant.audit;

import io.pointbridge.tenant.TenantContext;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records who changed what in the current tenant, in the transaction of the change itself, so that a
 * change and its record commit or roll back together.
 *
 * <p>A service records a change with {@link #record(String, String, Object, Object)}: the actor and the
 * request come from the {@link AuditContext} of the request (or job) making it. Records are append-only:
 * the runtime role may only insert and read them, and a trigger refuses UPDATE, DELETE and TRUNCATE to
 * every role. Snapshots hold identifiers, codes, names of tenants, brands and programs, and amounts;
 * never personal data (no contact values, no external ids) and never a secret (no API key).
 */
@Service
public class AuditTrail {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;

    AuditTrail(JdbcClient jdbc, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    /**
     * One audited change.
     *
     * @param actor     who made it ({@code user:<subject>}, {@code api-key:<id>}, {@code system:<job>})
     * @param action    what was done, as {@code <thing>.<past-tense verb>} (e.g. {@code person.merged})
     * @param subject   what it was done to, as {@code <thing>:<id>}
     * @param before    the state before, serialised to JSON; null for a creation
     * @param after     the state after, serialised to JSON; null for a removal
     * @param requestId the request that made the change, to find its logs; null for the current request's
     */
    public record Change(String actor, String action, String subject, @Nullable Object before, @Nullable Object after,
            @Nullable String requestId) {
        public Change {
            if (!ACTION.matcher(action).matches()) {
                throw new IllegalArgumentException(
                    "an action reads <thing>.<past-tense verb>, e.g. program.updated: " + action);
            }
            if (!SUBJECT.matcher(subject).matches()) {
                throw new IllegalArgumentException("a subject reads <thing>:<id>, e.g. program:<id>: " + subject);
            }
            AuditContext.checkActor(actor);
        }
    }

    /** A stored record. */
    public record AuditRecord(UUID id, String actor, String action, String subject, @Nullable JsonNode before,
            @Nullable JsonNode after, Instant at, @Nullable String requestId) {
    }

    /** The request header a caller may name its request by, for audit records and logs. */
    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+");
    private static final Pattern SUBJECT = Pattern.compile("[a-z][a-z0-9-]*:[A-Za-z0-9._:-]{1,200}");

    /**
     * The id an audit record names its request by: the caller's {@code X-Request-Id} if it is a safe token,
     * else the request's Idempotency-Key (every write has one), else none.
     */
    public static @Nullable String requestId(@Nullable String requestIdHeader, @Nullable String idempotencyKey) {
        if (requestIdHeader != null && SAFE_REQUEST_ID.matcher(requestIdHeader).matches()) {
            return requestIdHeader;
        }
        return idempotencyKey != null && SAFE_REQUEST_ID.matcher(idempotencyKey).matches()
            ? "idempotency-key:" + idempotencyKey : null;
    }

    /**
     * Records a change made by the current actor in the current request (see {@link AuditContext}); must
     * run inside the transaction that makes the change.
     *
     * @param action  what was done, as {@code <thing>.<past-tense verb>} (e.g. {@code program.updated})
     * @param subject what it was done to, as {@code <thing>:<id>} (e.g. {@code program:<id>})
     * @param before  the state before, serialised to JSON; null for a creation
     * @param after   the state after, serialised to JSON; null for a removal
     * @throws IllegalStateException outside a request and outside {@link AuditContext#runAs}: every change has an actor
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public UUID record(String action, String subject, @Nullable Object before, @Nullable Object after) {
        var origin = AuditContext.current().orElseThrow(() -> new IllegalStateException(
            "No actor for the audited change " + action + " of " + subject + ": make it in a request, or name the"
                + " job making it with AuditContext.runAs(\"system:<job>\", ...)"));
        return record(new Change(origin.actor(), action, subject, before, after, origin.requestId()));
    }

    /**
     * Records a change by an actor the caller names (e.g. one it also writes into a journal entry); the
     * request is the current one unless the change names its own. Must run inside the transaction that
     * makes the change.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public UUID record(Change change) {
        var requestId = change.requestId() != null ? change.requestId()
            : AuditContext.current().map(AuditContext.Origin::requestId).orElse(null);
        var id = UUID.randomUUID();
        jdbc.sql("""
                insert into audit_records (tenant_id, audit_id, actor, action, subject, before, after, at, request_id)
                values (:tenant, :id, :actor, :action, :subject, cast(:before as jsonb), cast(:after as jsonb), :at, :request)""")
            .param("tenant", TenantContext.require()).param("id", id).param("actor", change.actor())
            .param("action", change.action()).param("subject", change.subject())
            .param("before", change.before() == null ? null : json.writeValueAsString(change.before()))
            .param("after", change.after() == null ? null : json.writeValueAsString(change.after()))
            .param("at", clock.instant().atOffset(ZoneOffset.UTC)).param("request", requestId)
            .update();
        return id;
    }

    /** The records about one subject, oldest first. */
    @Transactional(readOnly = true)
    public List<AuditRecord> about(String subject) {
        return jdbc.sql("""
                select * from audit_records where tenant_id = :tenant and subject = :subject order by at, audit_id""")
            .param("tenant", TenantContext.require()).param("subject", subject)
            .query((rs, row) -> read(rs, json))
            .list();
    }

    static AuditRecord read(ResultSet rs, JsonMapper json) throws SQLException {
        var before = rs.getString("before");
        var after = rs.getString("after");
        return new AuditRecord(rs.getObject("audit_id", UUID.class), rs.getString("actor"), rs.getString("action"),
            rs.getString("subject"), before == null ? null : json.readTree(before),
            after == null ? null : json.readTree(after), rs.getObject("at", OffsetDateTime.class).toInstant(),
            rs.getString("request_id"));
    }
}
