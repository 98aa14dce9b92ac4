/** Idempotent writes: the first result of a request is stored per tenant and key, and replayed to retries. */
@org.springframework.modulith.NamedInterface("idempotency")
package io.pointbridge.tenant.idempotency;
