package io.pointbridge.tenant.audit;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Who makes the changes the current thread makes, and in which request. The application sets it once per
 * request from the authenticated caller; work outside a request (a job, demo data, a test fixture) names
 * itself with {@link #runAs}. Audited services read it, so that actors and request ids are not passed
 * through every call.
 */
public final class AuditContext {

    /** {@code user:<subject>}, {@code api-key:<id>}, {@code system:<job>}: a kind, a colon, a name. */
    private static final Pattern ACTOR = Pattern.compile("[a-z][a-z0-9-]*:\\S{1,200}");

    private static final ThreadLocal<Origin> CURRENT = new ThreadLocal<>();

    private AuditContext() {
    }

    /**
     * Who acts, and the request they act in.
     *
     * @param actor     {@code user:<subject>}, {@code api-key:<id>} or {@code system:<job>}
     * @param requestId the request's id (see {@link AuditTrail#requestId}), none outside a request
     */
    public record Origin(String actor, @Nullable String requestId) {
        public Origin {
            checkActor(actor);
        }
    }

    static void checkActor(String actor) {
        Objects.requireNonNull(actor, "actor");
        if (!ACTOR.matcher(actor).matches()) {
            throw new IllegalArgumentException("an actor reads <kind>:<name>, e.g. user:<subject> or system:<job>");
        }
    }

    public static Optional<Origin> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** Acts as the actor in the request until the returned scope is closed, which restores what was there before. */
    public static Scope enter(String actor, @Nullable String requestId) {
        var origin = new Origin(actor, requestId);
        var previous = CURRENT.get();
        CURRENT.set(origin);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    /** Runs the work as the given actor outside any request, e.g. {@code system:expiry}. */
    public static <T> T callAs(String actor, Supplier<T> work) {
        try (var scope = enter(actor, null)) {
            return work.get();
        }
    }

    public static void runAs(String actor, Runnable work) {
        callAs(actor, () -> {
            work.run();
            return null;
        });
    }

    /** A stretch of work done by one actor. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
