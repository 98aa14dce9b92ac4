/**
 * The points ledger: double-entry journal, wallets and system accounts, lots that expire, and the
 * invariants that keep every point accounted for.
 */
@org.springframework.modulith.NamedInterface("ledger")
package io.pointbridge.tenant.ledger;
