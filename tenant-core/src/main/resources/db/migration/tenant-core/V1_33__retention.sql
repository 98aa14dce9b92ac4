-- Each tenant's retention of personal data: a person inactive for longer is erased (pseudonymised) by the
-- retention job. No row, or no period, keeps personal data until a person asks for erasure.
create table privacy_settings (
    tenant_id                    uuid        not null,
    erase_after_inactive_months  integer,
    updated_at                   timestamptz not null default now(),
    updated_by                   text        not null,
    constraint privacy_settings_pk primary key (tenant_id),
    constraint privacy_settings_tenant_fk foreign key (tenant_id) references tenants (tenant_id),
    constraint privacy_settings_months_ck check (erase_after_inactive_months between 1 and 240)
);

alter table privacy_settings enable row level security;
create policy tenant_isolation on privacy_settings using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());

grant select, insert on privacy_settings to ${app_role};
grant update (erase_after_inactive_months, updated_at, updated_by) on privacy_settings to ${app_role};
