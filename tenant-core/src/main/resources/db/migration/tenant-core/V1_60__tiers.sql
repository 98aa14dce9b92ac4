-- Tiers: 3 to 5 levels per program, reached by qualifying activity over a rolling or calendar window,
-- kept until the member's review at the end of the period (plus an optional grace period).

-- A program's tier scheme; its levels are in tier_levels. One row per program, replaced in place by
-- each change (version counts the changes; the audit trail keeps every version before and after).
create table tier_schemes (
    tenant_id      uuid        not null,
    program_id     uuid        not null,
    version        integer     not null,
    window_kind    text        not null,
    window_months  smallint    not null,
    time_zone      text        not null,
    grace_days     smallint    not null,
    updated_at     timestamptz not null,
    updated_by     text        not null,
    constraint tier_schemes_pk primary key (tenant_id, program_id),
    constraint tier_schemes_program_fk foreign key (tenant_id, program_id) references programs (tenant_id, program_id),
    constraint tier_schemes_window_ck check (window_kind in ('ROLLING', 'CALENDAR') and window_months between 1 and 36
        and (window_kind = 'ROLLING' or 12 % window_months = 0)),
    constraint tier_schemes_grace_ck check (grace_days between 0 and 365),
    constraint tier_schemes_version_ck check (version >= 1)
);

-- Level 1 is where every member starts and has no qualification; each higher level has one: a tree of
-- all/any over "counter at least N" conditions, as JSON.
create table tier_levels (
    tenant_id      uuid          not null,
    program_id     uuid          not null,
    level          smallint      not null,
    code           text          not null,
    name           text          not null,
    multiplier     numeric(4, 2) not null,
    qualification  jsonb,
    constraint tier_levels_pk primary key (tenant_id, program_id, level),
    constraint tier_levels_scheme_fk foreign key (tenant_id, program_id) references tier_schemes (tenant_id, program_id),
    constraint tier_levels_code_uq unique (tenant_id, program_id, code),
    constraint tier_levels_level_ck check (level between 1 and 5),
    constraint tier_levels_multiplier_ck check (multiplier between 1 and 10),
    constraint tier_levels_qualification_ck check ((level = 1) = (qualification is null))
);
create unique index tier_levels_name_uq on tier_levels (tenant_id, program_id, lower(name));

-- What counts toward a tier, one row per counter an event moves: a purchase adds spend (minor units),
-- one order and the points it earned; a refund takes back its amount and points, and the order once the
-- purchase is refunded in full; integrations add custom counters. Each row counts at its own time, so the
-- activity of a window that has ended never changes, and a review gives the same result whenever it runs.
-- Append-only, like the journal.
create table qualifying_activity (
    tenant_id      uuid        not null,
    activity_id    uuid        not null,
    membership_id  uuid        not null,
    program_id     uuid        not null,
    counter        text        not null,
    amount         bigint      not null,
    occurred_at    timestamptz not null,
    source         text        not null,
    reference      text        not null,
    constraint qualifying_activity_pk primary key (tenant_id, activity_id),
    constraint qualifying_activity_membership_fk foreign key (tenant_id, membership_id)
        references memberships (tenant_id, membership_id),
    constraint qualifying_activity_program_fk foreign key (tenant_id, program_id) references programs (tenant_id, program_id),
    constraint qualifying_activity_once_uq unique (tenant_id, program_id, source, reference, counter),
    constraint qualifying_activity_source_ck check (source in ('PURCHASE', 'REFUND', 'CUSTOM')),
    constraint qualifying_activity_counter_ck check (counter in ('spend', 'orders', 'points')
        or counter ~ '^custom:[a-z][a-z0-9-]{0,31}$'),
    constraint qualifying_activity_amount_ck check (amount <> 0)
);
create index qualifying_activity_member_ix on qualifying_activity (tenant_id, membership_id, occurred_at);
create index qualifying_activity_program_ix on qualifying_activity (tenant_id, program_id, occurred_at);

-- Each member's standing in a program with tiers; members without a row are on level 1. The next
-- deadline (due_at) is the earliest of: a reassessment after the scheme changed, the review at the end
-- of the period, the end of a grace period. The review job claims due rows with FOR UPDATE SKIP LOCKED.
create table member_tiers (
    tenant_id      uuid        not null,
    membership_id  uuid        not null,
    program_id     uuid        not null,
    level          smallint    not null,
    since          timestamptz not null,
    review_at      timestamptz,
    grace_until    timestamptz,
    grace_level    smallint,
    reassess_at    timestamptz,
    due_at         timestamptz generated always as (least(reassess_at, review_at, grace_until)) stored,
    updated_at     timestamptz not null,
    constraint member_tiers_pk primary key (tenant_id, membership_id),
    constraint member_tiers_membership_fk foreign key (tenant_id, membership_id)
        references memberships (tenant_id, membership_id),
    constraint member_tiers_scheme_fk foreign key (tenant_id, program_id) references tier_schemes (tenant_id, program_id),
    constraint member_tiers_level_ck check (level between 1 and 5 and (grace_level is null or grace_level between 1 and 5)),
    constraint member_tiers_grace_ck check ((grace_until is null) = (grace_level is null))
);
create index member_tiers_due_ix on member_tiers (tenant_id, due_at) where due_at is not null;
create index member_tiers_program_ix on member_tiers (tenant_id, program_id);

