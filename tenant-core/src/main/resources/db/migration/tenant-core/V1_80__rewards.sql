-- Rewards: a catalog per brand (each reward priced in the points of one of the brand's programs), and the
-- redemptions that debit those points and issue a coupon code or, for gifts, an order.

create table rewards (
    tenant_id           uuid        not null,
    reward_id           uuid        not null,
    program_id          uuid        not null,
    kind                text        not null,
    name                text        not null,
    description         text,
    points_cost         bigint      not null,
    -- Items left to redeem; null means unlimited. Redemptions take one with a conditional update, so the
    -- last item goes to exactly one member; cancellations give it back.
    stock               bigint,
    -- Redemptions per member that are not cancelled; null means no limit.
    per_member_limit    integer,
    -- The lowest tier level (1 = the first tier above none) a member needs; null means every member.
    minimum_tier_level  integer,
    valid_from          timestamptz,
    valid_until         timestamptz,
    -- How long an issued coupon can be used; null means until cancelled or used.
    coupon_valid_days   integer,
    active              boolean     not null default true,
    created_at          timestamptz not null,
    updated_at          timestamptz not null,
    reward_seq          bigint      generated always as identity,
    constraint rewards_pk primary key (tenant_id, reward_id),
    constraint rewards_program_fk foreign key (tenant_id, program_id) references programs (tenant_id, program_id),
    constraint rewards_kind_ck check (kind in ('DISCOUNT_COUPON', 'VOUCHER', 'GIFT', 'EXPERIENCE')),
    constraint rewards_points_cost_ck check (points_cost > 0),
    constraint rewards_stock_not_negative_ck check (stock is null or stock >= 0),
    constraint rewards_per_member_limit_ck check (per_member_limit is null or per_member_limit > 0),
    constraint rewards_minimum_tier_ck check (minimum_tier_level is null or minimum_tier_level > 0),
    constraint rewards_validity_ck check (valid_from is null or valid_until is null or valid_from < valid_until),
    constraint rewards_coupon_valid_days_ck check (coupon_valid_days is null or coupon_valid_days > 0)
);
create index rewards_program_ix on rewards (tenant_id, program_id, reward_seq);
create index rewards_seq_ix on rewards (tenant_id, reward_seq);

-- A redemption debits the member's wallet by one SPEND entry; cancelling it reverses that entry. A coupon is
-- stored as a keyed hash (the look-up) and sealed with AES-GCM (so the member's view can show it again);
-- its plaintext is never stored. Gifts have no coupon: the redemption is their order.
create table redemptions (
    tenant_id         uuid        not null,
    redemption_id     uuid        not null,
    reward_id         uuid        not null,
    membership_id     uuid        not null,
    points            bigint      not null,
    entry_id          uuid        not null,
    status            text        not null,
    code_digest       bytea,
    code_sealed       bytea,
    code_key_version  smallint,
    expires_at        timestamptz,
    used_at           timestamptz,
    used_reference    text,
    used_by           text,
    cancelled_at      timestamptz,
    cancel_entry_id   uuid,
    cancel_reason     text,
    cancelled_by      text,
    created_by        text        not null,
    created_at        timestamptz not null,
    redemption_seq    bigint      generated always as identity,
    constraint redemptions_pk primary key (tenant_id, redemption_id),
    constraint redemptions_reward_fk foreign key (tenant_id, reward_id) references rewards (tenant_id, reward_id),
    constraint redemptions_membership_fk foreign key (tenant_id, membership_id)
        references memberships (tenant_id, membership_id),
    constraint redemptions_entry_fk foreign key (tenant_id, entry_id) references journal_entries (tenant_id, entry_id),
    constraint redemptions_cancel_entry_fk foreign key (tenant_id, cancel_entry_id)
        references journal_entries (tenant_id, entry_id),
    constraint redemptions_code_uq unique (tenant_id, code_digest),
    constraint redemptions_status_ck check (status in ('ISSUED', 'USED', 'CANCELLED')),
    constraint redemptions_points_ck check (points > 0),
    constraint redemptions_code_ck check ((code_digest is null) = (code_sealed is null)
        and (code_digest is null) = (code_key_version is null)
        and (code_digest is null or octet_length(code_digest) = 32)),
    constraint redemptions_used_ck check ((status = 'USED') = (used_at is not null)
        and (used_at is null) = (used_reference is null)),
    constraint redemptions_cancelled_ck check ((status = 'CANCELLED') = (cancelled_at is not null)
        and (cancelled_at is null) = (cancel_entry_id is null))
);
create index redemptions_member_ix on redemptions (tenant_id, membership_id, redemption_seq);
create index redemptions_reward_member_ix on redemptions (tenant_id, reward_id, membership_id)
    where status <> 'CANCELLED';

alter table rewards enable row level security;
alter table redemptions enable row level security;
create policy tenant_isolation on rewards using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());
create policy tenant_isolation on redemptions using (tenant_id = current_tenant()) with check (tenant_id = current_tenant());

grant select, insert on rewards to ${app_role};
-- A reward stays in the program and of the kind it was created as; its redemptions depend on both.
grant update (name, description, points_cost, stock, per_member_limit, minimum_tier_level, valid_from, valid_until,
              coupon_valid_days, active, updated_at) on rewards to ${app_role};
-- A redemption's terms, member and coupon never change; only its use or cancellation is recorded.
grant select, insert on redemptions to ${app_role};
grant update (status, used_at, used_reference, used_by, cancelled_at, cancel_entry_id, cancel_reason, cancelled_by)
    on redemptions to ${app_role};
