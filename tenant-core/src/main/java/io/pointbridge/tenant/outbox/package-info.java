/** The transactional outbox: domain events written in the same transaction as the change they report. */
@org.springframework.modulith.NamedInterface("outbox")
package io.pointbridge.tenant.outbox;
