/**
 * Envelope encryption of personal data: a data key per tenant and version, wrapped by a key-encryption key
 * from a pluggable {@link io.pointbridge.tenant.crypto.KeyProvider}, and AES-256-GCM field encryption bound
 * to tenant, field and row.
 */
@org.springframework.modulith.NamedInterface("crypto")
package io.pointbridge.tenant.crypto;
