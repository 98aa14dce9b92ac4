-- Erasure of a person's personal data by pseudonymisation: the person, its memberships, wallets and the whole
-- journal stay (the ledger keeps balancing and stays auditable); its sealed personal data and blind indexes
-- are deleted, the brands' customer ids of its memberships replaced by pseudonyms, and the person marked.
alter table persons add column erased_at timestamptz;

grant update (erased_at) on persons to ${app_role};
grant update (external_id) on memberships to ${app_role};
grant delete on person_contacts to ${app_role};
