-- One earn at the minimum, in plain SQL, on the real tables with their triggers and constraints: for a random
-- sampled member (bench.members, numbered 1..:members; pgbench -D members=N), one transaction that takes the
-- wallet's row lock and raises its balance, writes one EARN journal entry with its two postings (issuance -p,
-- wallet +p), one lot of those points expiring a year later, and the lot's movement. At commit the deferred
-- trigger checks that the entry balances, as it does for the application. What the application adds on top of this
-- (HTTP, authentication, idempotency, earning rules, tiers, the purchase row, the outbox, row-level security) is
-- what the ratio printed beside each HTTP figure measures.
\set n random(1, :members)
\set points random(1, 500)
BEGIN;
UPDATE accounts a
   SET balance = a.balance + CAST(:points AS bigint)
  FROM bench.members m
 WHERE m.n = :n AND a.tenant_id = m.tenant_id AND a.membership_id = m.membership_id AND a.kind = 'WALLET'
RETURNING a.tenant_id AS tenant, a.account_id AS wallet, a.program_id AS program
\gset
WITH entry AS (
    INSERT INTO journal_entries (tenant_id, entry_id, kind, reference, memo, actor, created_at)
    VALUES (CAST(:tenant AS uuid), gen_random_uuid(), 'EARN', 'pgbench', 'purchase', 'pgbench', now())
    RETURNING tenant_id, entry_id, created_at
), issuance AS (
    SELECT account_id FROM accounts
     WHERE tenant_id = CAST(:tenant AS uuid) AND program_id = CAST(:program AS uuid) AND kind = 'ISSUANCE'
), lines AS (
    INSERT INTO postings (tenant_id, entry_id, line_no, account_id, program_id, amount)
    SELECT e.tenant_id, e.entry_id, 1, i.account_id, CAST(:program AS uuid), -CAST(:points AS bigint)
      FROM entry e, issuance i
    UNION ALL
    SELECT e.tenant_id, e.entry_id, 2, CAST(:wallet AS uuid), CAST(:program AS uuid), CAST(:points AS bigint)
      FROM entry e
), lot AS (
    INSERT INTO lots (tenant_id, lot_id, account_id, entry_id, earned_at, available_at, expires_at, original, remaining)
    SELECT e.tenant_id, gen_random_uuid(), CAST(:wallet AS uuid), e.entry_id, e.created_at, e.created_at,
           e.created_at + interval '12 months', CAST(:points AS bigint), CAST(:points AS bigint)
      FROM entry e
    RETURNING tenant_id, entry_id, lot_id, original
)
INSERT INTO lot_movements (tenant_id, entry_id, lot_id, amount)
SELECT tenant_id, entry_id, lot_id, original FROM lot;
COMMIT;
