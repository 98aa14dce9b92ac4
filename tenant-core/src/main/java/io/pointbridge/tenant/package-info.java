/**
 * The tenant core: tenants (group companies), their brands and programs, persons and memberships, the
 * points ledger and the REST API integrations and tenant admins call. Its public surface is this package
 * and the packages marked as named interfaces.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Tenant core")
package io.pointbridge.tenant;
