"""The funding pages through their real URLs with the real permissions."""

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from polyfon.funding import services
from polyfon.funding.models import (
    Application,
    ApplicationStatus,
    Call,
    Grant,
    ReportKind,
    ReportStatus,
    Review,
    ReviewStatus,
)
from polyfon.members.tests.factories import MemberFactory, OrganisationFactory, UserFactory

from .factories import (
    CallFactory,
    applicant_for,
    make_application,
    pdf_file,
    reviewer_for,
    submitted_application,
)

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
    return len(context)


# --- Public ------------------------------------------------------------------------------------------------------


def test_public_list_shows_open_upcoming_and_past_calls_but_not_drafts(client):
    now = timezone.now()
    CallFactory(title="Åpen utlysning")
    CallFactory(title="Kommende utlysning", opens_at=now + timedelta(days=5), deadline=now + timedelta(days=40))
    CallFactory(title="Tidligere utlysning", opens_at=now - timedelta(days=90), deadline=now - timedelta(days=30))
    CallFactory(title="Upublisert utlysning", published_at=None)
    html = client.get(reverse("funding:public_call_list")).content.decode()
    assert "Åpen utlysning" in html and "Kommende utlysning" in html and "Tidligere utlysning" in html
    assert "Upublisert" not in html


def test_unpublished_call_page_is_not_found(client):
    call = CallFactory(published_at=None)
    assert client.get(reverse("funding:public_call", args=[call.slug])).status_code == 404


def test_call_page_invites_visitors_to_log_in_or_create_an_account(english):
    call = CallFactory()
    html = english.get(call.get_public_url()).content.decode()
    start = reverse("funding:mine_application_start", args=[call.pk])
    assert f"{reverse('account_signup')}?next={start}" in html
    assert "Faglig kvalitet" in html  # the criteria are public


def test_closed_call_page_lists_the_funded_projects(client, coordinator):
    application = submitted_application(title="Sang i sykehjem")
    services.application_decide(
        application=application, actor=coordinator, outcome="granted", amount=Decimal("90000"),
        meeting_reference="SG", decided_on=timezone.localdate(),
    )
    Call.objects.filter(pk=application.call_id).update(deadline=timezone.now() - timedelta(days=1), opens_at=timezone.now() - timedelta(days=60))
    html = client.get(application.call.get_public_url()).content.decode()
    assert "Sang i sykehjem" in html


def test_json_feed_lists_open_calls_with_money_as_strings(client):
    now = timezone.now()
    open_call = CallFactory(title="Åpen", total_budget=Decimal("500000"), max_per_application=Decimal("150000"))
    CallFactory(title="Stengt", opens_at=now - timedelta(days=90), deadline=now - timedelta(days=1))
    CallFactory(title="Utkast", published_at=None)
    response = client.get(reverse("funding:call_feed"))
    assert response["Content-Type"].startswith("application/feed+json")
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    (item,) = feed["items"]
    assert item["title"] == "Åpen"
    assert item["url"].endswith(open_call.get_public_url())
    assert item["_polyfon"]["total_budget"] == "500000.00"
    assert item["_polyfon"]["currency"] == "NOK"
    assert item["_polyfon"]["deadline"] == open_call.deadline.isoformat()


# --- The applicant --------------------------------------------------------------------------------------------------


