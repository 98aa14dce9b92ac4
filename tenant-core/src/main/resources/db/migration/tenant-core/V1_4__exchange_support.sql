-- What the points exchange needs from the ledger: an account per program for exchange fees, and lots
-- that remember whether their points may be converted again (a rate may restrict converted points).

alter table accounts drop constraint accounts_kind_ck;
alter table accounts add constraint accounts_kind_ck
    check (kind in ('WALLET', 'ISSUANCE', 'REDEMPTION', 'ADJUSTMENT', 'BREAKAGE', 'EXCHANGE_CLEARING', 'EXCHANGE_FEE'));

-- Programs opened before this migration get their fee account here; new ones open it with the others.
insert into accounts (tenant_id, account_id, program_id, kind)
select p.tenant_id, gen_random_uuid(), p.program_id, 'EXCHANGE_FEE'
  from programs p
 where not exists (select 1 from accounts a
                    where a.tenant_id = p.tenant_id and a.program_id = p.program_id and a.kind = 'EXCHANGE_FEE');

alter table lots add column convertible boolean not null default true;
