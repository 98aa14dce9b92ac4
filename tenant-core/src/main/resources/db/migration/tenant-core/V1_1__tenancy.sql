-- Tenancy: group companies, their brands and the programs the brands run.
--
-- Rules every tenant table follows (TenantSchemaRulesIntegrationTests checks them on the migrated schema):
--   * tenant_id is the first column of the primary key, and of every foreign key to another tenant table;
--   * row-level security is enabled, with a policy on the current transaction's tenant;
--   * the runtime role ${app_role} owns nothing and gets only the privileges it needs.

create function current_tenant() returns uuid
    language sql stable parallel safe
as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;

create table tenants (
    tenant_id            uuid        not null,
    slug                 text        not null,
    name                 text        not null,
    settlement_currency  char(3)     not null,
    created_at           timestamptz not null default now(),
    constraint tenants_pk primary key (tenant_id),
    constraint tenants_slug_uq unique (slug),
    constraint tenants_slug_ck check (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$')
);

create table brands (
    tenant_id   uuid        not null,
    brand_id    uuid        not null,
    code        text        not null,
    name        text        not null,
    created_at  timestamptz not null default now(),
    constraint brands_pk primary key (tenant_id, brand_id),
    constraint brands_code_uq unique (tenant_id, code),
    constraint brands_tenant_fk foreign key (tenant_id) references tenants (tenant_id)
);

create table programs (
    tenant_id            uuid        not null,
    program_id           uuid        not null,
    brand_id             uuid        not null,
    code                 text        not null,
    name                 text        not null,
    points_name          text        not null,
    purchase_currency    char(3)     not null,
    -- Base earning rate: earn_points points per earn_per_minor minor units of purchase_currency.
    earn_points          bigint      not null,
    earn_per_minor       bigint      not null,
    expiry_months        integer,
    created_at           timestamptz not null default now(),
    constraint programs_pk primary key (tenant_id, program_id),
    constraint programs_code_uq unique (tenant_id, code),
    constraint programs_brand_fk foreign key (tenant_id, brand_id) references brands (tenant_id, brand_id),
    constraint programs_earn_ck check (earn_points >= 0 and earn_per_minor > 0),
    constraint programs_expiry_ck check (expiry_months is null or expiry_months between 1 and 120)
);
create index programs_brand_ix on programs (tenant_id, brand_id);

alter table tenants enable row level security;
alter table brands enable row level security;
alter table programs enable row level security;

create policy tenant_isolation on tenants
    using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());
create policy tenant_isolation on brands
    using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());
create policy tenant_isolation on programs
    using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());

grant usage on schema public to ${app_role};
grant execute on function current_tenant() to ${app_role};
grant select, insert, update on tenants, brands, programs to ${app_role};

-- The one look-up that must cross tenants: which tenant a verified token's organization names.
-- It runs as the owner (not subject to RLS) and reveals nothing but the id.
create function tenant_id_by_slug(p_slug text) returns uuid
    language sql stable security definer set search_path = public
as $$ select tenant_id from tenants where slug = p_slug $$;
revoke all on function tenant_id_by_slug(text) from public;
grant execute on function tenant_id_by_slug(text) to ${app_role};
