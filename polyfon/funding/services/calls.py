"""Calls: create, change, criteria, reviewers, publish."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polyfon.accounts import roles
from polyfon.core.audit import audit_log, update_with_audit
from polyfon.core.errors import DomainError

from ..models import AttachmentKind, Call, CallKind, Criterion, ReviewStatus, ReviewTrack

# What the coordinator sets on a call, in the order the call form asks for it. The services
# take `work_areas` as an argument of its own (it is a many-to-many relation).
CALL_FIELDS = [
    "code",
    "slug",
    "kind",
    "title",
    "title_nn",
    "title_en",
    "text",
    "text_nn",
    "text_en",
    "work_areas",
    "opens_at",
    "deadline",
    "total_budget",
    "max_per_application",
    "eligibility",
    "review_track",
    "reviews_per_application",
    "review_due_on",
    "score_max",
    "required_attachments",
    "attachment_max_mb",
    "share_reviews_with_declined",
    "progress_report_months",
    "final_report_months",
    "spending_report_months",
    "contact_email",
]
# Rules that the reviews already given depend on: fixed once a review is submitted.
SCORING_FIELDS = ["score_max"]


@dataclass(frozen=True)
class CriterionEntry:
    name: str
    weight: int = 1
    description: str = ""
    name_nn: str = ""
    name_en: str = ""


def _check_call_values(values: dict, call: Call | None = None) -> None:
    opens_at = values.get("opens_at", call.opens_at if call else None)
    deadline = values.get("deadline", call.deadline if call else None)
    if opens_at and deadline and deadline <= opens_at:
        raise DomainError(_("The deadline must be after the opening time."), field="deadline")
    budget = values.get("total_budget", call.total_budget if call else None)
    maximum = values.get("max_per_application", call.max_per_application if call else None)
    if budget is not None and maximum is not None and maximum > budget:
        raise DomainError(
            _("The maximum per application cannot be more than the call's total budget."), field="max_per_application"
        )
    unknown = [k for k in values.get("required_attachments", []) if k not in AttachmentKind.values]
    if unknown:
        raise DomainError(_("Unknown kind of attachment: %(kinds)s.") % {"kinds": ", ".join(unknown)})
    code = values.get("code")
    if code and Call.objects.filter(code=code).exclude(pk=call.pk if call else None).exists():
        raise DomainError(_("Another call has the code %(code)s.") % {"code": code}, field="code")
    slug = values.get("slug")
    if slug and Call.objects.filter(slug=slug).exclude(pk=call.pk if call else None).exists():
        raise DomainError(_("Another call has this short name."), field="slug")


def call_create(*, actor, work_areas=(), criteria: list[CriterionEntry] = (), **values) -> Call:
    values = {k: v for k, v in values.items() if k in CALL_FIELDS}
    if values.get("kind") == CallKind.DISSEMINATION and values.get("spending_report_months") is None:
        values["spending_report_months"] = 1  # dissemination support owes a spending report within a month
    with transaction.atomic():
        _check_call_values(values)
        call = Call.objects.create(**values)
        call.work_areas.set(work_areas)
        _write_criteria(call, criteria)
        audit_log(obj=call, action="polyfon.funding.call.created", actor=actor, payload={"code": call.code})
    return call


def _has_submitted_reviews(call: Call) -> bool:
    return call.applications.filter(reviews__status=ReviewStatus.SUBMITTED).exists()


def call_update(*, call: Call, actor, work_areas=None, **values) -> Call:
    values = {k: v for k, v in values.items() if k in CALL_FIELDS}
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        _check_call_values(values, call)
        if any(k in values and values[k] != getattr(call, k) for k in SCORING_FIELDS) and _has_submitted_reviews(call):
            raise DomainError(
                _("The score scale cannot change after reviews have been submitted."), field="score_max"
            )
        if "review_track" in values and values["review_track"] == ReviewTrack.SECRETARIAT:
            _check_secretariat(call.reviewers.select_related("user"))
        update_with_audit(call, values, actor=actor, action="polyfon.funding.call.changed")
        if work_areas is not None:
            before = set(call.work_areas.values_list("pk", flat=True))
            if before != {w.pk for w in work_areas}:
                call.work_areas.set(work_areas)
                audit_log(
                    obj=call,
                    action="polyfon.funding.call.changed",
                    actor=actor,
                    payload={"changes": {"work_areas": [sorted(before), sorted(w.pk for w in work_areas)]}},
                )
    return call


def _write_criteria(call: Call, criteria: list[CriterionEntry]) -> None:
    names = [c.name.strip() for c in criteria]
    if len(set(names)) != len(names):
        raise DomainError(_("Two criteria have the same name."))
    Criterion.objects.bulk_create(
        [
            Criterion(
                call=call,
                name=c.name.strip(),
                name_nn=c.name_nn,
                name_en=c.name_en,
                description=c.description,
                weight=c.weight,
                position=i,
            )
            for i, c in enumerate(criteria)
        ]
    )


def call_set_criteria(*, call: Call, actor, criteria: list[CriterionEntry]) -> Call:
    """Replace the evaluation criteria; refused once any review has been submitted."""
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if _has_submitted_reviews(call):
            raise DomainError(_("The criteria cannot change after reviews have been submitted."))
        if not criteria:
            raise DomainError(_("A call needs at least one evaluation criterion."))
        call.criteria.all().delete()
        _write_criteria(call, criteria)
        audit_log(
            obj=call,
            action="polyfon.funding.call.criteria_changed",
            actor=actor,
            payload={"criteria": [{"name": c.name, "weight": c.weight} for c in criteria]},
        )
    return call


def call_publish(*, call: Call, actor) -> Call:
    """Show the call on the public pages and in the feed; applicants can start when it opens."""
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if call.published_at:
            raise DomainError(_("The call is already published."))
        if not call.criteria.exists():
            raise DomainError(_("Add the evaluation criteria before publishing the call."))
        if not call.text.strip():
            raise DomainError(_("Write the text of the call before publishing it."))
        call.published_at = timezone.now()
        call.save(update_fields=["published_at", "updated_at"])
        audit_log(obj=call, action="polyfon.funding.call.published", actor=actor)
    return call


def call_unpublish(*, call: Call, actor) -> Call:
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if not call.published_at:
            raise DomainError(_("The call is not published."))
        if call.applications.exists():
            raise DomainError(_("Applicants have started applications; the call can no longer be withdrawn from the public pages."))
        call.published_at = None
        call.save(update_fields=["published_at", "updated_at"])
        audit_log(obj=call, action="polyfon.funding.call.unpublished", actor=actor)
    return call


def _check_secretariat(persons) -> None:
    for person in persons:
        if person.user is None or not roles.is_coordinator(person.user):
            raise DomainError(
                _("%(name)s is not in the coordinator's secretariat; a call assessed by the secretariat has only coordinators as reviewers.")
                % {"name": person}
            )


def call_add_reviewer(*, call: Call, person, actor) -> Call:
    """Add a person to the call's reviewers (the secretariat or the scientific committee)."""
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        if person.user_id is None:
            raise DomainError(
                _("%(name)s has no login. Invite them to log in from their page in the register first.") % {"name": person},
                field="email",
            )
        if call.review_track == ReviewTrack.SECRETARIAT:
            _check_secretariat([person])
        if call.reviewers.filter(pk=person.pk).exists():
            raise DomainError(_("%(name)s is already a reviewer of this call.") % {"name": person}, field="email")
        call.reviewers.add(person)
        audit_log(obj=call, action="polyfon.funding.call.reviewer_added", actor=actor, payload={"person": str(person)})
    return call


def call_remove_reviewer(*, call: Call, person, actor) -> Call:
    with transaction.atomic():
        call = Call.objects.select_for_update().get(pk=call.pk)
        busy = call.applications.filter(
            reviews__reviewer=person, reviews__status__in=[ReviewStatus.ASSIGNED, ReviewStatus.ACCEPTED]
        ).exists()
        if busy:
            raise DomainError(
                _("%(name)s has unfinished reviews in this call; remove those assignments first.") % {"name": person}
            )
        call.reviewers.remove(person)
        audit_log(obj=call, action="polyfon.funding.call.reviewer_removed", actor=actor, payload={"person": str(person)})
    return call
