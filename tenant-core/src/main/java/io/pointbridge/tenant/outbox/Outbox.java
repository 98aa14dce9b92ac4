package io.pointbridge.tenant.outbox;

import io.pointbridge.tenant.TenantContext;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends domain events to the outbox in the caller's transaction, so an event exists exactly when the
 * change it reports was committed. Delivering them (webhooks, billing, analytics) is the relay's job,
 * which reads the rows not yet published in {@code event_seq} order.
 */
@Service
public class Outbox {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;

    Outbox(JdbcClient jdbc, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Records an event of the current tenant; it must join a transaction that makes the change.
     *
     * @param type    a stable, dotted name consumers route on, e.g. {@code exchange.points-transferred}
     * @param payload the event, serialised as JSON
     * @return the event's id, which consumers use to ignore a second delivery
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public UUID append(String type, Object payload) {
        var id = UUID.randomUUID();
        jdbc.sql("""
                insert into outbox_events (tenant_id, event_id, type, payload, created_at)
                values (:tenant, :id, :type, cast(:payload as jsonb), :now)""")
            .param("tenant", TenantContext.require()).param("id", id).param("type", type)
            .param("payload", json.writeValueAsString(payload)).param("now", clock.instant().atOffset(ZoneOffset.UTC))
            .update();
        return id;
    }

    /**
     * Records events of one type for the current tenant in one statement, in the order given (that is the order
     * the relay delivers them in); as {@link #append} does, it must join a transaction that makes the change.
     *
     * @return the events' ids, in the order of the payloads
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<UUID> appendAll(String type, List<?> payloads) {
        if (payloads.isEmpty()) {
            return List.of();
        }
        var ids = payloads.stream().map(payload -> UUID.randomUUID()).toList();
        jdbc.sql("""
                insert into outbox_events (tenant_id, event_id, type, payload, created_at)
                select :tenant, e.id, :type, cast(e.payload as jsonb), :now
                  from unnest(cast(:ids as uuid[]), cast(:payloads as text[])) with ordinality as e (id, payload, n)
                 order by e.n""")
            .param("tenant", TenantContext.require()).param("ids", ids.toArray(UUID[]::new)).param("type", type)
            .param("payloads", payloads.stream().map(json::writeValueAsString).toArray(String[]::new))
            .param("now", clock.instant().atOffset(ZoneOffset.UTC))
            .update();
        return ids;
    }
}
