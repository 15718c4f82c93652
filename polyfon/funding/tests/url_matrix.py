"""Who may open each URL of the funding app (see polyfon.core.testing).

In the test world the participant contact (`contact`) is the applicant and project leader, and
the steering-group member (`steering`) is also a reviewer of the submitted application."""

from polyfon.core.testing import COORDINATORS, LOGGED_IN, POST_ONLY, PUBLIC, REGISTER_READERS

APPLICANT_ONLY = [302, 403, 200, 403, 403]  # the applicant's own pages: nobody else, not even coordinators
DOCUMENT = [302, 403, 200, 200, 200]  # the applicant, steering-group members (also reviewer here), coordinators
REVIEWER_ONLY = [302, 403, 403, 200, 403]
START = [302, 302, 200, 200, 302]  # without a person in the register you are sent to fill in your details first

MATRIX = {
    "funding:public_call_list": ({}, PUBLIC),
    "funding:public_call": ({"slug": "call_slug"}, PUBLIC),
    "funding:call_feed": ({}, PUBLIC),
    "funding:mine_applications": ({}, LOGGED_IN),
    "funding:mine_profile": ({}, LOGGED_IN),
    "funding:mine_application_start": ({"call_pk": "call"}, START),
    "funding:mine_application": ({"pk": "draft"}, APPLICANT_ONLY),
    "funding:mine_application_edit": ({"pk": "draft"}, APPLICANT_ONLY),
    "funding:mine_application_budget": ({"pk": "draft"}, APPLICANT_ONLY),
    "funding:mine_application_team": ({"pk": "draft"}, APPLICANT_ONLY),
    "funding:mine_application_partners": ({"pk": "draft"}, APPLICANT_ONLY),
    "funding:mine_application_attachments": ({"pk": "draft"}, APPLICANT_ONLY),
    "funding:mine_attachment_remove": ({"pk": "draft", "attachment_pk": "draft_attachment"}, POST_ONLY),
    "funding:mine_application_submit": ({"pk": "draft"}, APPLICANT_ONLY),
    "funding:mine_application_withdraw": ({"pk": "draft"}, APPLICANT_ONLY),
    "funding:mine_reviews": ({}, LOGGED_IN),
    "funding:mine_review": ({"pk": "review"}, REVIEWER_ONLY),
    "funding:mine_review_declare": ({"pk": "review"}, POST_ONLY),
    "funding:mine_grant": ({"pk": "grant"}, APPLICANT_ONLY),
    "funding:mine_report": ({"pk": "grant", "report_pk": "report"}, APPLICANT_ONLY),
    "funding:mine_output_add": ({"pk": "grant"}, APPLICANT_ONLY),
    "funding:application_pdf": ({"pk": "submitted"}, DOCUMENT),
    "funding:attachment_download": ({"pk": "attachment"}, DOCUMENT),
    "funding:report_file": ({"pk": "report"}, DOCUMENT),
    "funding:call_list": ({}, REGISTER_READERS),
    "funding:call_create": ({}, COORDINATORS),
    "funding:call_detail": ({"pk": "call"}, REGISTER_READERS),
    "funding:call_edit": ({"pk": "call"}, COORDINATORS),
    "funding:call_criteria": ({"pk": "call"}, COORDINATORS),
    "funding:call_reviewers": ({"pk": "call"}, COORDINATORS),
    "funding:call_reviewer_remove": ({"pk": "call", "person_pk": "reviewer"}, POST_ONLY),
    "funding:call_publish": ({"pk": "call"}, POST_ONLY),
    "funding:call_ranking": ({"pk": "call"}, REGISTER_READERS),
    "funding:call_decisions": ({"pk": "call"}, COORDINATORS),
    "funding:application_list": ({}, REGISTER_READERS),
    "funding:application_detail": ({"pk": "submitted"}, REGISTER_READERS),
    "funding:application_assign": ({"pk": "submitted"}, COORDINATORS),
    "funding:application_reopen": ({"pk": "submitted"}, COORDINATORS),
    "funding:application_proposal": ({"pk": "submitted"}, COORDINATORS),
    "funding:application_decide": ({"pk": "submitted"}, COORDINATORS),
    "funding:review_unassign": ({"pk": "review"}, POST_ONLY),
    "funding:review_return": ({"pk": "review"}, COORDINATORS),
    "funding:grant_list": ({}, REGISTER_READERS),
    "funding:grant_detail": ({"pk": "grant"}, REGISTER_READERS),
    "funding:grant_edit": ({"pk": "grant"}, COORDINATORS),
    "funding:grant_cancel": ({"pk": "grant"}, COORDINATORS),
    "funding:payment_add": ({"pk": "grant"}, COORDINATORS),
    "funding:student_add": ({"pk": "grant"}, COORDINATORS),
    "funding:output_add": ({"pk": "grant"}, COORDINATORS),
    "funding:payment_made": ({"pk": "payment"}, COORDINATORS),
    "funding:payment_remove": ({"pk": "payment"}, POST_ONLY),
    "funding:student_remove": ({"pk": "student"}, POST_ONLY),
    "funding:output_remove": ({"pk": "output"}, POST_ONLY),
    "funding:report_list": ({}, REGISTER_READERS),
    "funding:report_detail": ({"pk": "report"}, REGISTER_READERS),
}


def world(base):
    """A call with a draft, a submitted application (reviewed by the steering-group member) and a
    granted one turned into a project with a payment, a student, a result and a report."""
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from polyfon.funding import services
    from polyfon.funding.models import ReportKind
    from polyfon.members.models import Affiliation, Participant

    from .factories import CallFactory, make_application, pdf_file

    User = get_user_model()
    member = Participant.objects.get(pk=base["member"])
    contact = User.objects.get(email="kontakt@example.no")
    steering = User.objects.get(email="styre@example.no")
    coordinator = User.objects.get(email="koordinator@example.no")
    Affiliation.objects.get_or_create(person=contact.person, organisation=member.organisations.get())
    call = CallFactory()
    draft = make_application(call=call, participant=member, applicant=contact, title="Utkast")
    submitted = make_application(call=call, participant=member, applicant=contact, title="Innsendt")
    services.application_submit(application=submitted, actor=contact)
    granted = make_application(call=call, participant=member, applicant=contact, title="Innvilget")
    services.application_submit(application=granted, actor=contact)
    services.application_decide(
        application=granted, actor=coordinator, outcome="granted", amount=Decimal("50000"),
        meeting_reference="SG 1/26", decided_on=timezone.localdate(),
    )
    grant = granted.grant
    call.reviewers.add(steering.person)
    review = services.review_assign(application=submitted, person=steering.person, actor=coordinator)
    report = grant.reports.get(kind=ReportKind.FINAL)
    services.report_submit(
        report=report, actor=contact, summary="Ferdig", use_of_funds="Lønn", spent_amount=Decimal("50000"), uploaded=pdf_file()
    )
    student = services.grant_add_student(grant=grant, actor=coordinator, level="master", name="Mari Master", email="mari@example.no")
    output = services.grant_add_output(
        grant=grant, actor=coordinator, kind="presentation", title="Foredrag", occurred_on=timezone.localdate()
    )
    return {
        "call": call.pk,
        "call_slug": call.slug,
        "draft": draft.pk,
        "draft_attachment": draft.attachments.first().pk,
        "submitted": submitted.pk,
        "attachment": submitted.attachments.first().pk,
        "review": review.pk,
        "reviewer": steering.person.pk,
        "grant": grant.pk,
        "payment": grant.payments.first().pk,
        "report": report.pk,
        "student": student.pk,
        "output": output.pk,
    }
