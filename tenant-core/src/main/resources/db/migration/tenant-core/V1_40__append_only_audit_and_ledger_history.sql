-- The audit trail and the ledger's history become append-only for every role, TRUNCATE included.
--
-- The runtime role was never granted UPDATE, DELETE or TRUNCATE on these tables; the triggers stop the
-- schema owner (and a superuser) too. Row triggers would not see TRUNCATE, so these are per statement.

create trigger audit_records_append_only before update or delete or truncate on audit_records
    for each statement execute function refuse_history_change();

drop trigger journal_entries_append_only on journal_entries;
create trigger journal_entries_append_only before update or delete or truncate on journal_entries
    for each statement execute function refuse_history_change();
drop trigger postings_append_only on postings;
create trigger postings_append_only before update or delete or truncate on postings
    for each statement execute function refuse_history_change();
drop trigger lot_movements_append_only on lot_movements;
create trigger lot_movements_append_only before update or delete or truncate on lot_movements
    for each statement execute function refuse_history_change();
