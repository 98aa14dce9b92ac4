-- Persons (one identity across a group), their memberships in brand programs, and the points ledger.

create table persons (
    tenant_id   uuid        not null,
    person_id   uuid        not null,
    created_at  timestamptz not null default now(),
    constraint persons_pk primary key (tenant_id, person_id),
    constraint persons_tenant_fk foreign key (tenant_id) references tenants (tenant_id)
);

create table memberships (
    tenant_id      uuid        not null,
    membership_id  uuid        not null,
    person_id      uuid        not null,
    program_id     uuid        not null,
    external_id    text        not null,
    enrolled_at    timestamptz not null default now(),
    constraint memberships_pk primary key (tenant_id, membership_id),
    constraint memberships_external_uq unique (tenant_id, program_id, external_id),
    constraint memberships_person_program_uq unique (tenant_id, person_id, program_id),
    constraint memberships_person_fk foreign key (tenant_id, person_id) references persons (tenant_id, person_id),
    constraint memberships_program_fk foreign key (tenant_id, program_id) references programs (tenant_id, program_id)
);

-- Accounts: one wallet per membership, and per program the system accounts the double entry needs.
-- Only wallets keep a balance row, updated in the same transaction as their postings; system accounts
-- take a posting in nearly every transaction, so their balances are derived from postings instead of
-- serialising the whole program on one row lock.
create table accounts (
    tenant_id      uuid        not null,
    account_id     uuid        not null,
    program_id     uuid        not null,
    kind           text        not null,
    membership_id  uuid,
    balance        bigint      not null default 0,
    created_at     timestamptz not null default now(),
    constraint accounts_pk primary key (tenant_id, account_id),
    constraint accounts_program_uq unique (tenant_id, account_id, program_id),
    constraint accounts_program_fk foreign key (tenant_id, program_id) references programs (tenant_id, program_id),
    constraint accounts_membership_fk foreign key (tenant_id, membership_id) references memberships (tenant_id, membership_id),
    constraint accounts_kind_ck check (kind in ('WALLET', 'ISSUANCE', 'REDEMPTION', 'ADJUSTMENT', 'BREAKAGE', 'EXCHANGE_CLEARING')),
    constraint accounts_wallet_owner_ck check ((kind = 'WALLET') = (membership_id is not null)),
    constraint accounts_wallet_not_negative_ck check (kind <> 'WALLET' or balance >= 0),
    constraint accounts_system_balance_ck check (kind = 'WALLET' or balance = 0)
);
create unique index accounts_wallet_uq on accounts (tenant_id, membership_id) where kind = 'WALLET';
create unique index accounts_system_uq on accounts (tenant_id, program_id, kind) where kind <> 'WALLET';

create table journal_entries (
    tenant_id          uuid        not null,
    entry_id           uuid        not null,
    kind               text        not null,
    reference          text,
    memo               text,
    actor              text        not null,
    reverses_entry_id  uuid,
    created_at         timestamptz not null default now(),
    constraint journal_entries_pk primary key (tenant_id, entry_id),
    constraint journal_entries_tenant_fk foreign key (tenant_id) references tenants (tenant_id),
    constraint journal_entries_reverses_fk foreign key (tenant_id, reverses_entry_id)
        references journal_entries (tenant_id, entry_id),
    constraint journal_entries_reversed_once_uq unique (tenant_id, reverses_entry_id),
    constraint journal_entries_kind_ck check (kind in ('EARN', 'SPEND', 'REFUND', 'ADJUSTMENT', 'REVERSAL', 'EXPIRY', 'TRANSFER'))
);

create table postings (
    tenant_id    uuid     not null,
    entry_id     uuid     not null,
    line_no      smallint not null,
    account_id   uuid     not null,
    program_id   uuid     not null,
    amount       bigint   not null,
    posting_seq  bigint   generated always as identity,
    constraint postings_pk primary key (tenant_id, entry_id, line_no),
    constraint postings_entry_fk foreign key (tenant_id, entry_id) references journal_entries (tenant_id, entry_id),
    constraint postings_account_fk foreign key (tenant_id, account_id, program_id)
        references accounts (tenant_id, account_id, program_id),
    constraint postings_amount_ck check (amount <> 0)
);
create index postings_account_ix on postings (tenant_id, account_id, posting_seq);

-- Lots: every credit of a wallet is a lot; debits consume lots first-to-expire first.
create table lots (
    tenant_id     uuid        not null,
    lot_id        uuid        not null,
    account_id    uuid        not null,
    entry_id      uuid        not null,
    earned_at     timestamptz not null,
    available_at  timestamptz not null,
    expires_at    timestamptz,
    original      bigint      not null,
    remaining     bigint      not null,
    constraint lots_pk primary key (tenant_id, lot_id),
    constraint lots_account_fk foreign key (tenant_id, account_id) references accounts (tenant_id, account_id),
    constraint lots_entry_fk foreign key (tenant_id, entry_id) references journal_entries (tenant_id, entry_id),
    constraint lots_amount_ck check (original > 0 and remaining >= 0 and remaining <= original)
);
create index lots_open_ix on lots (tenant_id, account_id, expires_at) where remaining > 0;
create index lots_entry_ix on lots (tenant_id, entry_id);

