package io.pointbridge.tenant.ledger;

/** Why a journal entry was made. */
public enum EntryKind {
    EARN, SPEND, REFUND, ADJUSTMENT, REVERSAL, EXPIRY, TRANSFER
}
