-- Earning rules: what members earn beyond a program's base rate, configured per program without code.
--
-- A rule (earning_rules) is a campaign; each change of it is a new version (earning_rule_versions), kept
-- forever. A version is drafted, then published with the rest of the program's drafts, and stays in force
-- until a newer version of the same rule is published (superseded_at); an event is evaluated against the
-- versions in force at the time it occurred. Only a version's status and publication times ever change.

-- Where a purchase was made, for conditions and backtests; backtests read purchases by program and time.
alter table purchases
    add column channel  text,
    add column store    text;
create index purchases_program_time_ix on purchases (tenant_id, program_id, purchased_at);

create table earning_rules (
    tenant_id     uuid        not null,
    rule_id       uuid        not null,
    program_id    uuid        not null,
    created_at    timestamptz not null,
    created_by    text        not null,
    -- Points the rule's awards have taken from its campaign budget, across all its versions. Raised only by
    -- a conditional update that keeps it within the budget of the version in force.
    budget_spent  bigint      not null default 0,
    constraint earning_rules_pk primary key (tenant_id, rule_id),
    constraint earning_rules_program_uq unique (tenant_id, rule_id, program_id),
    constraint earning_rules_program_fk foreign key (tenant_id, program_id)
        references programs (tenant_id, program_id),
    constraint earning_rules_budget_spent_ck check (budget_spent >= 0)
);
create index earning_rules_program_ix on earning_rules (tenant_id, program_id);

create table earning_rule_versions (
    tenant_id         uuid          not null,
    rule_id           uuid          not null,
    version           integer       not null,
    program_id        uuid          not null,
    status            text          not null,
    -- A published retirement ends the rule: from then on no version of it is in force.
    retires           boolean       not null default false,
    name              text          not null,
    description       text,
    event_type        text          not null,
    condition         text,
    action_kind       text          not null,
    action_points     bigint,
    action_per_minor  bigint,
    action_factor     numeric(9, 2),
    action_percent    numeric(9, 2),
    line_filter       text,
    priority          integer       not null,
    exclusive         boolean       not null,
    exclusion_group   text,
    cap_period        text,
    cap_points        bigint,
    cap_times         integer,
    budget_points     bigint,
    valid_from        timestamptz,
    valid_to          timestamptz,
    drafted_at        timestamptz   not null,
    drafted_by        text          not null,
    published_at      timestamptz,
    published_by      text,
    superseded_at     timestamptz,
    constraint earning_rule_versions_pk primary key (tenant_id, rule_id, version),
    constraint earning_rule_versions_rule_fk foreign key (tenant_id, rule_id, program_id)
        references earning_rules (tenant_id, rule_id, program_id),
    constraint earning_rule_versions_version_ck check (version >= 1),
    constraint earning_rule_versions_status_ck check (status in ('DRAFT', 'PUBLISHED', 'WITHDRAWN')),
    constraint earning_rule_versions_published_ck check ((status = 'PUBLISHED') = (published_at is not null)
        and (published_at is null) = (published_by is null)
        and (superseded_at is null or superseded_at >= published_at)),
    constraint earning_rule_versions_action_ck check (case action_kind
        when 'PER_AMOUNT' then action_points > 0 and action_per_minor > 0
        when 'FIXED' then action_points > 0
        when 'MULTIPLIER' then action_factor > 1
        when 'BONUS' then action_percent > 0
        else false end),
    constraint earning_rule_versions_priority_ck check (priority between 1 and 1000),
    constraint earning_rule_versions_cap_ck check (case when cap_period is null
        then cap_points is null and cap_times is null
        else cap_period in ('DAY', 'WEEK', 'MONTH', 'LIFETIME') and (cap_points > 0 or cap_times > 0)
             and coalesce(cap_points, 1) > 0 and coalesce(cap_times, 1) > 0 end),
    constraint earning_rule_versions_budget_ck check (budget_points is null or budget_points > 0),
    constraint earning_rule_versions_validity_ck
        check (valid_to is null or valid_from is null or valid_to > valid_from)
);
-- A rule has at most one pending draft, and at most one version in force.
create unique index earning_rule_versions_draft_uq on earning_rule_versions (tenant_id, rule_id)
    where status = 'DRAFT';
create unique index earning_rule_versions_in_force_uq on earning_rule_versions (tenant_id, rule_id)
    where status = 'PUBLISHED' and superseded_at is null;
create index earning_rule_versions_program_ix on earning_rule_versions (tenant_id, program_id, status);

-- What each member used of a capped rule in each period (a period is named by its first local day;
-- lifetime caps use 0001-01-01). Written under the member's earning lock.
create table earning_rule_usage (
    tenant_id      uuid    not null,
    rule_id        uuid    not null,
    membership_id  uuid    not null,
    period_start   date    not null,
    points         bigint  not null,
    times          integer not null,
    constraint earning_rule_usage_pk primary key (tenant_id, rule_id, membership_id, period_start),
    constraint earning_rule_usage_rule_fk foreign key (tenant_id, rule_id)
        references earning_rules (tenant_id, rule_id),
    constraint earning_rule_usage_membership_fk foreign key (tenant_id, membership_id)
        references memberships (tenant_id, membership_id),
    constraint earning_rule_usage_ck check (points >= 0 and times >= 0)
);

-- Which rule version gave how many of an entry's points, for what (a purchase, a member event, an enrolment).
create table earning_rule_awards (
    tenant_id      uuid        not null,
    award_id       uuid        not null,
    rule_id        uuid        not null,
    version        integer     not null,
    membership_id  uuid        not null,
    entry_id       uuid        not null,
    source         text        not null,
    source_id      uuid        not null,
    points         bigint      not null,
    awarded_at     timestamptz not null,
    constraint earning_rule_awards_pk primary key (tenant_id, award_id),
    constraint earning_rule_awards_version_fk foreign key (tenant_id, rule_id, version)
        references earning_rule_versions (tenant_id, rule_id, version),
    constraint earning_rule_awards_membership_fk foreign key (tenant_id, membership_id)
        references memberships (tenant_id, membership_id),
    constraint earning_rule_awards_entry_fk foreign key (tenant_id, entry_id)
        references journal_entries (tenant_id, entry_id),
    constraint earning_rule_awards_source_ck check (source in ('PURCHASE', 'EVENT', 'ENROLMENT')),
    constraint earning_rule_awards_points_ck check (points > 0)
);
create index earning_rule_awards_rule_ix on earning_rule_awards (tenant_id, rule_id);
create index earning_rule_awards_source_ix on earning_rule_awards (tenant_id, source_id);

alter table earning_rules enable row level security;
alter table earning_rule_versions enable row level security;
alter table earning_rule_usage enable row level security;
alter table earning_rule_awards enable row level security;

create policy tenant_isolation on earning_rules
    using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());
create policy tenant_isolation on earning_rule_versions
    using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());
create policy tenant_isolation on earning_rule_usage
    using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());
create policy tenant_isolation on earning_rule_awards
    using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());

-- Least privilege: a version's settings never change once drafted, only its status and publication;
-- awards are history, appended and read.
grant select, insert on earning_rules, earning_rule_versions, earning_rule_awards to ${app_role};
grant update (budget_spent) on earning_rules to ${app_role};
grant update (status, published_at, published_by, superseded_at) on earning_rule_versions to ${app_role};
grant select, insert, update (points, times) on earning_rule_usage to ${app_role};
