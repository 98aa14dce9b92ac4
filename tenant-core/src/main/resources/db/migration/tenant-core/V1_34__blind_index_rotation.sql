-- Re-indexing a contact under a new blind-index secret rewrites its index and key version (and seals its value
-- anew for the new index), so the runtime role may update those two columns too.
grant update (blind_index, key_version) on person_contacts to ${app_role};
