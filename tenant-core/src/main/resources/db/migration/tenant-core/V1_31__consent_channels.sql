-- Marketing consent per channel (email, SMS, app push, WeChat) beside consent to identity linking, each with
-- its history as before: who recorded it (source), when, and now where the person expressed it.
alter table person_consents
    drop constraint person_consents_purpose_ck,
    add constraint person_consents_purpose_ck check (purpose in ('identity-linking', 'marketing-email', 'marketing-sms',
                                                               'marketing-push', 'marketing-wechat')),
    add column collected_via text,
    add constraint person_consents_collected_via_ck check (collected_via is null or length(collected_via) between 1 and 64);
