/**
 * Who may call the API: Keycloak tokens (people) and API keys (integrations), both turned into a
 * {@link io.pointbridge.tenant.Caller} whose tenant every transaction then works under.
 */
package io.pointbridge.security;
