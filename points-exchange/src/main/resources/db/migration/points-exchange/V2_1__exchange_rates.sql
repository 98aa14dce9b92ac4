-- Exchange rates per ordered pair of programs, versioned: a change inserts the next version and closes the
-- previous one's effective period, so a quote keeps referring to the exact terms it was given, and the
-- versions themselves are the audit trail of rate changes (who, when, before, after).
--
-- Tenant rules as in tenant-core: tenant_id first in every key, row-level security, grants to ${app_role}.

create table exchange_rates (
    tenant_id              uuid          not null,
    rate_id                uuid          not null,
    source_program_id      uuid          not null,
    target_program_id      uuid          not null,
    version                integer       not null,
    -- An exact rational: source_units points of the source program convert to target_units of the target.
    source_units           bigint        not null,
    target_units           bigint        not null,
    -- [effective_from, effective_to); an empty period marks a version superseded before it took effect.
    effective_from         timestamptz   not null,
    effective_to           timestamptz,
    enabled                boolean       not null,
    -- Amounts, fees and caps are in source points: a conversion takes a multiple of step_points, at least
    -- minimum_points; the fee is ceil(S * fee_percent / 100) + fee_fixed.
    minimum_points         bigint        not null,
    step_points            bigint        not null,
    fee_percent            numeric(7, 4) not null,
    fee_fixed              bigint        not null,
    cap_member_day         bigint,
    cap_member_month       bigint,
    cap_pair_day           bigint,
    -- Restrictions on the points a conversion credits.
    converted_convertible  boolean       not null,
    converted_expiry_days  integer,
    created_by             text          not null,
    created_at             timestamptz   not null,
    rate_seq               bigint        generated always as identity,
    constraint exchange_rates_pk primary key (tenant_id, rate_id),
    constraint exchange_rates_version_uq unique (tenant_id, source_program_id, target_program_id, version),
    constraint exchange_rates_source_fk foreign key (tenant_id, source_program_id) references programs (tenant_id, program_id),
    constraint exchange_rates_target_fk foreign key (tenant_id, target_program_id) references programs (tenant_id, program_id),
    constraint exchange_rates_pair_ck check (source_program_id <> target_program_id),
    constraint exchange_rates_units_ck check (source_units > 0 and target_units > 0),
    constraint exchange_rates_period_ck check (effective_to is null or effective_to >= effective_from),
    constraint exchange_rates_amounts_ck check (minimum_points > 0 and step_points > 0 and minimum_points % step_points = 0),
    constraint exchange_rates_fee_ck check (fee_percent >= 0 and fee_percent < 100 and fee_fixed >= 0),
    constraint exchange_rates_caps_ck check ((cap_member_day is null or cap_member_day > 0)
        and (cap_member_month is null or cap_member_month > 0) and (cap_pair_day is null or cap_pair_day > 0)),
    constraint exchange_rates_expiry_ck check (converted_expiry_days is null or converted_expiry_days > 0)
);
create index exchange_rates_pair_ix on exchange_rates (tenant_id, source_program_id, target_program_id, version desc);
create index exchange_rates_seq_ix on exchange_rates (tenant_id, rate_seq);

alter table exchange_rates enable row level security;
create policy tenant_isolation on exchange_rates using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());

grant select, insert on exchange_rates to ${app_role};
grant update (effective_to) on exchange_rates to ${app_role};
