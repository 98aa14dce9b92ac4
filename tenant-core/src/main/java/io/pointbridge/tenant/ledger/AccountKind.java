package io.pointbridge.tenant.ledger;

/** The accounts of a program: members' wallets and the system accounts points come from and go to. */
public enum AccountKind {
    /** A member's points. The only kind whose balance is stored; it never goes below zero. */
    WALLET,
    /** Where earned points come from. */
    ISSUANCE,
    /** Where spent points go. */
    REDEMPTION,
    /** The other side of manual adjustments by tenant admins. */
    ADJUSTMENT,
    /** Where expired points go. */
    BREAKAGE,
    /** The other side of points converted to or from another program. */
    EXCHANGE_CLEARING,
    /** Where the fee of a conversion goes, in the points of the program converted from. */
    EXCHANGE_FEE
}
