/** Group companies (tenants), the brands they host and the programs those brands run. */
@org.springframework.modulith.NamedInterface("tenancy")
package io.pointbridge.tenant.tenancy;
