/**
 * Privacy of persons: rotation of the keys their personal data is sealed under, their data export, erasure by
 * pseudonymisation, and each tenant's retention of personal data, with the jobs that apply it.
 */
@org.springframework.modulith.NamedInterface("privacy")
package io.pointbridge.tenant.privacy;
