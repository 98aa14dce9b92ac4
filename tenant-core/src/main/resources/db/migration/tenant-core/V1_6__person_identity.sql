-- One identity across a group: contact points found through a keyed hash (blind index), consent to
-- link memberships of one person, and merges of persons found to be the same.

-- A person merged into another stays (its memberships' history points at it) but no longer takes
-- part in matching or merging. Chains are flattened on each merge: merged_into names a live person.
alter table persons
    add column merged_into  uuid,
    add column merged_at    timestamptz,
    add constraint persons_merged_into_fk foreign key (tenant_id, merged_into) references persons (tenant_id, person_id),
    add constraint persons_not_merged_into_self_ck check (merged_into <> person_id),
    add constraint persons_merged_at_ck check ((merged_into is null) = (merged_at is null));
create index persons_merged_into_ix on persons (tenant_id, merged_into) where merged_into is not null;

-- A membership whose wallet was merged into another membership of the same program (the survivor
-- person's) stays, so its external id, purchases and history still resolve; new postings addressed
-- to it go to the survivor's wallet.
alter table memberships
    add column merged_into_membership_id  uuid,
    add constraint memberships_merged_into_fk foreign key (tenant_id, merged_into_membership_id)
        references memberships (tenant_id, membership_id),
    add constraint memberships_not_merged_into_self_ck check (merged_into_membership_id <> membership_id);
-- (A person's memberships are found through memberships_person_program_uq, which starts with tenant_id, person_id.)

-- Contact points. Only a keyed hash of the normalised value is stored: HMAC-SHA256 under a key derived
-- per tenant from pointbridge.identity.blind-index-key, so equal values in two tenants never match.
-- The value itself is not kept (nothing reads it yet); issue 4 adds it encrypted with a per-tenant key.
-- key_version names the derivation key, so a rotation can re-index without downtime.
create table person_contacts (
    tenant_id    uuid        not null,
    contact_id   uuid        not null,
    person_id    uuid        not null,
    kind         text        not null,
    blind_index  bytea       not null,
    key_version  smallint    not null default 1,
    -- Set when an integration attests that it verified the contact (e.g. by its own one-time code).
    verified_at  timestamptz,
    source       text        not null,
    created_at   timestamptz not null default now(),
    constraint person_contacts_pk primary key (tenant_id, contact_id),
    constraint person_contacts_person_fk foreign key (tenant_id, person_id) references persons (tenant_id, person_id),
    constraint person_contacts_uq unique (tenant_id, person_id, kind, blind_index),
    constraint person_contacts_kind_ck check (kind in ('EMAIL', 'PHONE')),
    constraint person_contacts_blind_index_ck check (octet_length(blind_index) = 32)
);
create index person_contacts_verified_ix on person_contacts (tenant_id, kind, blind_index) where verified_at is not null;

-- Consents with their history: the latest record per person and purpose is the one in force.
create table person_consents (
    tenant_id    uuid        not null,
    consent_id   uuid        not null,
    person_id    uuid        not null,
    purpose      text        not null,
    granted      boolean     not null,
    source       text        not null,
    recorded_at  timestamptz not null default now(),
    consent_seq  bigint      generated always as identity,
    constraint person_consents_pk primary key (tenant_id, consent_id),
    constraint person_consents_person_fk foreign key (tenant_id, person_id) references persons (tenant_id, person_id),
    constraint person_consents_purpose_ck check (purpose in ('identity-linking'))
);
create index person_consents_person_ix on person_consents (tenant_id, person_id, purpose, consent_seq);

-- Moving a wallet's points to the survivor of a merge is its own kind of entry. The list of kinds is
-- rebuilt from the constraint in place (its kinds written either as 'A', 'B' or as '{A,B}'), so that
-- kinds other migrations added before this one are kept.
do $$
declare
    kinds text[];
begin
    select array_agg(distinct m[1] order by m[1]) into kinds
      from pg_constraint c, regexp_matches(pg_get_constraintdef(c.oid), '(?:''|[{,])([A-Z_]+)(?=''|[,}])', 'g') m
     where c.conrelid = 'journal_entries'::regclass and c.conname = 'journal_entries_kind_ck';
    if kinds is null then
        raise exception 'journal_entries_kind_ck not found';
    end if;
    if not 'MERGE' = any (kinds) then
        kinds := array_append(kinds, 'MERGE');
    end if;
    alter table journal_entries drop constraint journal_entries_kind_ck;
    execute format('alter table journal_entries add constraint journal_entries_kind_ck check (kind = any (%L::text[]))', kinds);
end
$$;

alter table person_contacts enable row level security;
alter table person_consents enable row level security;

create policy tenant_isolation on person_contacts using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());
create policy tenant_isolation on person_consents using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());

-- Least privilege: only the columns a link or merge changes are updatable.
grant update (merged_into, merged_at) on persons to ${app_role};
grant update (person_id, merged_into_membership_id) on memberships to ${app_role};
grant select, insert on person_contacts to ${app_role};
grant update (person_id, verified_at) on person_contacts to ${app_role};
grant select, insert on person_consents to ${app_role};