-- Every change of a member's standing, with its reason, the counters it was decided on and when it
-- took effect (a review that ran late takes effect at the end of the period all the same). Append-only.
create table tier_changes (
    tenant_id             uuid        not null,
    change_id             uuid        not null,
    membership_id         uuid        not null,
    program_id            uuid        not null,
    kind                  text        not null,
    reason                text        not null,
    from_level            smallint    not null,
    to_level              smallint    not null,
    from_code             text        not null,
    to_code               text        not null,
    effective_at          timestamptz not null,
    review_at             timestamptz,
    grace_until           timestamptz,
    window_from           timestamptz not null,
    window_from_included  boolean     not null,
    window_to             timestamptz not null,
    window_to_included    boolean     not null,
    counters              jsonb       not null,
    scheme_version        integer     not null,
    actor                 text        not null,
    recorded_at           timestamptz not null,
    change_seq            bigint      generated always as identity,
    constraint tier_changes_pk primary key (tenant_id, change_id),
    constraint tier_changes_membership_fk foreign key (tenant_id, membership_id)
        references memberships (tenant_id, membership_id),
    constraint tier_changes_kind_ck check (kind in ('UPGRADED', 'RENEWED', 'GRACE_STARTED', 'DOWNGRADED')),
    constraint tier_changes_reason_ck check (reason in ('ACTIVITY', 'SCHEME_CHANGED', 'PERIOD_ENDED', 'GRACE_ENDED'))
);
create index tier_changes_member_ix on tier_changes (tenant_id, membership_id, change_seq);

create trigger qualifying_activity_append_only before update or delete on qualifying_activity
    for each statement execute function refuse_history_change();
create trigger tier_changes_append_only before update or delete on tier_changes
    for each statement execute function refuse_history_change();

alter table tier_schemes enable row level security;
alter table tier_levels enable row level security;
alter table qualifying_activity enable row level security;
alter table member_tiers enable row level security;
alter table tier_changes enable row level security;

create policy tenant_isolation on tier_schemes using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());
create policy tenant_isolation on tier_levels using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());
create policy tenant_isolation on qualifying_activity using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());
create policy tenant_isolation on member_tiers using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());
create policy tenant_isolation on tier_changes using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());

grant select, insert, update on tier_schemes, member_tiers to ${app_role};
-- A scheme change replaces the program's levels as a whole.
grant select, insert, delete on tier_levels to ${app_role};
grant select, insert on qualifying_activity, tier_changes to ${app_role};

-- The review job works tenant by tenant (row-level security shows it one tenant at a time); this tells it
-- which tenants have members due, and nothing else. One index probe per tenant.
create function tenants_with_tier_reviews_due(p_as_of timestamptz) returns setof uuid
    language sql stable security definer set search_path = public
as $$
    select t.tenant_id from tenants t
     where exists (select from member_tiers m where m.tenant_id = t.tenant_id and m.due_at <= p_as_of)
$$;
revoke all on function tenants_with_tier_reviews_due(timestamptz) from public;
grant execute on function tenants_with_tier_reviews_due(timestamptz) to ${app_role};

-- Purchases and refunds made before tiers existed count as they would have: at their own time, on the
-- membership their points went to (the survivor's, for a membership merged into another).
insert into qualifying_activity (tenant_id, activity_id, membership_id, program_id, counter, amount, occurred_at, source,
                                 reference)
select p.tenant_id, gen_random_uuid(), coalesce(m.merged_into_membership_id, p.membership_id), p.program_id,
       c.counter, c.amount, p.purchased_at, 'PURCHASE', p.purchase_id::text
  from purchases p
  join memberships m on m.tenant_id = p.tenant_id and m.membership_id = p.membership_id
 cross join lateral (values ('spend', p.amount_minor), ('orders', 1::bigint), ('points', p.points_earned)) c (counter, amount)
 where c.amount <> 0;

insert into qualifying_activity (tenant_id, activity_id, membership_id, program_id, counter, amount, occurred_at, source,
                                 reference)
select r.tenant_id, gen_random_uuid(), coalesce(m.merged_into_membership_id, p.membership_id), p.program_id,
       c.counter, c.amount, r.refunded_at, 'REFUND', r.refund_id::text
  from (select refunds.*, sum(amount_minor) over (partition by tenant_id, purchase_id
                                                  order by refunded_at, refund_id) as refunded_so_far
          from refunds) r
  join purchases p on p.tenant_id = r.tenant_id and p.purchase_id = r.purchase_id
  join memberships m on m.tenant_id = p.tenant_id and m.membership_id = p.membership_id
 cross join lateral (values ('spend', -r.amount_minor), ('points', -(r.points_reversed + r.points_short)),
                            ('orders', case when r.refunded_so_far = p.amount_minor then -1 else 0 end)) c (counter, amount)
 where c.amount <> 0;
