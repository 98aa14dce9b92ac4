-- Personal data encrypted at rest, by envelope encryption: each tenant has data-encryption keys (one per
-- version), stored only wrapped by a key-encryption key the database never sees (the application's key
-- provider: its settings, or a KMS). Personal data is AES-256-GCM sealed field by field under the tenant's
-- current version; each row names the version it is sealed under, so old versions stay readable while a
-- re-encryption job moves rows to a new one.

create table data_keys (
    tenant_id    uuid        not null,
    version      smallint    not null,
    wrapped_key  bytea       not null,
    -- Which key-encryption key wraps it, so that a rotated master key can still unwrap, and rewrap, it.
    kek_id       text        not null,
    created_at   timestamptz not null default now(),
    constraint data_keys_pk primary key (tenant_id, version),
    constraint data_keys_tenant_fk foreign key (tenant_id) references tenants (tenant_id),
    constraint data_keys_version_ck check (version > 0)
);

-- Name and birthday of a person, each sealed (given_name, family_name, birthday as ISO date).
create table person_profiles (
    tenant_id    uuid        not null,
    person_id    uuid        not null,
    dek_version  smallint    not null,
    given_name   bytea,
    family_name  bytea,
    birthday     bytea,
    updated_at   timestamptz not null default now(),
    updated_by   text        not null,
    constraint person_profiles_pk primary key (tenant_id, person_id),
    constraint person_profiles_person_fk foreign key (tenant_id, person_id) references persons (tenant_id, person_id),
    constraint person_profiles_key_fk foreign key (tenant_id, dek_version) references data_keys (tenant_id, version)
);
create index person_profiles_key_ix on person_profiles (tenant_id, dek_version);

-- The value of a contact point, sealed; it is found by its blind index as before. Rows stored before this
-- migration have none (their value was never kept).
alter table person_contacts
    add column sealed_value  bytea,
    add column dek_version   smallint,
    add constraint person_contacts_key_fk foreign key (tenant_id, dek_version) references data_keys (tenant_id, version),
    add constraint person_contacts_sealed_ck check ((sealed_value is null) = (dek_version is null));
create index person_contacts_key_ix on person_contacts (tenant_id, dek_version) where dek_version is not null;

alter table data_keys enable row level security;
alter table person_profiles enable row level security;
create policy tenant_isolation on data_keys using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());
create policy tenant_isolation on person_profiles using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());

-- Keys are added (first use, rotation) and rewrapped (master key rotation), never removed by the application.
grant select, insert on data_keys to ${app_role};
grant update (wrapped_key, kek_id) on data_keys to ${app_role};
-- Delete: a merge moves a profile to the survivor; erasure removes it.
grant select, insert, delete on person_profiles to ${app_role};
grant update (dek_version, given_name, family_name, birthday, updated_at, updated_by) on person_profiles to ${app_role};
grant update (sealed_value, dek_version) on person_contacts to ${app_role};

-- Jobs that work tenant by tenant (re-encryption, retention) must learn which tenants exist before they can
-- select one. This owner-run function returns the ids and nothing else; each tenant's rows are then read
-- under its own app.tenant_id, through row-level security as always.
create function tenant_ids() returns setof uuid
    language sql stable security definer set search_path = public
as $$ select tenant_id from tenants order by tenant_id $$;
revoke all on function tenant_ids() from public;
grant execute on function tenant_ids() to ${app_role};
