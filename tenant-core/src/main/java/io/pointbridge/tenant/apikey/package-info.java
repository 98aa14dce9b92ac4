/** API keys integrations call with: one brand each, shown once, stored hashed, revocable. */
@org.springframework.modulith.NamedInterface("apikey")
package io.pointbridge.tenant.apikey;
