/** REST endpoints tenant admins issue, list and revoke API keys with. */
package io.pointbridge.tenant.apikey.web;
