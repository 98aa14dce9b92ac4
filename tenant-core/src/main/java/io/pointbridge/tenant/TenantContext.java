package io.pointbridge.tenant;

import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The tenant the current thread works for. Every transaction copies it into PostgreSQL
 * ({@code app.tenant_id}), where row-level security enforces it.
 */
public final class TenantContext {

    private static final ThreadLocal<UUID> CURRENT = new ThreadLocal<>();

    private TenantContext() {
    }

    public static Optional<UUID> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    public static UUID require() {
        var tenant = CURRENT.get();
        if (tenant == null) {
            throw new NoTenantSelected();
        }
        return tenant;
    }

    /** Runs the work as the given tenant, restoring what was there before. */
    public static <T> T callAs(UUID tenantId, Supplier<T> work) {
        try (var scope = enter(tenantId)) {
            return work.get();
        }
    }

    /** Works as the given tenant until the returned scope is closed, which restores what was there before. */
    public static Scope enter(UUID tenantId) {
        var previous = CURRENT.get();
        CURRENT.set(tenantId);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    /** A stretch of work done as one tenant. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    public static void runAs(UUID tenantId, Runnable work) {
        callAs(tenantId, () -> {
            work.run();
            return null;
        });
    }

    /** Raised when tenant data is touched without a tenant: a programming error or a caller without one. */
    public static final class NoTenantSelected extends DomainFailure {
        NoTenantSelected() {
            super(403, "no-tenant", "No tenant", "This request is not made on behalf of a tenant.");
        }
    }
}
