/** The audit trail: who changed what in a tenant, with the state before and after, append-only. */
@org.springframework.modulith.NamedInterface("audit")
package io.pointbridge.tenant.audit;
