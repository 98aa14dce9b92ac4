/** REST endpoints integrations post purchases and refunds to. */
package io.pointbridge.tenant.purchase.web;
