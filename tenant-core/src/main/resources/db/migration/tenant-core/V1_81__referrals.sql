-- Referrals: a program's terms, each member's referral code, and who referred whom. Both sides are rewarded
-- on the referee's first qualifying purchase, in the transaction that records it.

create table referral_terms (
    tenant_id                  uuid        not null,
    program_id                 uuid        not null,
    enabled                    boolean     not null,
    referrer_points            bigint      not null,
    referee_points             bigint      not null,
    -- The smallest purchase, in minor units of the program's purchase currency, that qualifies.
    minimum_purchase_minor     bigint      not null,
    -- A member may name who referred them until this many days after enrolling (and before their first
    -- qualifying purchase).
    claim_window_days          integer     not null,
    -- How many referrals one member is rewarded for as referrer; null means no limit.
    max_rewards_per_referrer   integer,
    updated_at                 timestamptz not null,
    updated_by                 text        not null,
    constraint referral_terms_pk primary key (tenant_id, program_id),
    constraint referral_terms_program_fk foreign key (tenant_id, program_id) references programs (tenant_id, program_id),
    constraint referral_terms_points_ck check (referrer_points >= 0 and referee_points >= 0
        and (not enabled or referrer_points + referee_points > 0)),
    constraint referral_terms_minimum_ck check (minimum_purchase_minor >= 0),
    constraint referral_terms_window_ck check (claim_window_days between 1 and 365),
    constraint referral_terms_max_rewards_ck check (max_rewards_per_referrer is null or max_rewards_per_referrer > 0)
);

-- A member's code, made the first time it is asked for; it never changes.
create table referral_codes (
    tenant_id      uuid        not null,
    membership_id  uuid        not null,
    code           text        not null,
    created_at     timestamptz not null,
    constraint referral_codes_pk primary key (tenant_id, membership_id),
    constraint referral_codes_code_uq unique (tenant_id, code),
    constraint referral_codes_membership_fk foreign key (tenant_id, membership_id)
        references memberships (tenant_id, membership_id)
);

-- One referrer per referee. The terms are copied when the referee names the referrer: what was promised
-- then is what is paid.
create table referrals (
    tenant_id               uuid        not null,
    referral_id             uuid        not null,
    program_id              uuid        not null,
    referrer_membership_id  uuid        not null,
    referee_membership_id   uuid        not null,
    referrer_points         bigint      not null,
    referee_points          bigint      not null,
    minimum_purchase_minor  bigint      not null,
    status                  text        not null,
    claimed_at              timestamptz not null,
    claimed_by              text        not null,
    settled_at              timestamptz,
    purchase_id             uuid,
    referrer_entry_id       uuid,
    referee_entry_id        uuid,
    referrer_points_paid    bigint,
    referee_points_paid     bigint,
    disqualified_because    text,
    referral_seq            bigint      generated always as identity,
    constraint referrals_pk primary key (tenant_id, referral_id),
    constraint referrals_referee_uq unique (tenant_id, referee_membership_id),
    constraint referrals_program_fk foreign key (tenant_id, program_id) references programs (tenant_id, program_id),
    constraint referrals_referrer_fk foreign key (tenant_id, referrer_membership_id)
        references memberships (tenant_id, membership_id),
    constraint referrals_referee_fk foreign key (tenant_id, referee_membership_id)
        references memberships (tenant_id, membership_id),
    constraint referrals_purchase_fk foreign key (tenant_id, purchase_id) references purchases (tenant_id, purchase_id),
    constraint referrals_referrer_entry_fk foreign key (tenant_id, referrer_entry_id)
        references journal_entries (tenant_id, entry_id),
    constraint referrals_referee_entry_fk foreign key (tenant_id, referee_entry_id)
        references journal_entries (tenant_id, entry_id),
    constraint referrals_not_self_ck check (referrer_membership_id <> referee_membership_id),
    constraint referrals_status_ck check (status in ('PENDING', 'REWARDED', 'DISQUALIFIED')),
    constraint referrals_settled_ck check ((status = 'PENDING') = (settled_at is null)
        and (status = 'REWARDED') = (referrer_points_paid is not null and referee_points_paid is not null)
        and (status = 'DISQUALIFIED') = (disqualified_because is not null))
);
create index referrals_referrer_ix on referrals (tenant_id, referrer_membership_id, referral_seq);

alter table referral_terms enable row level security;
alter table referral_codes enable row level security;
alter table referrals enable row level security;
create policy tenant_isolation on referral_terms using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());
create policy tenant_isolation on referral_codes using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());
create policy tenant_isolation on referrals using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());

grant select, insert, update on referral_terms to ${app_role};
grant select, insert on referral_codes, referrals to ${app_role};
-- Who referred whom on which terms never changes; only how the referral was settled is recorded.
grant update (status, settled_at, purchase_id, referrer_entry_id, referee_entry_id, referrer_points_paid,
              referee_points_paid, disqualified_because) on referrals to ${app_role};
