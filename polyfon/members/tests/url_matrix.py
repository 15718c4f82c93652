"""Who may open each URL of the register (see polyfon.core.testing)."""

from polyfon.core.testing import COORDINATORS, LOGGED_IN, OWN_PARTICIPANT, POST_ONLY, PUBLIC, REGISTER_READERS

DOCUMENT = [302, 403, 200, 200, 200]  # readers of the register and the participant's contacts

MATRIX = {
    "members:join": ({}, PUBLIC),
    "members:join_thanks": ({}, PUBLIC),
    "members:public_participants": ({}, PUBLIC),
    "members:mine_home": ({}, LOGGED_IN),
    "members:mine_participant": ({"pk": "member"}, OWN_PARTICIPANT),
    "members:mine_organisation_edit": ({"pk": "member", "organisation_pk": "member_org"}, OWN_PARTICIPANT),
    "members:mine_contact_add": ({"pk": "member"}, OWN_PARTICIPANT),
    "members:mine_contact_edit": ({"pk": "member", "person_pk": "main_person"}, OWN_PARTICIPANT),
    "members:mine_contact_remove": ({"pk": "member", "contact_pk": "main_contact"}, POST_ONLY),
    "members:agreement_document_download": ({"pk": "document"}, DOCUMENT),
    "members:office_dashboard": ({}, REGISTER_READERS),
    "members:participant_list": ({}, REGISTER_READERS),
    "members:participant_create": ({}, COORDINATORS),
    "members:participant_detail": ({"pk": "member"}, REGISTER_READERS),
    "members:participant_edit": ({"pk": "member"}, COORDINATORS),
    "members:participant_organisations": ({"pk": "member"}, COORDINATORS),
    "members:participant_contact_add": ({"pk": "member"}, COORDINATORS),
    "members:participant_contact_remove": ({"pk": "member", "contact_pk": "main_contact"}, POST_ONLY),
    "members:participant_move": ({"pk": "member", "move": "\"give_notice\""}, COORDINATORS),
    "members:agreement_document_upload": ({"pk": "agreement"}, COORDINATORS),
    "members:organisation_list": ({}, REGISTER_READERS),
    "members:organisation_create": ({}, COORDINATORS),
    "members:organisation_detail": ({"pk": "member_org"}, REGISTER_READERS),
    "members:organisation_edit": ({"pk": "member_org"}, COORDINATORS),
    "members:person_list": ({}, COORDINATORS),
    "members:person_create": ({}, COORDINATORS),
    "members:person_detail": ({"pk": "main_person"}, COORDINATORS),
    "members:person_edit": ({"pk": "main_person"}, COORDINATORS),
    "members:person_invite": ({"pk": "main_person"}, POST_ONLY),
    "members:letter_list": ({}, COORDINATORS),
    "members:admission_round_list": ({}, COORDINATORS),
    "members:admission_round_create": ({}, COORDINATORS),
    "members:admission_round_edit": ({"pk": "admission_round"}, COORDINATORS),
    "members:brreg_import": ({}, COORDINATORS),
    "members:audit_log": ({}, COORDINATORS),
}


def world(base):
    """The register's objects: `member` (with agreement, document and contacts) comes from base."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from polyfon.members import services
    from polyfon.members.models import AdmissionRound, ContactRole, Participant

    member = Participant.objects.get(pk=base["member"])
    agreement = member.agreements.get()
    document = services.agreement_add_document(
        agreement=agreement, uploaded=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"), actor=None
    )
    main = member.contacts.get(role=ContactRole.MAIN)
    return {
        "member_org": member.organisations.get().pk,
        "main_person": main.person_id,
        "main_contact": main.pk,
        "agreement": agreement.pk,
        "document": document.pk,
        "admission_round": AdmissionRound.objects.create(name="R", opens_on="2026-01-01", letter_deadline="2026-02-01").pk,
    }
