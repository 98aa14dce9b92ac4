/** REST endpoints for point values and settlement statements (JSON and CSV), for tenant admins. */
package io.pointbridge.exchange.settlement.web;
