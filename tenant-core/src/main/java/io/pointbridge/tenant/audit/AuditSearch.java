package io.pointbridge.tenant.audit;

import io.pointbridge.tenant.InvalidRequest;
import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.audit.AuditFailures.InvalidCursor;
import io.pointbridge.tenant.audit.AuditTrail.AuditRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Finds the current tenant's audit records: a page at a time, newest first, for people searching the
 * trail; or every record of a time range, oldest first, for an export.
 */
@Service
public class AuditSearch {

    public static final int MAX_PAGE_SIZE = 100;

    /** Records an export reads per transaction: the connection is not held while the client downloads. */
    static final int EXPORT_CHUNK = 1000;

    private static final String CURSOR_PREFIX = "a1:";

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final AuditSettings settings;
    private final TransactionTemplate readOnly;

    AuditSearch(JdbcClient jdbc, JsonMapper json, AuditSettings settings,
            PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.json = json;
        this.settings = settings;
        this.readOnly = new TransactionTemplate(transactionManager);
        this.readOnly.setReadOnly(true);
    }

    /**
     * What to look for; every part is optional and they all must hold.
     *
     * @param actor   exactly this actor, e.g. {@code user:<subject>}
     * @param action  exactly this action, e.g. {@code program.updated}
     * @param subject exactly this subject, e.g. {@code program:<id>}
     * @param from    at or after this time
     * @param to      before this time
     */
    public record Filter(@Nullable String actor, @Nullable String action, @Nullable String subject,
            @Nullable Instant from, @Nullable Instant to) {
        public Filter {
            if (from != null && to != null && !from.isBefore(to)) {
                throw new InvalidRequest("to", "must be after from");
            }
        }
    }

    /** A page of records, newest first; {@code nextCursor} is empty on the last page. */
    public record AuditPage(List<AuditRecord> items, Optional<String> nextCursor) {
    }

    /** A time range an export may cover: {@code from} inclusive, {@code to} exclusive. */
    public record ExportRange(Instant from, Instant to) {
    }

    /** Takes the records of one export, a chunk at a time, oldest first. */
    @FunctionalInterface
    public interface ExportWriter {
        void write(List<AuditRecord> chunk) throws IOException;
    }

    @Transactional(readOnly = true)
    public AuditPage page(Filter filter, @Nullable String cursor, int limit) {
        if (limit < 1 || limit > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE_SIZE);
        }
        var sql = new StringBuilder("select * from audit_records where tenant_id = :tenant");
        var params = new HashMap<String, Object>();
        params.put("tenant", TenantContext.require());
        // Only the filters given take part, so that the planner picks the index that ends in (at, audit_id).
        equal(sql, params, "actor", filter.actor());
        equal(sql, params, "action", filter.action());
        equal(sql, params, "subject", filter.subject());
        if (filter.from() != null) {
            sql.append(" and at >= :from");
            params.put("from", filter.from().atOffset(ZoneOffset.UTC));
        }
        if (filter.to() != null) {
            sql.append(" and at < :to");
            params.put("to", filter.to().atOffset(ZoneOffset.UTC));
        }
        if (cursor != null) {
            var position = decode(cursor);
            sql.append(" and (at, audit_id) < (:cursorAt, :cursorId)");
            params.put("cursorAt", position.at().atOffset(ZoneOffset.UTC));
            params.put("cursorId", position.id());
        }
        sql.append(" order by at desc, audit_id desc limit :limit");
        params.put("limit", limit + 1);
        var rows = jdbc.sql(sql.toString()).params(params).query((rs, row) -> AuditTrail.read(rs, json)).list();
        var page = rows.subList(0, Math.min(limit, rows.size()));
        var next = rows.size() > limit ? Optional.of(encode(page.getLast())) : Optional.<String>empty();
        return new AuditPage(List.copyOf(page), next);
    }

    /** The range, if one export may cover it: {@code from} before {@code to}, at most the configured span apart. */
    public ExportRange exportRange(@Nullable Instant from, @Nullable Instant to) {
        if (from == null) {
            throw new InvalidRequest("from", "is required");
        }
        if (to == null) {
            throw new InvalidRequest("to", "is required");
        }
        if (!from.isBefore(to)) {
            throw new InvalidRequest("to", "must be after from");
        }
        if (from.plus(settings.maxExportRange()).isBefore(to)) {
            throw new InvalidRequest("to", "must be at most " + settings.maxExportRange().toDays()
                + " days after from; export longer ranges in parts");
        }
        return new ExportRange(from, to);
    }

    /**
     * Hands every record of the range to the writer, oldest first, a chunk at a time. Each chunk is read
     * in a short transaction of its own and written after it ends, so that a slow client holds no database
     * connection. Records are only ever added, so the chunks add up to the range as it stood; a change
     * still committing while its time is passed may be left out, which a range ending in the past avoids.
     */
    public void export(ExportRange range, ExportWriter writer) throws IOException {
        var tenant = TenantContext.require();
        var from = range.from().atOffset(ZoneOffset.UTC);
        var to = range.to().atOffset(ZoneOffset.UTC);
        var chunk = readOnly.execute(status -> jdbc.sql("""
                select * from audit_records
                 where tenant_id = :tenant and at >= :from and at < :to
                 order by at, audit_id limit :chunk""")
            .param("tenant", tenant).param("from", from).param("to", to).param("chunk", EXPORT_CHUNK)
            .query((rs, row) -> AuditTrail.read(rs, json))
            .list());
        while (!chunk.isEmpty()) {
            writer.write(chunk);
            if (chunk.size() < EXPORT_CHUNK) {
                return;
            }
            var last = chunk.getLast();
            chunk = readOnly.execute(status -> jdbc.sql("""
                    select * from audit_records
                     where tenant_id = :tenant and at < :to and (at, audit_id) > (:lastAt, :lastId)
                     order by at, audit_id limit :chunk""")
                .param("tenant", tenant).param("to", to)
                .param("lastAt", last.at().atOffset(ZoneOffset.UTC)).param("lastId", last.id())
                .param("chunk", EXPORT_CHUNK)
                .query((rs, row) -> AuditTrail.read(rs, json))
                .list());
        }
    }

    private static void equal(StringBuilder sql, Map<String, Object> params, String column, @Nullable String value) {
        if (value != null) {
            sql.append(" and ").append(column).append(" = :").append(column);
            params.put(column, value);
        }
    }

    private record Position(Instant at, UUID id) {
    }

    /** The position after a record: its time to the microsecond, as PostgreSQL keeps it, and its id. */
    private static String encode(AuditRecord record) {
        long micros = Math.addExact(Math.multiplyExact(record.at().getEpochSecond(), 1_000_000L),
            record.at().getNano() / 1_000);
        var text = CURSOR_PREFIX + micros + ":" + record.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Position decode(String cursor) {
        try {
            var text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!text.startsWith(CURSOR_PREFIX)) {
                throw new InvalidCursor();
            }
            var parts = text.substring(CURSOR_PREFIX.length()).split(":", 2);
            if (parts.length != 2) {
                throw new InvalidCursor();
            }
            long micros = Long.parseLong(parts[0]);
            var at = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                Math.floorMod(micros, 1_000_000L) * 1_000L);
            return new Position(at, UUID.fromString(parts[1]));
        } catch (IllegalArgumentException | DateTimeException e) {
            throw new InvalidCursor();
        }
    }
}
