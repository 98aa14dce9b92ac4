-- Brands a brand manager may act on, granted by the tenant's admins. The manager is the identity
-- provider's user (subject = the `sub` of their tokens), so Keycloak needs no group per brand.

create table brand_grants (
    tenant_id   uuid        not null,
    subject     text        not null,
    brand_id    uuid        not null,
    granted_by  text        not null,
    granted_at  timestamptz not null default now(),
    constraint brand_grants_pk primary key (tenant_id, subject, brand_id),
    constraint brand_grants_brand_fk foreign key (tenant_id, brand_id) references brands (tenant_id, brand_id),
    constraint brand_grants_subject_ck check (subject ~ '^[A-Za-z0-9-]{1,64}$')
);
create index brand_grants_brand_ix on brand_grants (tenant_id, brand_id);

alter table brand_grants enable row level security;
create policy tenant_isolation on brand_grants using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());

-- A revoked grant is deleted (the audit trail keeps who granted and revoked what); grants are never edited.
grant select, insert, delete on brand_grants to ${app_role};
