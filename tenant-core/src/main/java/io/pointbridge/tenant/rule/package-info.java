/**
 * Earning rules: what members earn beyond a program's base rate for purchases and other events, configured
 * per program by tenant admins as versioned rules with CEL conditions, explained by dry runs and tried on
 * past events by backtests before they are published.
 */
@org.springframework.modulith.NamedInterface("rule")
package io.pointbridge.tenant.rule;
