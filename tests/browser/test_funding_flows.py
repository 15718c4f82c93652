"""The funding app's main flows in a real browser, with an axe-core scan of every page visited:
an applicant writes and submits an application; the coordinator assigns reviewers (a conflicted
one is refused with the reason) and a reviewer declares and scores; the steering group's
decision is recorded, the grant becomes a project and its leader reports."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from polyfon.funding import services
from polyfon.funding.models import (
    Application,
    ApplicationStatus,
    Grant,
    ReportKind,
    ReportStatus,
    ReviewStatus,
)
from polyfon.funding.tests.factories import CallFactory, applicant_for, reviewer_for, submitted_application
from polyfon.members.tests.factories import PASSWORD, MemberFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n% test\n"


def english(page, live_server):
    page.context.add_cookies([{"name": "polyfon_language", "value": "en", "url": live_server.url}])


def log_in(page, user):
    page.goto("/konto/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def log_out(page):
    page.context.clear_cookies()


def test_public_calls_in_norwegian(page, axe):
    CallFactory(title="Såkornmidler 2027")
    page.goto("/utlysninger/")
    axe(page, context="calls (public, bokmål)")
    page.get_by_role("link", name="Såkornmidler 2027").click()
    axe(page, context="call page (public, bokmål)")
    assert page.get_by_role("link", name="Opprett konto").is_visible() or page.locator("a[href*='signup']").count() == 1


def test_applicant_writes_and_submits_an_application(page, axe, live_server):
    english(page, live_server)
    member = MemberFactory(name="Bergen kommune")
    call = CallFactory(title="Seed funds 2027")
    user = applicant_for(member, email="soker@example.no", name="Sara Søker", language="en")
    page.goto("/utlysninger/")
    axe(page, context="calls")
    page.get_by_role("link", name="Seed funds 2027").click()
    axe(page, context="call page")
    log_in(page, user)
    page.goto(call.get_public_url())
    page.get_by_role("link", name="Apply").click()
    axe(page, context="start application")
    page.get_by_label("Project title").fill("Music and language in kindergartens")
    page.get_by_role("button", name="Start the application").click()
    page.wait_for_url(re.compile(r".*/min-side/soknader/\d+/$"))
    axe(page, context="application overview (draft)")
    assert page.locator("#checklist li").count() >= 4
    page.get_by_role("link", name="The project").click()
    axe(page, context="project form")
    page.get_by_label("Work area").select_option(index=1)
    page.get_by_label("Project starts").fill("2027-08-01")
    page.get_by_label("Project ends").fill("2028-07-31")
    page.get_by_label("Summary").fill("Music as a tool for language development.")
    page.get_by_label("Project description").fill("Background, aims and method.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/min-side/soknader/\d+/$"))
    page.get_by_role("link", name="Budget", exact=True).click()
    axe(page, context="budget form")
    page.locator("#id_budget-0-category").select_option("salary")
    page.locator("#id_budget-0-description").fill("Music therapist")
    page.locator("#id_budget-0-requested").fill("120 000")
    page.locator("#id_budget-0-own_contribution").fill("30 000")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/min-side/soknader/\d+/$"))
    page.get_by_role("link", name="Attachments", exact=True).click()
    axe(page, context="attachments")
    page.get_by_label("What the file is").select_option("project_sketch")
    page.get_by_label("File (PDF)").set_input_files(files=[{"name": "sketch.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url(re.compile(r".*/vedlegg/$"))
    assert page.get_by_role("link", name="sketch.pdf").is_visible()
    axe(page, context="attachments after upload")
    page.get_by_role("link", name="Back to the application").click()
    assert page.locator("#checklist li").count() == 0
    page.get_by_role("link", name="Submit the application").click()
    axe(page, context="submit page")
    page.get_by_label(re.compile("I confirm")).check()
    page.get_by_role("button", name="Submit the application").click()
    page.wait_for_url(re.compile(r".*/min-side/soknader/\d+/$"))
    assert page.locator("#application-status").inner_text() == "Submitted"
    axe(page, context="application overview (submitted)")
    page.get_by_role("link", name="My applications").first.click()
    axe(page, context="my applications")
    application = Application.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.budget_lines.get().requested == Decimal("120000")


def test_conflicted_reviewer_is_refused_and_a_neutral_one_reviews(page, axe, live_server):
    english(page, live_server)
    coordinator = UserFactory(email="koord@example.no", full_name="Kari Koordinator", is_coordinator=True)
    application = submitted_application(call=CallFactory(title="Seed funds 2027"), title="Choirs in nursing homes")
    colleague = reviewer_for(application.call, organisation=application.lead_participant.organisations.get(), name="Kari Kollega")
    neutral = reviewer_for(application.call, organisation=OrganisationFactory(name="NORCE"), name="Nils Nøytral")
    log_in(page, coordinator)
    page.goto(application.get_absolute_url())
    axe(page, context="application (office)")
    page.get_by_role("link", name="Reviewers", exact=True).click()
    axe(page, context="assign reviewers")
    row = page.locator("#pool tr", has_text="Kari Kollega")
    assert "Cannot review" in row.inner_text()
    page.locator("#id_person").select_option(str(colleague.pk))
    page.get_by_role("button", name="Assign").click()
    assert page.get_by_text("cannot review this application").first.is_visible()
    axe(page, context="assign reviewers with the refusal")
    page.locator("#id_person").select_option(str(neutral.pk))
    page.get_by_role("button", name="Assign").click()
    page.wait_for_url(re.compile(r".*/fagfeller/$"))
    assert "Nils Nøytral" in page.locator("#assigned").inner_text()
    log_out(page)
    english(page, live_server)
    log_in(page, neutral.user)
    page.goto("/min-side/vurderinger/")
    axe(page, context="my reviews")
    page.get_by_role("link", name=re.compile(application.reference)).click()
    axe(page, context="declaration")
    assert "Choirs in nursing homes" in page.locator("#declaration-facts").inner_text()
    page.get_by_label("I have no conflict of interest").check()
    page.get_by_role("button", name="Send the declaration").click()
    page.wait_for_url(re.compile(r".*/min-side/vurderinger/\d+/$"))
    axe(page, context="review form")
    for criterion in application.call.criteria.all():
        page.locator(f"#id_criterion_{criterion.pk}").select_option("6")
    page.get_by_label("Comment on the application").fill("A well-founded project.")
    page.get_by_role("button", name="Submit the review").click()
    page.wait_for_url(re.compile(r".*/min-side/vurderinger/\d+/$"))
    assert page.locator("#review-status").inner_text() == "Review submitted"
    axe(page, context="submitted review")
    review = application.reviews.get()
    assert review.status == ReviewStatus.SUBMITTED and review.weighted_score == Decimal("6.00")


def test_decision_makes_a_project_and_its_leader_reports(page, axe, live_server):
    english(page, live_server)
    coordinator = UserFactory(email="koord@example.no", full_name="Kari Koordinator", is_coordinator=True)
    member = MemberFactory(name="Bergen kommune")
    applicant = applicant_for(member, email="leder@example.no", name="Lea Leder", language="en")
    call = CallFactory(title="Seed funds 2026")
    application = submitted_application(call=call, participant=member, applicant=applicant, title="Band as treatment")
    services.application_set_proposal(application=application, actor=coordinator, outcome="grant", amount=Decimal("90000"))
    log_in(page, coordinator)
    page.goto(call.get_absolute_url())
    axe(page, context="call totals")
    page.get_by_role("link", name="Ranking and proposals").click()
    axe(page, context="ranking")
    page.get_by_role("link", name="Record decisions").first.click()
    axe(page, context="decision meeting")
    page.get_by_label("Meeting").fill("Steering group 12 March 2026, item 7/26")
    page.get_by_label("Decided").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Record the decisions").click()
    page.wait_for_url(re.compile(r".*/kontor/utlysninger/\d+/$"))
    grant = Grant.objects.get()
    assert grant.amount == Decimal("90000")
    page.goto(grant.get_absolute_url())
    axe(page, context="project (office)")
    page.goto("/kontor/prosjekter/")
    axe(page, context="projects")
    page.goto("/kontor/rapporter/")
    axe(page, context="project reports")
    log_out(page)
    english(page, live_server)
    log_in(page, applicant)
    page.goto(grant.get_mine_url())
    axe(page, context="my project")
    page.get_by_role("link", name="Final report").click()
    axe(page, context="final report form")
    page.get_by_label("What was done").fill("The band played twice a week.")
    page.get_by_label("Use of funds").fill("Salary for the band leader.")
    page.get_by_label("Spent of the grant (NOK)").fill("88 000")
    page.get_by_role("button", name="Submit the report").click()
    page.wait_for_url(re.compile(r".*/min-side/prosjekter/\d+/$"))
    report = grant.reports.get(kind=ReportKind.FINAL)
    assert report.status == ReportStatus.SUBMITTED and report.spent_amount == Decimal("88000")
    page.get_by_role("link", name="Register a result").click()
    axe(page, context="register a result")
    page.get_by_label("Kind").select_option("funding")
    page.get_by_label("Title").fill("Band treatment, main project")
    page.get_by_label("Date").fill("2027-02-01")
    page.get_by_label("Funder").fill("Research Council of Norway")
    page.get_by_label("Result").select_option("won")
    page.get_by_label("Amount won (NOK)").fill("4 000 000")
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(re.compile(r".*/min-side/prosjekter/\d+/$"))
    assert "Research Council of Norway" in page.locator("#outputs").inner_text()
    axe(page, context="my project with a result")
