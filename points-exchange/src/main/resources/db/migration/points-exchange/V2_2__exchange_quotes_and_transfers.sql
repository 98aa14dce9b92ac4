-- Quotes lock a rate version for a short time; a transfer executes a quote at most once, as one journal
-- entry across both programs; usage counters enforce the caps of a rate under concurrency.

create table exchange_quotes (
    tenant_id             uuid        not null,
    quote_id              uuid        not null,
    rate_id               uuid        not null,
    person_id             uuid        not null,
    source_membership_id  uuid        not null,
    target_membership_id  uuid        not null,
    source_program_id     uuid        not null,
    target_program_id     uuid        not null,
    source_brand_id       uuid        not null,
    target_brand_id       uuid        not null,
    source_points         bigint      not null,
    fee_points            bigint      not null,
    target_points         bigint      not null,
    created_by            text        not null,
    created_at            timestamptz not null,
    expires_at            timestamptz not null,
    constraint exchange_quotes_pk primary key (tenant_id, quote_id),
    constraint exchange_quotes_rate_fk foreign key (tenant_id, rate_id) references exchange_rates (tenant_id, rate_id),
    constraint exchange_quotes_person_fk foreign key (tenant_id, person_id) references persons (tenant_id, person_id),
    constraint exchange_quotes_source_fk foreign key (tenant_id, source_membership_id)
        references memberships (tenant_id, membership_id),
    constraint exchange_quotes_target_fk foreign key (tenant_id, target_membership_id)
        references memberships (tenant_id, membership_id),
    constraint exchange_quotes_source_brand_fk foreign key (tenant_id, source_brand_id) references brands (tenant_id, brand_id),
    constraint exchange_quotes_target_brand_fk foreign key (tenant_id, target_brand_id) references brands (tenant_id, brand_id),
    constraint exchange_quotes_programs_ck check (source_program_id <> target_program_id),
    constraint exchange_quotes_points_ck check (source_points > 0 and fee_points >= 0 and fee_points < source_points
        and target_points > 0),
    constraint exchange_quotes_expiry_ck check (expires_at > created_at)
);

create table exchange_transfers (
    tenant_id             uuid        not null,
    transfer_id           uuid        not null,
    quote_id              uuid        not null,
    rate_id               uuid        not null,
    person_id             uuid        not null,
    source_membership_id  uuid        not null,
    target_membership_id  uuid        not null,
    source_program_id     uuid        not null,
    target_program_id     uuid        not null,
    source_brand_id       uuid        not null,
    target_brand_id       uuid        not null,
    source_points         bigint      not null,
    fee_points            bigint      not null,
    target_points         bigint      not null,
    entry_id              uuid        not null,
    executed_by           text        not null,
    executed_at           timestamptz not null,
    reversible_until      timestamptz not null,
    -- Which cap counters this transfer was counted in (a reversal gives back exactly those).
    counted_member_day    boolean     not null,
    counted_member_month  boolean     not null,
    counted_pair_day      boolean     not null,
    reversal_entry_id     uuid,
    reversed_by           text,
    reversed_at           timestamptz,
    reversal_reason       text,
    transfer_seq          bigint      generated always as identity,
    constraint exchange_transfers_pk primary key (tenant_id, transfer_id),
    -- A quote executes at most once, also when two requests race.
    constraint exchange_transfers_quote_uq unique (tenant_id, quote_id),
    constraint exchange_transfers_entry_uq unique (tenant_id, entry_id),
    constraint exchange_transfers_quote_fk foreign key (tenant_id, quote_id) references exchange_quotes (tenant_id, quote_id),
    constraint exchange_transfers_rate_fk foreign key (tenant_id, rate_id) references exchange_rates (tenant_id, rate_id),
    constraint exchange_transfers_source_fk foreign key (tenant_id, source_membership_id)
        references memberships (tenant_id, membership_id),
    constraint exchange_transfers_target_fk foreign key (tenant_id, target_membership_id)
        references memberships (tenant_id, membership_id),
    constraint exchange_transfers_entry_fk foreign key (tenant_id, entry_id) references journal_entries (tenant_id, entry_id),
    constraint exchange_transfers_reversal_fk foreign key (tenant_id, reversal_entry_id)
        references journal_entries (tenant_id, entry_id),
    constraint exchange_transfers_reversal_ck check ((reversal_entry_id is null) = (reversed_at is null)
        and (reversal_entry_id is null) = (reversed_by is null))
);
create index exchange_transfers_source_ix on exchange_transfers (tenant_id, source_membership_id, transfer_seq);
create index exchange_transfers_target_ix on exchange_transfers (tenant_id, target_membership_id, transfer_seq);

-- Source points converted per cap scope and period (UTC day or month). subject_id is the source
-- membership for the member scopes, and the nil uuid for the pair scope. A transfer adds to a counter
-- only while the result stays within the cap (one conditional upsert), so parallel transfers never
-- overshoot it; a reversal subtracts what its transfer added.
create table exchange_usage (
    tenant_id          uuid   not null,
    source_program_id  uuid   not null,
    target_program_id  uuid   not null,
    scope              text   not null,
    subject_id         uuid   not null,
    period_start       date   not null,
    used               bigint not null,
    constraint exchange_usage_pk primary key (tenant_id, source_program_id, target_program_id, scope, subject_id, period_start),
    constraint exchange_usage_source_fk foreign key (tenant_id, source_program_id) references programs (tenant_id, program_id),
    constraint exchange_usage_target_fk foreign key (tenant_id, target_program_id) references programs (tenant_id, program_id),
    constraint exchange_usage_scope_ck check (scope in ('MEMBER_DAY', 'MEMBER_MONTH', 'PAIR_DAY')),
    constraint exchange_usage_used_ck check (used >= 0)
);

alter table exchange_quotes enable row level security;
alter table exchange_transfers enable row level security;
alter table exchange_usage enable row level security;
create policy tenant_isolation on exchange_quotes using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());
create policy tenant_isolation on exchange_transfers using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());
create policy tenant_isolation on exchange_usage using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());

grant select, insert on exchange_quotes, exchange_transfers to ${app_role};
grant update (reversal_entry_id, reversed_by, reversed_at, reversal_reason) on exchange_transfers to ${app_role};
grant select, insert, update on exchange_usage to ${app_role};
