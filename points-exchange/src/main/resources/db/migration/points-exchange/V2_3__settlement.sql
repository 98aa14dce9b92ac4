-- Inter-brand settlement: the value of each program's point in the group's settlement currency, and per
-- transfer the value that crossed from one brand to another, owed by the source brand (payer) to the
-- target brand (payee). A reversal adds the negated record, so history is never changed and every
-- record is one brand's receivable and the other's payable: across the group they net to zero.

create table program_values (
    tenant_id     uuid            not null,
    value_id      uuid            not null,
    program_id    uuid            not null,
    -- Value of one point in major units of the currency (e.g. 0.0125 EUR), exact.
    point_value   numeric(22, 10) not null,
    currency      char(3)         not null,
    set_by        text            not null,
    set_at        timestamptz     not null,
    value_seq     bigint          generated always as identity,
    constraint program_values_pk primary key (tenant_id, value_id),
    constraint program_values_program_fk foreign key (tenant_id, program_id) references programs (tenant_id, program_id),
    constraint program_values_value_ck check (point_value >= 0)
);
create index program_values_program_ix on program_values (tenant_id, program_id, value_seq desc);

create table settlement_records (
    tenant_id          uuid            not null,
    record_id          uuid            not null,
    transfer_id        uuid            not null,
    kind               text            not null,
    payer_brand_id     uuid            not null,
    payee_brand_id     uuid            not null,
    source_program_id  uuid            not null,
    -- Source points that crossed (S - F), negative on a reversal, and their value in minor units:
    -- floor(points * point_value * 10^fraction digits), negated as a whole on a reversal.
    points             bigint          not null,
    point_value        numeric(22, 10) not null,
    currency           char(3)         not null,
    amount_minor       bigint          not null,
    recorded_at        timestamptz     not null,
    record_seq         bigint          generated always as identity,
    constraint settlement_records_pk primary key (tenant_id, record_id),
    constraint settlement_records_transfer_uq unique (tenant_id, transfer_id, kind),
    constraint settlement_records_transfer_fk foreign key (tenant_id, transfer_id)
        references exchange_transfers (tenant_id, transfer_id),
    constraint settlement_records_payer_fk foreign key (tenant_id, payer_brand_id) references brands (tenant_id, brand_id),
    constraint settlement_records_payee_fk foreign key (tenant_id, payee_brand_id) references brands (tenant_id, brand_id),
    constraint settlement_records_program_fk foreign key (tenant_id, source_program_id)
        references programs (tenant_id, program_id),
    constraint settlement_records_kind_ck check (kind in ('TRANSFER', 'REVERSAL')),
    constraint settlement_records_sign_ck check ((kind = 'TRANSFER' and points > 0 and amount_minor >= 0)
        or (kind = 'REVERSAL' and points < 0 and amount_minor <= 0))
);
create index settlement_records_period_ix on settlement_records (tenant_id, recorded_at);

-- Append-only like the journal (refuse_history_change() comes with the ledger's migration).
create trigger settlement_records_append_only before update or delete on settlement_records
    for each statement execute function refuse_history_change();

alter table program_values enable row level security;
alter table settlement_records enable row level security;
create policy tenant_isolation on program_values using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());
create policy tenant_isolation on settlement_records using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());

grant select, insert on program_values, settlement_records to ${app_role};
