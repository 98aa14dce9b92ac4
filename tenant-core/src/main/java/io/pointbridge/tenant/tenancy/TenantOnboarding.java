package io.pointbridge.tenant.tenancy;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.tenancy.TenantIdentities.FirstAdmin;
import io.pointbridge.tenant.tenancy.TenantIdentities.ProvisionedIdentity;
import io.pointbridge.tenant.tenancy.TenantManagement.NewTenant;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Onboards a tenant with its identity: the tenant row and, before that row commits, its organization
 * and first admin in the identity provider. If the identity provider fails, the transaction rolls back
 * and no tenant is left half made; if the database fails after the identity provider succeeded, a retry
 * finds and reuses what the identity provider kept.
 */
@Service
public class TenantOnboarding {

    private final TenantManagement tenancy;
    private final TenantIdentities identities;
    private final TransactionTemplate transactions;

    TenantOnboarding(TenantManagement tenancy, TenantIdentities identities, PlatformTransactionManager transactionManager) {
        this.tenancy = tenancy;
        this.identities = identities;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** A tenant as onboarded, with what its identity provider holds for it. */
    public record OnboardedTenant(Tenant tenant, ProvisionedIdentity identity) {
    }

    /** Creates the tenant with the given id and provisions its identity; joins the caller's transaction if any. */
    public OnboardedTenant onboard(UUID id, NewTenant command, FirstAdmin admin) {
        return TenantContext.callAs(id, () -> transactions.execute(status -> {
            var tenant = tenancy.createTenant(id, command);
            return new OnboardedTenant(tenant, identities.provision(tenant, admin));
        }));
    }
}
