-- An Idempotency-Key belongs to the caller that sent it (an API key, a user), not to the whole tenant: two
-- brands' integrations that happen to pick the same key (say "order-1001") each get their own request run
-- and never the other's stored answer, which named the other brand's member.
alter table idempotency_records add column caller text not null default '';
alter table idempotency_records alter column caller drop default;
alter table idempotency_records drop constraint idempotency_records_pk;
alter table idempotency_records add constraint idempotency_records_pk primary key (tenant_id, caller, idempotency_key);
