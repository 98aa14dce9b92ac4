package io.pointbridge.tenant.internal;

import io.pointbridge.tenant.TenantContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;

/**
 * Starts every transaction by telling PostgreSQL which tenant it works for. The setting is
 * transaction-local, so a pooled connection never carries one tenant into another's work, and
 * row-level security hides every other tenant's rows even from a query that forgets to filter.
 */
public class TenantAwareTransactionManager extends JdbcTransactionManager {

    private static final String TENANT = "select set_config('app.tenant_id', ?, true)";

    /**
     * Writes also reuse their statements' generic plans. PostgreSQL otherwise plans a prepared statement afresh on
     * every execution whenever its generic plan looks dearer than a plan for the values at hand, which it always does
     * for statements over arrays (a ledger entry's one statement, a batch of expiries): it estimates an array
     * parameter at 100 elements where a write passes two. Those plans are the same index lookups for any value, so
     * the planning is pure cost: in the benchmark's pgbench run of a ledger entry's statement, 25-35% of the
     * transactions per second. Transaction-local, like the tenant; read-only transactions (reports over date
     * ranges) keep PostgreSQL's choice.
     */
    private static final String TENANT_AND_GENERIC_PLANS =
        "select set_config('app.tenant_id', ?, true), set_config('plan_cache_mode', 'force_generic_plan', true)";

    public TenantAwareTransactionManager(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    protected void prepareTransactionalConnection(Connection connection, TransactionDefinition definition)
            throws SQLException {
        super.prepareTransactionalConnection(connection, definition);
        var tenant = TenantContext.current().map(UUID::toString).orElse("");
        try (var statement = connection.prepareStatement(definition.isReadOnly() ? TENANT : TENANT_AND_GENERIC_PLANS)) {
            statement.setString(1, tenant);
            statement.execute();
        }
    }
}
