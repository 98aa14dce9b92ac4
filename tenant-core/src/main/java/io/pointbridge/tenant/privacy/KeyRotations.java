package io.pointbridge.tenant.privacy;

import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.audit.AuditTrail.Change;
import io.pointbridge.tenant.crypto.DataKeys;
import io.pointbridge.tenant.crypto.DataKeys.KeyVersion;
import io.pointbridge.tenant.identity.BlindIndex;
import io.pointbridge.tenant.identity.PersonalDataReencryption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Rotation of the current tenant's data key on a tenant admin's request: from the moment it commits every write
 * is sealed under the new version, and {@link KeyJob} re-seals the older rows in the background.
 */
@Service
public class KeyRotations {

    private final DataKeys keys;
    private final PersonalDataReencryption reencryption;
    private final BlindIndex blindIndex;
    private final AuditTrail audit;

    KeyRotations(DataKeys keys, PersonalDataReencryption reencryption, BlindIndex blindIndex, AuditTrail audit) {
        this.keys = keys;
        this.reencryption = reencryption;
        this.blindIndex = blindIndex;
        this.audit = audit;
    }

    /** A data-key version and how many rows it still seals. */
    public record VersionStatus(short version, String keyEncryptionKeyId, Instant createdAt, long rows) {
    }

    /**
     * The tenant's data-key versions, re-encryption being done when only the current one seals rows; and the
     * blind-index key version, re-indexing being done when no contact is left under a retired one.
     */
    public record KeyStatus(short currentVersion, List<VersionStatus> versions, short blindIndexKeyVersion,
            long contactsUnderRetiredBlindIndexKeys) {
    }

    @Transactional
    public KeyVersion rotate(String actor, @Nullable String requestId) {
        var before = keys.currentVersion();
        var rotated = keys.rotate();
        audit.record(new Change(actor, "data-key.rotated", "data-key:" + rotated.version(),
            Map.of("currentVersion", before), Map.of("currentVersion", rotated.version()), requestId));
        return rotated;
    }

    @Transactional(readOnly = true)
    public KeyStatus status() {
        var rows = reencryption.rowsByVersion();
        var versions = keys.versions().stream()
            .map(version -> new VersionStatus(version.version(), version.keyEncryptionKeyId(), version.createdAt(),
                rows.getOrDefault(version.version(), 0L)))
            .toList();
        return new KeyStatus(keys.currentVersion(), versions, blindIndex.currentVersion(),
            reencryption.contactsUnderRetiredIndexKeys());
    }
}
