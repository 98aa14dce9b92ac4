/**
 * Keycloak as the identity provider's admin side: provisions each tenant's organization and first admin
 * through Keycloak's admin client, as the confidential client {@code pointbridge-provisioner}.
 */
package io.pointbridge.keycloak;
