-- A program's local time: earning rules read dates, weekdays and hours in it, and count their caps' days,
-- weeks and months by it. Programs created before this migration keep UTC until an admin moves them.
alter table programs add column time_zone text not null default 'UTC';
