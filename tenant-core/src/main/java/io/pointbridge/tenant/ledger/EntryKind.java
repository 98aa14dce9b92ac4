package io.pointbridge.tenant.ledger;

/** Why a journal entry was made. */
public enum EntryKind {
    EARN, SPEND, REFUND, ADJUSTMENT, REVERSAL, EXPIRY, TRANSFER,
    /** A wallet's points moved to the wallet of the same program it was merged into (two persons found to be one). */
    MERGE
}
