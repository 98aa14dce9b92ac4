/** REST endpoints tenant admins run the points jobs through and follow their runs on. */
package io.pointbridge.tenant.expiry.web;
