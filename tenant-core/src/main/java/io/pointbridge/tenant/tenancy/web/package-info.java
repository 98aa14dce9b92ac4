/** REST endpoints for tenants, brands and programs. */
package io.pointbridge.tenant.tenancy.web;
