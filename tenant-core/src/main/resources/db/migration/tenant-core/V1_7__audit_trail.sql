-- The audit trail: who changed what in a tenant, the state before and after, and the request.
-- Issue 4 routes every admin change here; merges of persons are the first.

-- Append-only for the runtime role: it may insert and read records, never change or delete them.
create table audit_records (
    tenant_id   uuid        not null,
    audit_id    uuid        not null,
    actor       text        not null,
    action      text        not null,
    subject     text        not null,
    before      jsonb,
    after       jsonb,
    at          timestamptz not null default now(),
    request_id  text,
    constraint audit_records_pk primary key (tenant_id, audit_id),
    constraint audit_records_tenant_fk foreign key (tenant_id) references tenants (tenant_id)
);
create index audit_records_subject_ix on audit_records (tenant_id, subject, at);
create index audit_records_at_ix on audit_records (tenant_id, at);

alter table audit_records enable row level security;
create policy tenant_isolation on audit_records using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());

grant select, insert on audit_records to ${app_role};
