-- Pending points and clawback into debt: what the ledger needs for the points policies of V1_70.

-- Pending points are spendable from available_at on: the ledger reads availability from the clock, so release
-- needs no journal entry. The release job only announces the points to the member, once per lot: released_at
-- marks a lot announced. Lots that were never pending (available_at = earned_at) are never announced.
alter table lots add column released_at timestamptz;
create index lots_release_due_ix on lots (tenant_id, available_at, lot_id)
    where released_at is null and available_at > earned_at;

-- Debt. What a clawback cannot take from the wallet, and the program allows, is booked as a debt lot: a lot
-- whose original and remaining points are negative, so that a wallet's balance still equals the sum of its
-- lots' remaining points. Credits repay debt lots first, before any of their points become spendable.
alter table lots drop constraint lots_amount_ck;
alter table lots add constraint lots_amount_ck check (
    (original > 0 and remaining between 0 and original)
    or (original < 0 and remaining between original and 0 and expires_at is null));
create index lots_debt_ix on lots (tenant_id, account_id) where remaining < 0;

-- A wallet goes below zero only as far as its program allows, or as far as it already owes. A CHECK cannot read
-- the program's setting or the wallet's debt lots, so this trigger enforces it, and only for rows that end up
-- negative and lower (the WHEN clause and the first test): the usual write pays nothing. A clawback moves the
-- balance before it books the debt lot, so new debt is checked against the debt limit in force. Debt that exists
-- already passes whatever the limit is now: expiring the expired points of a wallet in debt, or a merge moving a
-- debt, never fails because an admin lowered the limit or stopped allowing debt since it was incurred.
alter table accounts drop constraint accounts_wallet_not_negative_ck;
create function check_wallet_debt() returns trigger
    language plpgsql
as $$
declare
    allowed bigint;
    owed    bigint;
begin
    if new.kind <> 'WALLET' or (tg_op = 'UPDATE' and new.balance >= old.balance) then
        return new;
    end if;
    select case when clawback_policy = 'NEGATIVE_ALLOWED' then debt_limit else 0 end into allowed
      from programs where tenant_id = new.tenant_id and program_id = new.program_id;
    select coalesce(-sum(remaining), 0) into owed
      from lots where tenant_id = new.tenant_id and account_id = new.account_id and remaining < 0;
    if new.balance >= -greatest(allowed, owed) then
        return new;
    end if;
    raise exception 'wallet % would hold % points, below what its program allows (%) and what it owes (%)',
            new.account_id, new.balance, -allowed, -owed
        using errcode = '23514', constraint = 'accounts_wallet_debt_limit_ck', table = 'accounts';
end
$$;
create trigger accounts_wallet_debt_limit before insert or update of balance on accounts
    for each row when (new.balance < 0) execute function check_wallet_debt();

-- Refunds report the part of the points they reversed that the member now owes.
alter table refunds
    add column points_owed bigint not null default 0,
    add constraint refunds_owed_ck check (points_owed between 0 and points_reversed);
