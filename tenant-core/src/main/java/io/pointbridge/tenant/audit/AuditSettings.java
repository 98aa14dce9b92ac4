package io.pointbridge.tenant.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Audit settings, bound to {@code pointbridge.audit}.
 *
 * @param maxExportRange the longest time range one export may cover; a longer one is exported in parts
 */
@ConfigurationProperties("pointbridge.audit")
public record AuditSettings(@DefaultValue("366d") Duration maxExportRange) {
}
