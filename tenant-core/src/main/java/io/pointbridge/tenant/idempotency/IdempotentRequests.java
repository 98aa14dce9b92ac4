package io.pointbridge.tenant.idempotency;

import io.pointbridge.tenant.Caller;
import io.pointbridge.tenant.DomainFailure;
import io.pointbridge.tenant.TenantContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a write at most once per (tenant, Idempotency-Key).
 *
 * <p>The key is claimed by inserting its record in the same transaction as the write, and the response
 * is stored there before commit: a retry waits for a concurrent first attempt, then gets its response;
 * if the first attempt failed, its claim rolled back with it and the retry runs the write afresh. The
 * same key with a different request is refused.
 */
@Service
public class IdempotentRequests {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:-]{8,128}");

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final JsonMapper json;

    IdempotentRequests(JdbcClient jdbc, PlatformTransactionManager transactionManager, JsonMapper json) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.json = json;
    }

    /**
     * Runs the write in a transaction unless this key has run before, in which case the stored response
     * is returned. {@code request} is what identifies the request beside method and path (its body).
     */
    public ResponseEntity<Object> execute(@Nullable String key, String method, String path, Object request,
            Supplier<ResponseEntity<?>> write) {
        var validKey = validate(key);
        var hash = fingerprint(method, path, request);
        var caller = caller();
        return transactions.execute(status -> {
            var tenant = TenantContext.require();
            int claimed = jdbc.sql("""
                    insert into idempotency_records (tenant_id, caller, idempotency_key, request_hash)
                    values (:tenant, :caller, :key, :hash) on conflict do nothing""")
                .param("tenant", tenant).param("caller", caller).param("key", validKey).param("hash", hash)
                .update();
            if (claimed == 0) {
                return replay(caller, validKey, hash).orElseThrow();
            }
            var response = write.get();
            var body = response.getBody() == null ? null : json.writeValueAsString(response.getBody());
            var location = response.getHeaders().getLocation();
            jdbc.sql("""
                    update idempotency_records set status = :status, location = :location, response = :response
                     where tenant_id = :tenant and caller = :caller and idempotency_key = :key""")
                .param("status", response.getStatusCode().value())
                .param("location", location == null ? null : location.toString())
                .param("response", body)
                .param("tenant", tenant).param("caller", caller).param("key", validKey)
                .update();
            @SuppressWarnings("unchecked")
            var untyped = (ResponseEntity<Object>) response;
            return untyped;
        });
    }

    /** The stored response to this key, if it ran before with the same request; refused if with another. */
    public Optional<ResponseEntity<Object>> replay(@Nullable String key, String method, String path, Object request) {
        var validKey = validate(key);
        var hash = fingerprint(method, path, request);
        var caller = caller();
        return transactions.execute(status -> replay(caller, validKey, hash));
    }

    private Optional<ResponseEntity<Object>> replay(String caller, String key, String hash) {
        return jdbc.sql("""
                select request_hash, status, location, response from idempotency_records
                 where tenant_id = :tenant and caller = :caller and idempotency_key = :key""")
            .param("tenant", TenantContext.require()).param("caller", caller).param("key", key)
            .query((rs, row) -> {
                if (!rs.getString("request_hash").equals(hash)) {
                    throw new IdempotencyKeyReused();
                }
                var builder = ResponseEntity.status(HttpStatus.valueOf(rs.getInt("status")))
                    .header(REPLAYED_HEADER, "true");
                var location = rs.getString("location");
                if (location != null) {
                    builder.location(URI.create(location));
                }
                var body = rs.getString("response");
                return builder.body((Object) (body == null ? null : json.readValue(body, JsonNode.class)));
            })
            .optional();
    }

    /**
     * Replaces the stored answers that mention any of the given ids (e.g. of an erased person and its members) by a
     * {@code 410 Gone} problem, since they may hold personal data; a replay of such a key then answers that.
     * Answers how many records it redacted.
     */
    public int redactAnswersMentioning(Collection<UUID> ids) {
        var gone = json.writeValueAsString(Map.of("type", "https://pointbridge.io/problems/answer-erased",
            "title", "Answer erased", "status", 410,
            "detail", "The answer to this request named a person whose personal data has been erased since."));
        int redacted = 0;
        for (var id : ids) {
            redacted += jdbc.sql("""
                    update idempotency_records set status = 410, location = null, response = :gone
                     where tenant_id = :tenant and status <> 410
                       and (strpos(response, :id) > 0 or strpos(location, :id) > 0)""")
                .param("gone", gone).param("tenant", TenantContext.require()).param("id", id.toString())
                .update();
        }
        return redacted;
    }

    /**
     * Whose key it is: the authenticated caller's actor ({@code api-key:<id>}, {@code user:<subject>}); keys of
     * different callers never meet. Work without a caller (jobs, start-up) shares one namespace.
     */
    private static String caller() {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof Caller caller ? caller.actor() : "";
    }

    private static String validate(@Nullable String key) {
        if (key == null || key.isBlank()) {
            throw new IdempotencyKeyMissing();
        }
        if (!KEY.matcher(key).matches()) {
            throw new IdempotencyKeyInvalid();
        }
        return key;
    }

    private String fingerprint(String method, String path, Object request) {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            digest.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
            digest.update(json.writeValueAsBytes(request));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static final class IdempotencyKeyMissing extends DomainFailure {
        IdempotencyKeyMissing() {
            super(400, "idempotency-key-missing", "Idempotency-Key missing",
                "Every write needs an Idempotency-Key header, unique per intended operation.");
            with("header", HEADER);
        }
    }

    public static final class IdempotencyKeyInvalid extends DomainFailure {
        IdempotencyKeyInvalid() {
            super(400, "idempotency-key-invalid", "Idempotency-Key invalid",
                "An Idempotency-Key has 8 to 128 characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'.");
            with("header", HEADER);
        }
    }

    public static final class IdempotencyKeyReused extends DomainFailure {
        IdempotencyKeyReused() {
            super(422, "idempotency-key-reused", "Idempotency-Key reused",
                "This Idempotency-Key was used before with a different request.");
            with("header", HEADER);
        }
    }
}
