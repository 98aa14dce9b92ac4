-- The jobs that announce released points, expire points to breakage and remind members before: their indexes,
-- the reminders they issued, their runs, and the list of tenants they visit.

-- The expiry job walks the lots expired by its cutoff in (expires_at, lot_id) order; so do reminders, ahead of it.
create index lots_expiry_due_ix on lots (tenant_id, expires_at, lot_id) where remaining > 0 and expires_at is not null;

-- One reminder per member and day points expire (UTC): the key makes it once, also with several instances.
-- The reminder job inserts the row and, only if it was new, the outbox event, in one transaction.
create table expiry_reminders (
    tenant_id      uuid        not null,
    membership_id  uuid        not null,
    expires_on     date        not null,
    points         bigint      not null,
    created_at     timestamptz not null,
    constraint expiry_reminders_pk primary key (tenant_id, membership_id, expires_on),
    constraint expiry_reminders_membership_fk foreign key (tenant_id, membership_id)
        references memberships (tenant_id, membership_id),
    constraint expiry_reminders_points_ck check (points > 0)
);

-- Runs of the points jobs per tenant: requested ones from the request on, scheduled ones once they find work.
-- A batch updates its run's progress in its own transaction, so the numbers are those of committed work.
create table points_job_runs (
    tenant_id     uuid        not null,
    run_id        uuid        not null,
    job           text        not null,
    requested_by  text        not null,
    cutoff        timestamptz not null,
    status        text        not null,
    batches       integer     not null default 0,
    wallets       bigint      not null default 0,
    lots          bigint      not null default 0,
    points        bigint      not null default 0,
    events        bigint      not null default 0,
    error         text,
    created_at    timestamptz not null,
    heartbeat_at  timestamptz not null,
    finished_at   timestamptz,
    constraint points_job_runs_pk primary key (tenant_id, run_id),
    constraint points_job_runs_tenant_fk foreign key (tenant_id) references tenants (tenant_id),
    constraint points_job_runs_job_ck check (job in ('pending-release', 'points-expiry', 'expiry-reminders')),
    constraint points_job_runs_status_ck check (status in ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'ABANDONED')),
    constraint points_job_runs_finished_ck check ((finished_at is null) = (status in ('QUEUED', 'RUNNING')))
);
create index points_job_runs_recent_ix on points_job_runs (tenant_id, created_at desc);
create index points_job_runs_open_ix on points_job_runs (tenant_id, job) where status in ('QUEUED', 'RUNNING');

alter table expiry_reminders enable row level security;
alter table points_job_runs enable row level security;
create policy tenant_isolation on expiry_reminders using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());
create policy tenant_isolation on points_job_runs using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());

-- A reminder, once issued, is history: insert and read only.
grant select, insert on expiry_reminders to ${app_role};
grant select, insert, update on points_job_runs to ${app_role};

-- Scheduled jobs visit every tenant in turn through tenant_ids(), defined with the personal data encryption (V1_30).
