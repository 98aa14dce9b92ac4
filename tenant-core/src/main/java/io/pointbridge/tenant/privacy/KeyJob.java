package io.pointbridge.tenant.privacy;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.crypto.DataKeys;
import io.pointbridge.tenant.identity.PersonalDataReencryption;
import io.pointbridge.tenant.tenancy.TenantManagement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Brings every tenant's keys and sealed data up to date, tenant by tenant: data keys wrapped under a retired
 * master key are rewrapped under the current one, and personal data sealed under an older data-key version is
 * re-sealed under the current one. A failure in one tenant is logged and the others go on; the next run
 * resumes where this one stopped.
 */
@Component
public class KeyJob {

    private static final Logger log = LoggerFactory.getLogger(KeyJob.class);

    private final TenantManagement tenancy;
    private final DataKeys keys;
    private final PersonalDataReencryption reencryption;
    private final PrivacyJobSettings settings;

    KeyJob(TenantManagement tenancy, DataKeys keys, PersonalDataReencryption reencryption, PrivacyJobSettings settings) {
        this.tenancy = tenancy;
        this.keys = keys;
        this.reencryption = reencryption;
        this.settings = settings;
    }

    @Scheduled(initialDelayString = "${pointbridge.privacy.jobs.key-interval:1m}",
        fixedDelayString = "${pointbridge.privacy.jobs.key-interval:1m}")
    void scheduled() {
        if (settings.enabled()) {
            run();
        }
    }

    /** One run over every tenant; answers how many rows it re-sealed. */
    public int run() {
        int resealed = 0;
        for (var tenant : tenancy.allTenantIds()) {
            try (var scope = TenantContext.enter(tenant)) {
                resealed += runForCurrentTenant();
            } catch (RuntimeException e) {
                log.error("Key job failed for tenant {}; it will be retried on the next run", tenant, e);
            }
        }
        return resealed;
    }

    /** Rewraps and re-seals what the current tenant has under old keys; answers how many rows it re-sealed. */
    public int runForCurrentTenant() {
        var rewrapped = keys.rewrap();
        var resealed = reencryption.reencryptAll(settings.batchSize());
        if (rewrapped > 0 || resealed > 0) {
            log.info("Tenant {}: {} data keys rewrapped, {} rows re-encrypted under key version {}",
                TenantContext.require(), rewrapped, resealed, keys.currentVersion());
        }
        return resealed;
    }
}
