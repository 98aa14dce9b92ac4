-- Stored results of idempotent writes, and the API keys integrations call with.

create table idempotency_records (
    tenant_id        uuid        not null,
    idempotency_key  text        not null,
    request_hash     text        not null,
    status           integer,
    location         text,
    response         text,
    created_at       timestamptz not null default now(),
    constraint idempotency_records_pk primary key (tenant_id, idempotency_key),
    -- Deferred: the record of a tenant's own creation is written before the tenant row.
    constraint idempotency_records_tenant_fk foreign key (tenant_id) references tenants (tenant_id)
        deferrable initially deferred
);

create table api_keys (
    tenant_id    uuid        not null,
    api_key_id   uuid        not null,
    brand_id     uuid        not null,
    name         text        not null,
    secret_hash  bytea       not null,
    created_by   text        not null,
    created_at   timestamptz not null default now(),
    revoked_at   timestamptz,
    constraint api_keys_pk primary key (tenant_id, api_key_id),
    constraint api_keys_brand_fk foreign key (tenant_id, brand_id) references brands (tenant_id, brand_id)
);
create index api_keys_id_ix on api_keys (api_key_id);

alter table idempotency_records enable row level security;
alter table api_keys enable row level security;
create policy tenant_isolation on idempotency_records using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());
create policy tenant_isolation on api_keys using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());

grant select, insert, update on idempotency_records, api_keys to ${app_role};

-- Authenticating a key happens before the tenant is known: this owner-run function returns the
-- one active key with that id (the caller compares the secret hash in constant time).
create function active_api_key(p_api_key_id uuid)
    returns table (tenant_id uuid, brand_id uuid, secret_hash bytea)
    language sql stable security definer set search_path = public
as $$ select tenant_id, brand_id, secret_hash from api_keys where api_key_id = p_api_key_id and revoked_at is null $$;
revoke all on function active_api_key(uuid) from public;
grant execute on function active_api_key(uuid) to ${app_role};
