-- Points over time (issue 5, parts 4 and 5), first the program settings: points that wait out a returns window,
-- refunds that claw back points already spent into a bounded debt, expiry on fixed dates, reminders before expiry.

-- Program settings. A setting applies to points earned after it changes: a lot keeps the terms it was made with.
--   pending_days          earned points become spendable this many days after the purchase (the returns window)
--   clawback_policy       what a refund does with points already spent: PARTIAL takes what the wallet holds and
--                         reports the rest as not recovered; NEGATIVE_ALLOWED puts the rest in debt up to debt_limit
--   expiry_months         (exists) rolling expiry, N months after earning
--   expiry_dates          fixed expiry: 'MM-DD' (every year) or 'YYYY-MM-DD' (once); points expire at the end of the
--                         first such day, in expiry_zone, at least expiry_minimum_months after earning
--   expiry_reminder_days  members are reminded this many days before points expire; none when null
alter table programs
    add column pending_days           integer not null default 0,
    add column clawback_policy        text    not null default 'PARTIAL',
    add column debt_limit             bigint  not null default 0,
    add column expiry_dates           text[],
    add column expiry_minimum_months  integer not null default 0,
    add column expiry_zone            text    not null default 'UTC',
    add column expiry_reminder_days   integer,
    add constraint programs_pending_days_ck check (pending_days between 0 and 365),
    add constraint programs_clawback_policy_ck check (clawback_policy in ('PARTIAL', 'NEGATIVE_ALLOWED')),
    add constraint programs_debt_limit_ck check (debt_limit between 0 and 1000000000
        and (clawback_policy = 'NEGATIVE_ALLOWED' or debt_limit = 0)),
    add constraint programs_one_expiry_ck check (expiry_months is null or expiry_dates is null),
    add constraint programs_expiry_dates_ck check (expiry_dates is null or cardinality(expiry_dates) between 1 and 24),
    add constraint programs_expiry_minimum_ck check (expiry_minimum_months between 0 and 120),
    add constraint programs_expiry_reminder_ck check (expiry_reminder_days is null or expiry_reminder_days between 1 and 365);