def test_applicant_writes_and_submits_an_application_through_the_pages(english, django_capture_on_commit_callbacks):
    client = english
    member = MemberFactory(name="Bergen kommune")
    call = CallFactory()
    user = UserFactory(email="ny.soker@example.no")
    client.force_login(user)
    start = reverse("funding:mine_application_start", args=[call.pk])
    # No person in the register yet: first the applicant's details, then back to the start.
    response = client.get(start)
    assert response.status_code == 302 and reverse("funding:mine_profile") in response["Location"]
    response = client.post(
        reverse("funding:mine_profile") + f"?next={start}",
        {"name": "Nora Ny", "title": "Musikkterapeut", "phone": "", "organisation": member.organisations.get().pk, "language": "en"},
    )
    assert response.status_code == 302 and response["Location"] == start
    response = client.post(start, {"title": "Musikk og demens"})
    application = Application.objects.get()
    assert response["Location"] == application.get_mine_url()
    assert application.lead_participant == member
    page = client.get(application.get_mine_url()).content.decode()
    assert "Write a summary of the project." in page  # the checklist
    from polyfon.content.models import WorkArea

    area = WorkArea.objects.first()
    response = client.post(
        reverse("funding:mine_application_edit", args=[application.pk]),
        {
            "title": "Musikk og demens", "lead_participant": member.pk, "work_area": area.pk,
            "start_date": "2027-08-01", "end_date": "2028-07-31", "summary": "Kort", "description": "Lang",
            "student_work": "",
        },
    )
    assert response.status_code == 302, response.content.decode()
    response = client.post(
        reverse("funding:mine_application_budget", args=[application.pk]),
        {
            "budget-TOTAL_FORMS": "2", "budget-INITIAL_FORMS": "0", "budget-MIN_NUM_FORMS": "0", "budget-MAX_NUM_FORMS": "1000",
            "budget-0-category": "salary", "budget-0-description": "Lønn", "budget-0-requested": "120 000",
            "budget-0-own_contribution": "30 000,50",
        },
    )
    assert response.status_code == 302
    line = application.budget_lines.get()
    assert (line.requested, line.own_contribution) == (Decimal("120000"), Decimal("30000.50"))
    response = client.post(
        reverse("funding:mine_application_attachments", args=[application.pk]),
        {"kind": "project_sketch", "file": pdf_file("skisse.pdf")},
    )
    assert response.status_code == 302
    submit = reverse("funding:mine_application_submit", args=[application.pk])
    assert "The application cannot be submitted yet" not in client.get(submit).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(submit, {"confirm": "on"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert len(mail.outbox) == 1 and mail.outbox[0].attachments[0][2] == "application/pdf"
    assert "mottatt" in mail.outbox[0].subject  # in the applicant's language (bokmål by default)
    # Locked: the edit pages are gone.
    assert client.get(reverse("funding:mine_application_edit", args=[application.pk])).status_code == 404
    listing = client.get(reverse("funding:mine_applications")).content.decode()
    assert application.reference in listing and "Submitted" in listing


def test_submit_page_explains_what_is_missing(english):
    application = make_application(complete=False)
    english.force_login(application.applicant)
    html = english.get(reverse("funding:mine_application_submit", args=[application.pk])).content.decode()
    assert 'id="submission-problems"' in html and "Describe the project." in html


def test_submission_after_the_deadline_is_refused_on_the_page(english, travel_to):
    # A deadline within the login session's lifetime (the session would expire if we travelled weeks).
    application = make_application(call=CallFactory(deadline=timezone.now() + timedelta(hours=1)))
    english.force_login(application.applicant)
    travel_to(application.call.deadline + timedelta(minutes=1))
    response = english.post(reverse("funding:mine_application_submit", args=[application.pk]), {"confirm": "on"})
    assert response.status_code == 200
    assert "The deadline has passed" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_an_applicant_cannot_open_someone_elses_application_or_its_files(client):
    application = submitted_application()
    other = applicant_for(MemberFactory())
    client.force_login(other)
    assert client.get(application.get_mine_url()).status_code == 403
    assert client.get(reverse("funding:attachment_download", args=[application.attachments.first().pk])).status_code == 403
    assert client.get(reverse("funding:application_pdf", args=[application.pk])).status_code == 403
    client.force_login(application.applicant)
    response = client.get(reverse("funding:attachment_download", args=[application.attachments.first().pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_applicant_withdraws_through_the_page():
    from django.test import Client

    client = Client()
    application = submitted_application()
    client.force_login(application.applicant)
    url = reverse("funding:mine_application_withdraw", args=[application.pk])
    assert client.post(url, {"reason": ""}).status_code == 200  # the confirmation is required
    assert client.post(url, {"reason": "", "confirm": "on"}).status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN


def test_my_applications_page_uses_a_constant_number_of_queries(client):
    member = MemberFactory()
    user = applicant_for(member)
    client.force_login(user)
    for _ in range(2):
        submitted_application(participant=member, applicant=user)
    few = _queries(client, reverse("funding:mine_applications"))
    for _ in range(8):
        submitted_application(participant=member, applicant=user)
    assert _queries(client, reverse("funding:mine_applications")) == few


# --- Reviewers ------------------------------------------------------------------------------------------------------


@pytest.fixture
def assigned(coordinator):
    application = submitted_application()
    application.description = "Hemmelig prosjektbeskrivelse"
    Application.objects.filter(pk=application.pk).update(description="Hemmelig prosjektbeskrivelse")
    person = reviewer_for(application.call, organisation=OrganisationFactory())
    review = services.review_assign(application=application, person=person, actor=coordinator)
    return review


def test_reviewer_declares_before_seeing_the_application(client, assigned):
    user = assigned.reviewer.user
    client.force_login(user)
    url = reverse("funding:mine_review", args=[assigned.pk])
    html = client.get(url).content.decode()
    assert "Hemmelig prosjektbeskrivelse" not in html
    assert assigned.application.leader.name in html  # who is in it, to judge a conflict
    attachment = assigned.application.attachments.first()
    assert client.get(reverse("funding:attachment_download", args=[attachment.pk])).status_code == 403
    client.post(reverse("funding:mine_review_declare", args=[assigned.pk]), {"has_conflict": "no", "note": ""})
    assert "Hemmelig prosjektbeskrivelse" in client.get(url).content.decode()
    assert client.get(reverse("funding:attachment_download", args=[attachment.pk])).status_code == 200


def test_reviewer_scores_and_submits_on_their_page(client, assigned):
    user = assigned.reviewer.user
    services.review_declare(review=assigned, actor=user, has_conflict=False)
    client.force_login(user)
    url = reverse("funding:mine_review", args=[assigned.pk])
    data = {f"criterion_{c.pk}": "5" for c in assigned.application.call.criteria.all()}
    data.update(comment="Godt prosjekt.", confidential_comment="", submit="1")
    assert client.post(url, data).status_code == 302
    assigned.refresh_from_db()
    assert assigned.status == ReviewStatus.SUBMITTED and assigned.weighted_score == Decimal("5.00")


def test_a_declared_conflict_through_the_page_needs_a_reason(client, assigned):
    client.force_login(assigned.reviewer.user)
    response = client.post(reverse("funding:mine_review_declare", args=[assigned.pk]), {"has_conflict": "yes", "note": ""})
    assert response.status_code == 200
    assigned.refresh_from_db()
    assert assigned.status == ReviewStatus.ASSIGNED
    client.post(reverse("funding:mine_review_declare", args=[assigned.pk]), {"has_conflict": "yes", "note": "Tidligere kollega"})
    assigned.refresh_from_db()
    assert assigned.status == ReviewStatus.CONFLICT


def test_reviewers_see_only_their_own_assignments(client, assigned, coordinator):
    other = reviewer_for(assigned.application.call, organisation=OrganisationFactory(), name="Annen Fagfelle")
    services.review_assign(application=assigned.application, person=other, actor=coordinator)
    client.force_login(other.user)
    assert client.get(reverse("funding:mine_review", args=[assigned.pk])).status_code == 403
    html = client.get(reverse("funding:mine_reviews")).content.decode()
    assert html.count(reverse("funding:mine_review", args=[assigned.pk])) == 0


# --- The office -------------------------------------------------------------------------------------------------------


def test_assigning_a_conflicted_reviewer_shows_why(english, coordinator):
    application = submitted_application()
    organisation = application.lead_participant.organisations.get()
    person = reviewer_for(application.call, organisation=organisation, name="Kari Kollega")
    english.force_login(coordinator)
    url = reverse("funding:application_assign", args=[application.pk])
    html = english.get(url).content.decode()
    assert "Cannot review" in html and organisation.name in html
    response = english.post(url, {"person": person.pk})
    assert response.status_code == 200
    assert "cannot review this application" in response.content.decode()
    assert not Review.objects.exists()


def test_steering_group_reads_submitted_applications_but_not_drafts(client, steering_user):
    draft = make_application()
    submitted = submitted_application()
    client.force_login(steering_user)
    assert client.get(submitted.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 403
    html = client.get(reverse("funding:application_list")).content.decode()
    assert submitted.title in html and draft.reference not in html


def test_coordinator_creates_a_call_with_norwegian_amounts(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("funding:call_create"),
        {
            "code": "SK-2028", "slug": "sakornmidler-2028", "kind": "seed", "title": "Såkornmidler 2028", "text": "Tekst",
            "opens_at": "2027-09-01T09:00", "deadline": "2027-10-01T13:00", "total_budget": "500 000",
            "max_per_application": "150 000", "eligibility": "members", "review_track": "committee",
            "reviews_per_application": "2", "score_max": "7", "required_attachments": ["project_sketch", "timeline"],
            "attachment_max_mb": "10", "final_report_months": "3",
        },
    )
    assert response.status_code == 302, response.content.decode()
    call = Call.objects.get(code="SK-2028")
    assert call.total_budget == Decimal("500000")
    assert timezone.localtime(call.deadline).strftime("%H:%M") == "13:00"  # entered in Oslo time
    assert call.deadline.utcoffset() is not None and call.deadline == datetime(2027, 10, 1, 11, 0, tzinfo=UTC)
    assert call.required_attachments == ["project_sketch", "timeline"]


def test_ranking_page_and_export(english, coordinator):
    call = CallFactory()
    submitted_application(call=call, title="Første søknad")
    english.force_login(coordinator)
    url = reverse("funding:call_ranking", args=[call.pk])
    assert "Første søknad" in english.get(url).content.decode()
    csv = english.get(url, {"format": "csv"})
    assert csv["Content-Type"].startswith("text/csv") and "Første søknad" in csv.content.decode("utf-8-sig")


def _with_reviews(call, coordinator, count):
    reviewers = list(call.reviewers.all())
    for _ in range(count):
        application = submitted_application(call=call)
        for person in reviewers:
            review = services.review_assign(application=application, person=person, actor=coordinator)
            services.review_declare(review=review, actor=person.user, has_conflict=False)
            services.review_save(review=review, actor=person.user, scores={c.pk: 4 for c in call.criteria.all()}, comment="ok")
            services.review_submit(review=review, actor=person.user)


def test_office_pages_use_a_constant_number_of_queries(client, coordinator):
    call = CallFactory(total_budget=Decimal("5000000"))
    for _ in range(2):
        reviewer_for(call, organisation=OrganisationFactory())
    client.force_login(coordinator)
    urls = [
        reverse("funding:call_ranking", args=[call.pk]),
        reverse("funding:application_list"),
        reverse("funding:call_list"),
        reverse("funding:call_detail", args=[call.pk]),
        reverse("funding:grant_list"),
        reverse("funding:report_list"),
        reverse("funding:call_decisions", args=[call.pk]),
    ]
    _with_reviews(call, coordinator, 2)
    grant_one = submitted_application(call=call)
    services.application_decide(application=grant_one, actor=coordinator, outcome="granted", amount=Decimal("1000"), meeting_reference="SG", decided_on=timezone.localdate())
    few = {url: _queries(client, url) for url in urls}
    _with_reviews(call, coordinator, 8)
    for _ in range(3):
        application = submitted_application(call=call)
        services.application_decide(application=application, actor=coordinator, outcome="granted", amount=Decimal("1000"), meeting_reference="SG", decided_on=timezone.localdate())
    assert {url: _queries(client, url) for url in urls} == few


def test_coordinator_records_a_meetings_decisions(english, coordinator, django_capture_on_commit_callbacks):
    call = CallFactory()
    first, second = submitted_application(call=call), submitted_application(call=call)
    services.application_set_proposal(application=first, actor=coordinator, outcome="grant", amount=Decimal("75000"))
    english.force_login(coordinator)
    url = reverse("funding:call_decisions", args=[call.pk])
    html = english.get(url).content.decode()
    assert first.reference in html and 'value="75000"' in html
    rows = {first.pk: ("granted", "75 000"), second.pk: ("declined", "")}
    data = {
        "meeting-meeting_reference": "Styringsgruppemøte 3/27", "meeting-decided_on": timezone.localdate().isoformat(),
        "row-TOTAL_FORMS": "2", "row-INITIAL_FORMS": "2", "row-MIN_NUM_FORMS": "0", "row-MAX_NUM_FORMS": "1000",
    }
    for i, (pk, (outcome, amount)) in enumerate(rows.items()):
        data.update({f"row-{i}-application": str(pk), f"row-{i}-outcome": outcome, f"row-{i}-amount": amount})
    with django_capture_on_commit_callbacks(execute=True):
        response = english.post(url, data)
    assert response.status_code == 302, response.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (ApplicationStatus.GRANTED, ApplicationStatus.DECLINED)
    assert Grant.objects.get().amount == Decimal("75000")
    assert len(mail.outbox) == 2


def test_report_is_submitted_by_the_leader_and_approved_in_the_office(client, coordinator):
    application = submitted_application()
    services.application_decide(application=application, actor=coordinator, outcome="granted", amount=Decimal("50000"), meeting_reference="SG", decided_on=timezone.localdate())
    grant = Grant.objects.get()
    report = grant.reports.get(kind=ReportKind.FINAL)
    client.force_login(application.applicant)
    url = reverse("funding:mine_report", args=[grant.pk, report.pk])
    response = client.post(url, {"summary": "Ferdig", "use_of_funds": "Lønn", "spent_amount": "49 500", "file": pdf_file("rapport.pdf")})
    assert response.status_code == 302, response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.spent_amount == Decimal("49500")
    assert client.get(reverse("funding:report_file", args=[report.pk])).status_code == 200
    client.force_login(coordinator)
    response = client.post(reverse("funding:report_detail", args=[report.pk]), {"verdict": "approve", "note": ""})
    assert response.status_code == 302
    report.refresh_from_db()
    grant.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and grant.status == "completed"


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_pages_render_in_every_language(client, settings, coordinator, language):
    application = submitted_application()
    services.application_decide(application=application, actor=coordinator, outcome="granted", amount=Decimal("50000"), meeting_reference="SG", decided_on=timezone.localdate())
    grant = Grant.objects.get()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(coordinator)
    for url in [
        reverse("funding:public_call_list"),
        application.call.get_public_url(),
        reverse("funding:call_detail", args=[application.call_id]),
        reverse("funding:call_ranking", args=[application.call_id]),
        application.get_absolute_url(),
        grant.get_absolute_url(),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'lang="{language}"' in response.content.decode()
    client.force_login(application.applicant)
    for url in [reverse("funding:mine_applications"), application.get_mine_url(), grant.get_mine_url()]:
        assert client.get(url).status_code == 200, url
    pdf = client.get(reverse("funding:application_pdf", args=[application.pk]))
    assert pdf.content.startswith(b"%PDF")


def test_a_half_written_draft_can_be_saved_and_untouched_rows_are_ignored(client):
    application = make_application(complete=False)
    client.force_login(application.applicant)
    response = client.post(
        reverse("funding:mine_application_edit", args=[application.pk]),
        {"title": "Bare tittel", "lead_participant": "", "work_area": "", "start_date": "", "end_date": "", "summary": "", "description": ""},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("funding:mine_application_budget", args=[application.pk]),
        {
            "budget-TOTAL_FORMS": "2", "budget-INITIAL_FORMS": "0", "budget-MIN_NUM_FORMS": "0", "budget-MAX_NUM_FORMS": "1000",
            "budget-0-category": "travel", "budget-0-description": "Reise", "budget-0-requested": "5000",
            "budget-1-category": "", "budget-1-description": "", "budget-1-requested": "",
        },
    )
    assert response.status_code == 302
    assert application.budget_lines.count() == 1


def test_call_text_is_sanitised_markdown_under_the_section_heading(client):
    """The call text sits in a section under an <h2>: its own headings start at <h3>."""
    call = CallFactory(
        text="# Tittel\n\nTekst <script>alert(1)</script> [lenke](javascript:alert(1))\n\n- punkt",
    )
    html = client.get(call.get_public_url()).content.decode()
    text = html[html.index('id="text-heading"'):]
    assert "<script>alert" not in text and "javascript:alert" not in text
    assert "<h3>Tittel</h3>" in text and "<li>punkt</li>" in text


def test_call_page_shows_whether_the_projects_led_to_larger_funding(english, coordinator):
    application = submitted_application()
    services.application_decide(application=application, actor=coordinator, outcome="granted", amount=Decimal("50000"), meeting_reference="SG", decided_on=timezone.localdate())
    services.grant_add_output(
        grant=Grant.objects.get(), actor=coordinator, kind="funding", title="Hovedprosjekt", occurred_on=timezone.localdate(),
        funder="Forskningsrådet", funding_status="won", amount_won=Decimal("9800000"),
    )
    english.force_login(coordinator)
    html = english.get(reverse("funding:call_detail", args=[application.call_id])).content.decode()
    assert 'id="follow-up"' in html and "9,800,000" in html
