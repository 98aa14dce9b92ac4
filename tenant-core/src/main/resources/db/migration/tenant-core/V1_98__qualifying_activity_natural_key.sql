-- What counts toward tiers is identified by what it counts (program, source, reference, counter): that unique key
-- already stops an event from counting twice, so it becomes the primary key and the surrogate activity_id goes. An
-- earn writes three rows here (spend, orders, points); each one no longer inserts into a fourth index keyed by a
-- random UUID, whose pages are spread over the whole index.
alter table qualifying_activity drop constraint qualifying_activity_pk;
alter table qualifying_activity drop constraint qualifying_activity_once_uq;
alter table qualifying_activity add constraint qualifying_activity_pk
    primary key (tenant_id, program_id, source, reference, counter);
alter table qualifying_activity drop column activity_id;
