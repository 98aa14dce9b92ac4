-- Which person a member's sign-in is: the identity provider's user (subject = the `sub` of their tokens) mapped
-- to one person of the tenant. A row is made on the member's first self-service call when the token's verified
-- email leads to exactly one person (how = 'verified-email'), or by a tenant admin (how = 'admin'). An admin's
-- unlinking keeps the row without a person (unlinked_at set), so that the sign-in is not linked again by its
-- email until an admin links it.

create table member_logins (
    tenant_id    uuid        not null,
    subject      text        not null,
    person_id    uuid,
    how          text        not null,
    linked_by    text        not null,
    linked_at    timestamptz not null default now(),
    unlinked_by  text,
    unlinked_at  timestamptz,
    constraint member_logins_pk primary key (tenant_id, subject),
    constraint member_logins_person_uq unique (tenant_id, person_id),
    constraint member_logins_person_fk foreign key (tenant_id, person_id) references persons (tenant_id, person_id),
    constraint member_logins_subject_ck check (subject ~ '^[A-Za-z0-9-]{1,64}$'),
    constraint member_logins_how_ck check (how in ('verified-email', 'admin')),
    constraint member_logins_unlinked_ck check ((person_id is null) = (unlinked_at is not null)
                                                and (unlinked_at is null) = (unlinked_by is null))
);

alter table member_logins enable row level security;
create policy tenant_isolation on member_logins using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());

-- Linking, unlinking and relinking change a row; an erasure deletes the rows of the erased persons.
grant select, insert, delete on member_logins to ${app_role};
grant update (person_id, how, linked_by, linked_at, unlinked_by, unlinked_at) on member_logins to ${app_role};
