package io.pointbridge.tenant.identity;

import io.pointbridge.tenant.TenantContext;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Persons' consents, kept with their history: the latest record per purpose is the one in force. */
@Component
class Consents {

    static final String IDENTITY_LINKING = Consent.IDENTITY_LINKING;

    private final JdbcClient jdbc;
    private final Clock clock;

    Consents(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    Consent record(UUID person, String purpose, boolean granted, String source) {
        return record(person, purpose, granted, source, null);
    }

    Consent record(UUID person, String purpose, boolean granted, String source, @Nullable String collectedVia) {
        var id = UUID.randomUUID();
        var now = clock.instant();
        jdbc.sql("""
                insert into person_consents (tenant_id, consent_id, person_id, purpose, granted, source, recorded_at, collected_via)
                values (:tenant, :id, :person, :purpose, :granted, :source, :at, :via)""")
            .param("tenant", TenantContext.require()).param("id", id).param("person", person).param("purpose", purpose)
            .param("granted", granted).param("source", source).param("at", now.atOffset(ZoneOffset.UTC))
            .param("via", collectedVia)
            .update();
        return new Consent(purpose, granted, source, now, collectedVia);
    }

    /** The consent in force per purpose the person was ever asked for: the latest record of each. */
    Map<String, Boolean> inForce(UUID person) {
        var inForce = new TreeMap<String, Boolean>();
        history(person).forEach(consent -> inForce.put(consent.purpose(), consent.granted()));
        return inForce;
    }

    /** The consent in force for the purpose: granted, withdrawn, or empty if never asked. */
    Optional<Boolean> current(UUID person, String purpose) {
        return jdbc.sql("""
                select granted from person_consents where tenant_id = :tenant and person_id = :person and purpose = :purpose
                 order by consent_seq desc limit 1""")
            .param("tenant", TenantContext.require()).param("person", person).param("purpose", purpose)
            .query(Boolean.class)
            .optional();
    }

    /** Every consent the person gave or withdrew, oldest first. */
    List<Consent> history(UUID person) {
        return jdbc.sql("""
                select purpose, granted, source, recorded_at, collected_via from person_consents
                 where tenant_id = :tenant and person_id = :person order by consent_seq""")
            .param("tenant", TenantContext.require()).param("person", person)
            .query((rs, row) -> new Consent(rs.getString("purpose"), rs.getBoolean("granted"), rs.getString("source"),
                rs.getObject("recorded_at", OffsetDateTime.class).toInstant(), rs.getString("collected_via")))
            .list();
    }
}
