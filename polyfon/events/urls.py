from django.urls import path

from .views import mine, office, public

app_name = "events"

urlpatterns = [
    # Public. Event addresses start with their date (2027-03-11-...), so they never meet the fixed words.
    path("arrangement/", public.event_list, name="event_list"),
    path("arrangement/kalender/", public.event_calendar, name="event_calendar"),
    path("arrangement.ics", public.event_feed, name="event_feed"),
    path("arrangement/organisasjoner/", public.organisation_suggestions, name="organisation_suggestions"),
    # The registered person's page: a signed, unguessable token, never an id or an e-mail address.
    path("arrangement/pamelding/<str:token>/", public.registration_detail, name="registration_detail"),
    path("arrangement/pamelding/<str:token>/endre/", public.registration_edit, name="registration_edit"),
    path("arrangement/pamelding/<str:token>/avmeld/", public.registration_cancel, name="registration_cancel"),
    path("arrangement/pamelding/<str:token>/kalender.ics", public.registration_ics, name="registration_ics"),
    path("arrangement/pamelding/<str:token>/kursbevis.pdf", public.registration_certificate, name="registration_certificate"),
    path("arrangement/<slug:slug>.ics", public.event_ics, name="event_ics"),
    path("arrangement/<slug:slug>/", public.event_detail, name="event_detail"),
    path("arrangement/<slug:slug>/send-lenke/", public.registration_resend, name="registration_resend"),
    # My pages
    path("min-side/arrangement/", mine.mine_events, name="mine_events"),
    path("min-side/arrangement/<slug:slug>/kolleger/", mine.mine_event_colleagues, name="mine_event_colleagues"),
    # The office
    path("kontor/arrangement/", office.office_event_list, name="office_event_list"),
    path("kontor/arrangement/nytt/", office.event_create, name="event_create"),
    path("kontor/arrangement/<int:pk>/", office.office_event_detail, name="office_event_detail"),
    path("kontor/arrangement/<int:pk>/endre/", office.event_edit, name="event_edit"),
    path("kontor/arrangement/<int:pk>/kopier/", office.event_copy, name="event_copy"),
    path("kontor/arrangement/<int:pk>/sporsmal/", office.event_questions, name="event_questions"),
    path("kontor/arrangement/<int:pk>/pameldinger/", office.event_registrations, name="event_registrations"),
    path("kontor/arrangement/<int:pk>/pameldinger/ny/", office.event_registration_add, name="event_registration_add"),
    path("kontor/arrangement/<int:pk>/oppmote/", office.event_checkin, name="event_checkin"),
    path("kontor/arrangement/<int:pk>/epost/", office.event_message, name="event_message"),
    path("kontor/arrangement/<int:pk>/<slug:move>/", office.event_move, name="event_move"),
    path("kontor/pameldinger/<int:pk>/", office.office_registration_edit, name="office_registration_edit"),
    path("kontor/pameldinger/<int:pk>/avmeld/", office.office_registration_cancel, name="office_registration_cancel"),
    path("kontor/pameldinger/<int:pk>/oppmote/", office.registration_checkin, name="registration_checkin"),
    path("kontor/pameldinger/<int:pk>/kursbevis.pdf", office.office_registration_certificate, name="office_registration_certificate"),
]
