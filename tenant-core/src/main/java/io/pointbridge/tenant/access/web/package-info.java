/** REST endpoints tenant admins grant and revoke brand managers' brands with. */
package io.pointbridge.tenant.access.web;
