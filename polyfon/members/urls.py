from django.urls import path

from .views import mine, office, public

app_name = "members"

urlpatterns = [
    # Public
    path("bli-med/", public.join, name="join"),
    path("bli-med/takk/", public.join_thanks, name="join_thanks"),
    path("deltakere/", public.public_participants, name="public_participants"),
    # The participant's own pages
    path("min-side/", mine.mine_home, name="mine_home"),
    path("min-side/deltaker/<int:pk>/", mine.mine_participant, name="mine_participant"),
    path(
        "min-side/deltaker/<int:pk>/organisasjon/<int:organisation_pk>/",
        mine.mine_organisation_edit,
        name="mine_organisation_edit",
    ),
    path("min-side/deltaker/<int:pk>/kontakter/ny/", mine.mine_contact_add, name="mine_contact_add"),
    path("min-side/deltaker/<int:pk>/kontakter/<int:person_pk>/", mine.mine_contact_edit, name="mine_contact_edit"),
    path(
        "min-side/deltaker/<int:pk>/kontakter/<int:contact_pk>/fjern/",
        mine.mine_contact_remove,
        name="mine_contact_remove",
    ),
    path("dokumenter/avtaler/<int:pk>/", office.agreement_document_download, name="agreement_document_download"),
    # The office
    path("kontor/", office.office_dashboard, name="office_dashboard"),
    path("kontor/deltakere/", office.participant_list, name="participant_list"),
    path("kontor/deltakere/ny/", office.participant_create, name="participant_create"),
    path("kontor/deltakere/<int:pk>/", office.participant_detail, name="participant_detail"),
    path("kontor/deltakere/<int:pk>/endre/", office.participant_edit, name="participant_edit"),
    path("kontor/deltakere/<int:pk>/organisasjoner/", office.participant_organisations, name="participant_organisations"),
    path("kontor/deltakere/<int:pk>/kontakter/ny/", office.participant_contact_add, name="participant_contact_add"),
    path(
        "kontor/deltakere/<int:pk>/kontakter/<int:contact_pk>/fjern/",
        office.participant_contact_remove,
        name="participant_contact_remove",
    ),
    path("kontor/deltakere/<int:pk>/<slug:move>/", office.participant_move, name="participant_move"),
    path("kontor/avtaler/<int:pk>/dokument/", office.agreement_document_upload, name="agreement_document_upload"),
    path("kontor/organisasjoner/", office.organisation_list, name="organisation_list"),
    path("kontor/organisasjoner/ny/", office.organisation_create, name="organisation_create"),
    path("kontor/organisasjoner/<int:pk>/", office.organisation_detail, name="organisation_detail"),
    path("kontor/organisasjoner/<int:pk>/endre/", office.organisation_edit, name="organisation_edit"),
    path("kontor/personer/", office.person_list, name="person_list"),
    path("kontor/personer/ny/", office.person_create, name="person_create"),
    path("kontor/personer/<int:pk>/", office.person_detail, name="person_detail"),
    path("kontor/personer/<int:pk>/endre/", office.person_edit, name="person_edit"),
    path("kontor/personer/<int:pk>/inviter/", office.person_invite, name="person_invite"),
    path("kontor/intensjonserklaeringer/", office.letter_list, name="letter_list"),
    path("kontor/opptak/", office.admission_round_list, name="admission_round_list"),
    path("kontor/opptak/ny/", office.admission_round_edit, name="admission_round_create"),
    path("kontor/opptak/<int:pk>/", office.admission_round_edit, name="admission_round_edit"),
    path("kontor/import/brreg/", office.brreg_import, name="brreg_import"),
    path("kontor/logg/", office.audit_log, name="audit_log"),
]
