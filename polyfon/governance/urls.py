from django.urls import path

from .views import mine, office_bodies, office_meetings, office_voting, public

app_name = "governance"

urlpatterns = [
    # Public
    path("organisasjon/", public.public_bodies, name="public_bodies"),
    path("organisasjon/samtykke/<str:token>/", public.candidate_consent, name="candidate_consent"),
    path("organisasjon/moter/<int:pk>/referat.pdf", public.minutes_pdf_download, name="minutes_pdf"),
    path("organisasjon/<slug:slug>/", public.public_body, name="public_body"),
    path("organisasjon/<slug:slug>/moter/<int:pk>/", public.public_meeting, name="public_meeting"),
    path("dokumenter/styring/<int:pk>/", public.document_download, name="document_download"),
    # The seat holder's and the participant's own pages
    path("min-side/styring/", mine.mine_home, name="mine_home"),
    path("min-side/styring/moter/<int:pk>/", mine.mine_meeting, name="mine_meeting"),
    path("min-side/styring/moter/<int:pk>/kalender.ics", mine.meeting_ics_download, name="meeting_ics"),
    path("min-side/styring/deltaker/<int:pk>/organ/<int:body_pk>/", mine.mine_propose, name="mine_propose"),
    path("min-side/styring/forslag/<int:pk>/trekk/", mine.mine_proposal_withdraw, name="mine_proposal_withdraw"),
    path("min-side/styring/avstemninger/<int:pk>/", mine.mine_vote, name="mine_vote"),
    # The office: bodies, seats, representation
    path("kontor/styring/", office_bodies.overview, name="overview"),
    path("kontor/styring/organer/ny/", office_bodies.body_create, name="body_create"),
    path("kontor/styring/organer/<int:pk>/", office_bodies.body_detail, name="body_detail"),
    path("kontor/styring/organer/<int:pk>/endre/", office_bodies.body_edit, name="body_edit"),
    path("kontor/styring/organer/<int:pk>/seter/ny/", office_bodies.seat_create, name="seat_create"),
    path("kontor/styring/organer/<int:pk>/fra-registeret/", office_bodies.adopt_register, name="adopt_register"),
    path("kontor/styring/organer/<int:pk>/moter/nytt/", office_meetings.meeting_create, name="meeting_create"),
    path("kontor/styring/seter/<int:pk>/endre/", office_bodies.seat_edit, name="seat_edit"),
    path("kontor/styring/seter/<int:pk>/avslutt/", office_bodies.seat_end, name="seat_end"),
    path("kontor/styring/generalforsamling/", office_bodies.general_assembly, name="general_assembly"),
    path("kontor/styring/representantforslag/", office_bodies.proposal_list, name="proposal_list"),
    path("kontor/styring/representantforslag/<int:pk>/", office_bodies.proposal_decide, name="proposal_decide"),
    # Meetings, items, papers, minutes, decisions
    path("kontor/styring/moter/", office_meetings.meeting_list, name="meeting_list"),
    path("kontor/styring/moter/<int:pk>/", office_meetings.meeting_detail, name="meeting_detail"),
    path("kontor/styring/moter/<int:pk>/endre/", office_meetings.meeting_edit, name="meeting_edit"),
    path("kontor/styring/moter/<int:pk>/oppmote/", office_meetings.attendance, name="attendance"),
    path("kontor/styring/moter/<int:pk>/referat/", office_meetings.minutes, name="minutes"),
    path("kontor/styring/moter/<int:pk>/fullmakter/", office_voting.proxies, name="proxies"),
    path("kontor/styring/moter/<int:pk>/saker/ny/", office_meetings.item_create, name="item_create"),
    path("kontor/styring/moter/<int:pk>/<slug:move>/", office_meetings.meeting_move, name="meeting_move"),
    path("kontor/styring/saker/<int:pk>/endre/", office_meetings.item_edit, name="item_edit"),
    path("kontor/styring/saker/<int:pk>/flytt/<str:direction>/", office_meetings.item_move, name="item_move"),
    path("kontor/styring/saker/<int:pk>/trekk/", office_meetings.item_withdraw, name="item_withdraw"),
    path("kontor/styring/saker/<int:pk>/til-annet-mote/", office_meetings.item_transfer, name="item_transfer"),
    path("kontor/styring/saker/<int:pk>/dokumenter/ny/", office_meetings.document_upload, name="document_upload"),
    path("kontor/styring/saker/<int:pk>/godkjenn-referat/", office_meetings.minutes_approve, name="minutes_approve"),
    path("kontor/styring/saker/<int:pk>/vedtak/ny/", office_meetings.decision_create, name="decision_create"),
    path("kontor/styring/saker/<int:pk>/valg/nytt/", office_voting.election_create, name="election_create"),
    path("kontor/styring/saker/<int:pk>/voteringer/ny/", office_voting.motion_create, name="motion_create"),
    path("kontor/styring/dokumenter/<int:pk>/fjern/", office_meetings.document_remove, name="document_remove"),
    path("kontor/styring/vedtak/", office_meetings.decision_list, name="decision_list"),
    path("kontor/styring/vedtak/<int:pk>/endre/", office_meetings.decision_edit, name="decision_edit"),
    path("kontor/styring/vedtak/<int:pk>/kobling/", office_meetings.decision_link, name="decision_link"),
    # General assembly and elections
    path("kontor/styring/fullmakter/<int:pk>/trekk/", office_voting.proxy_revoke, name="proxy_revoke"),
    path("kontor/styring/valg/<int:pk>/", office_voting.election_detail, name="election_detail"),
    path("kontor/styring/valg/<int:pk>/kandidater/ny/", office_voting.candidate_add, name="candidate_add"),
    path("kontor/styring/valg/<int:pk>/<slug:move>/", office_voting.election_move, name="election_move"),
    path("kontor/styring/kandidater/<int:pk>/samtykke/", office_voting.candidate_consent_record, name="candidate_consent_record"),
    path("kontor/styring/kandidater/<int:pk>/fjern/", office_voting.candidate_remove, name="candidate_remove"),
    path("kontor/styring/voteringer/<int:pk>/", office_voting.motion_detail, name="motion_detail"),
    path("kontor/styring/voteringer/<int:pk>/<slug:move>/", office_voting.motion_move, name="motion_move"),
]
