-- Events integrations report for a member beside purchases (a review, a survey answered, custom ones).
create table member_events (
    tenant_id      uuid        not null,
    event_id       uuid        not null,
    membership_id  uuid        not null,
    program_id     uuid        not null,
    type           text        not null,
    reference      text,
    occurred_at    timestamptz not null,
    attributes     jsonb       not null,
    points_earned  bigint      not null,
    entry_id       uuid,
    recorded_at    timestamptz not null,
    recorded_by    text        not null,
    constraint member_events_pk primary key (tenant_id, event_id),
    constraint member_events_reference_uq unique (tenant_id, program_id, type, reference),
    constraint member_events_membership_fk foreign key (tenant_id, membership_id)
        references memberships (tenant_id, membership_id),
    constraint member_events_program_fk foreign key (tenant_id, program_id)
        references programs (tenant_id, program_id),
    constraint member_events_entry_fk foreign key (tenant_id, entry_id)
        references journal_entries (tenant_id, entry_id),
    constraint member_events_points_ck check (points_earned >= 0)
);
create index member_events_program_time_ix on member_events (tenant_id, program_id, occurred_at);
create index member_events_membership_ix on member_events (tenant_id, membership_id);

alter table member_events enable row level security;
create policy tenant_isolation on member_events
    using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());

-- Events are history: appended and read, never changed.
grant select, insert on member_events to ${app_role};