-- Which lots each entry took points from (negative) or gave points back to (positive).
create table lot_movements (
    tenant_id  uuid   not null,
    entry_id   uuid   not null,
    lot_id     uuid   not null,
    amount     bigint not null,
    constraint lot_movements_pk primary key (tenant_id, entry_id, lot_id),
    constraint lot_movements_entry_fk foreign key (tenant_id, entry_id) references journal_entries (tenant_id, entry_id),
    constraint lot_movements_lot_fk foreign key (tenant_id, lot_id) references lots (tenant_id, lot_id),
    constraint lot_movements_amount_ck check (amount <> 0)
);
create index lot_movements_lot_ix on lot_movements (tenant_id, lot_id);

-- Purchases that earned points, so that refunds reverse the earn in proportion.
create table purchases (
    tenant_id        uuid        not null,
    purchase_id      uuid        not null,
    membership_id    uuid        not null,
    program_id       uuid        not null,
    order_id         text        not null,
    currency         char(3)     not null,
    amount_minor     bigint      not null,
    points_earned    bigint      not null,
    refunded_minor   bigint      not null default 0,
    points_reversed  bigint      not null default 0,
    entry_id         uuid,
    lines            jsonb,
    purchased_at     timestamptz not null default now(),
    constraint purchases_pk primary key (tenant_id, purchase_id),
    constraint purchases_order_uq unique (tenant_id, program_id, order_id),
    constraint purchases_membership_fk foreign key (tenant_id, membership_id) references memberships (tenant_id, membership_id),
    constraint purchases_entry_fk foreign key (tenant_id, entry_id) references journal_entries (tenant_id, entry_id),
    constraint purchases_amounts_ck check (amount_minor > 0 and points_earned >= 0
        and refunded_minor between 0 and amount_minor and points_reversed between 0 and points_earned)
);
create index purchases_membership_ix on purchases (tenant_id, membership_id);

create table refunds (
    tenant_id        uuid        not null,
    refund_id        uuid        not null,
    purchase_id      uuid        not null,
    amount_minor     bigint      not null,
    points_reversed  bigint      not null,
    points_short     bigint      not null,
    entry_id         uuid,
    refunded_at      timestamptz not null default now(),
    constraint refunds_pk primary key (tenant_id, refund_id),
    constraint refunds_purchase_fk foreign key (tenant_id, purchase_id) references purchases (tenant_id, purchase_id),
    constraint refunds_entry_fk foreign key (tenant_id, entry_id) references journal_entries (tenant_id, entry_id),
    constraint refunds_amounts_ck check (amount_minor > 0 and points_reversed >= 0 and points_short >= 0)
);

-- Every entry balances per program: checked once per entry when its transaction commits.
create function check_entry_balances() returns trigger
    language plpgsql
as $$
declare
    unbalanced uuid;
    lines integer;
begin
    select count(*) into lines from postings where tenant_id = new.tenant_id and entry_id = new.entry_id;
    if lines < 2 then
        raise exception 'journal entry % has % postings; an entry needs at least two', new.entry_id, lines
            using errcode = '23514';
    end if;
    select program_id into unbalanced
      from postings
     where tenant_id = new.tenant_id and entry_id = new.entry_id
     group by program_id
    having sum(amount) <> 0
     limit 1;
    if unbalanced is not null then
        raise exception 'journal entry % does not balance in program %', new.entry_id, unbalanced
            using errcode = '23514';
    end if;
    return null;
end
$$;
create constraint trigger journal_entries_balanced
    after insert on journal_entries
    deferrable initially deferred
    for each row execute function check_entry_balances();

-- History is append-only: a mistake is corrected by a reversing entry, never by changing the past.
create function refuse_history_change() returns trigger
    language plpgsql
as $$
begin
    raise exception '% is append-only: % refused', tg_table_name, tg_op using errcode = '42501';
end
$$;
create trigger journal_entries_append_only before update or delete on journal_entries
    for each statement execute function refuse_history_change();
create trigger postings_append_only before update or delete on postings
    for each statement execute function refuse_history_change();
create trigger lot_movements_append_only before update or delete on lot_movements
    for each statement execute function refuse_history_change();

alter table persons enable row level security;
alter table memberships enable row level security;
alter table accounts enable row level security;
alter table journal_entries enable row level security;
alter table postings enable row level security;
alter table lots enable row level security;
alter table lot_movements enable row level security;
alter table purchases enable row level security;
alter table refunds enable row level security;

create policy tenant_isolation on persons using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());
create policy tenant_isolation on memberships using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());
create policy tenant_isolation on accounts using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());
create policy tenant_isolation on journal_entries using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());
create policy tenant_isolation on postings using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());
create policy tenant_isolation on lots using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());
create policy tenant_isolation on lot_movements using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());
create policy tenant_isolation on purchases using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());
create policy tenant_isolation on refunds using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());

grant select, insert on persons, memberships, journal_entries, postings, lot_movements, refunds to ${app_role};
grant select, insert, update on accounts, lots, purchases to ${app_role};
