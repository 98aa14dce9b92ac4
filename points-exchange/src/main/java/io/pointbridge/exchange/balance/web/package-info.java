/** REST endpoint for a member's view of their balances across the group's programs. */
package io.pointbridge.exchange.balance.web;
