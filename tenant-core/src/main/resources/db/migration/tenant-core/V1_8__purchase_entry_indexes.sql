-- A reversal asks whether a purchase or refund made the entry it reverses: find them by entry.
create index purchases_entry_ix on purchases (tenant_id, entry_id);
create index refunds_entry_ix on refunds (tenant_id, entry_id);
