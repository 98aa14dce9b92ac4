-- The transactional outbox: a domain event is inserted in the same transaction as the change it reports,
-- and a relay (a later issue) delivers the rows not yet published, in event_seq order, at least once.

create table outbox_events (
    tenant_id     uuid        not null,
    event_id      uuid        not null,
    type          text        not null,
    payload       jsonb       not null,
    created_at    timestamptz not null default now(),
    published_at  timestamptz,
    event_seq     bigint      generated always as identity,
    constraint outbox_events_pk primary key (tenant_id, event_id),
    constraint outbox_events_tenant_fk foreign key (tenant_id) references tenants (tenant_id)
);
create index outbox_events_unpublished_ix on outbox_events (event_seq) where published_at is null;

alter table outbox_events enable row level security;
create policy tenant_isolation on outbox_events using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());

grant select, insert on outbox_events to ${app_role};
grant update (published_at) on outbox_events to ${app_role};
