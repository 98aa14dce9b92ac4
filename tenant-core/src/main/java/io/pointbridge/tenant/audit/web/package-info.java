/** REST endpoints tenant admins search and export their tenant's audit trail with. */
package io.pointbridge.tenant.audit.web;
