/** Who may act on which brands: the brands granted to each brand manager by the tenant's admins. */
@org.springframework.modulith.NamedInterface("access")
package io.pointbridge.tenant.access;
