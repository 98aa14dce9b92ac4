-- Tenant admins search their audit trail newest first by (at, audit_id), optionally by actor, action or
-- subject. Each filter gets an index ending in that order, so a page is one index range scan however
-- large the trail grows; the export reads a time range oldest first through the first one.

drop index audit_records_at_ix;
drop index audit_records_subject_ix;
create index audit_records_at_ix on audit_records (tenant_id, at, audit_id);
create index audit_records_subject_ix on audit_records (tenant_id, subject, at, audit_id);
create index audit_records_actor_ix on audit_records (tenant_id, actor, at, audit_id);
create index audit_records_action_ix on audit_records (tenant_id, action, at, audit_id);
