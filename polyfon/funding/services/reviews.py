"""Review: conflicts of interest, assignment, declarations, scores and submission."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polyfon.core.audit import audit_log
from polyfon.core.dates import local_today
from polyfon.core.email import send_templated_email
from polyfon.core.errors import DomainError
from polyfon.members.models import Affiliation, ParticipantOrganisation, Person
from polyfon.members.services import coordinator_recipients

from .. import lifecycle
from ..models import Application, ApplicationStatus, Review, ReviewScore, ReviewStatus


def conflicts_for_candidates(application: Application, persons) -> dict[int, list[str]]:
    """Why each of `persons` may not review `application` ({person pk: [reasons]}; an empty
    list means no conflict the register knows of). A fixed number of queries for any number
    of candidates.

    A reviewer has a conflict when they are named in the application (project leader, applicant,
    team member, contact of an external partner) or are affiliated with an organisation of the
    lead or a partner participant, or with an external partner (matched on organisation number)."""
    persons = list(persons)
    if not persons:
        return {}
    participants = {}
    if application.lead_participant_id:
        participants[application.lead_participant_id] = ("lead", application.lead_participant)
    for partner in application.partner_participants.all():
        participants.setdefault(partner.pk, ("partner", partner))
    org_to_participants: dict[int, list] = {}
    for membership in ParticipantOrganisation.objects.filter(participant_id__in=participants).select_related("organisation"):
        org_to_participants.setdefault(membership.organisation_id, []).append(participants[membership.participant_id])
    affiliations: dict[int, list] = {}
    for affiliation in Affiliation.objects.filter(person__in=persons).select_related("organisation"):
        affiliations.setdefault(affiliation.person_id, []).append(affiliation.organisation)
    team = list(application.team.all())
    partners = list(application.external_partners.all())
    reasons: dict[int, list[str]] = {}
    for person in persons:
        found = []
        email = person.email.lower()
        if application.leader_id == person.pk:
            found.append(_("named as the project leader"))
        if person.user_id and application.applicant_id == person.user_id:
            found.append(_("the applicant"))
        for member in team:
            if member.person_id == person.pk or (member.email and member.email.lower() == email):
                found.append(_("named in the project team (%(role)s)") % {"role": member.get_role_display()})
        for partner in partners:
            if partner.contact_email and partner.contact_email.lower() == email:
                found.append(_("named as contact person of the external partner %(partner)s") % {"partner": partner.organisation_name})
        for organisation in affiliations.get(person.pk, []):
            for role, participant in org_to_participants.get(organisation.pk, []):
                if role == "lead":
                    message = _("affiliated with %(organisation)s, part of the lead participant %(participant)s")
                else:
                    message = _("affiliated with %(organisation)s, part of the partner participant %(participant)s")
                found.append(message % {"organisation": organisation.name, "participant": participant.name})
            for partner in partners:
                if partner.org_number and partner.org_number == organisation.org_number:
                    found.append(
                        _("affiliated with %(organisation)s, an external partner") % {"organisation": organisation.name}
                    )
        reasons[person.pk] = found
    return reasons


def conflict_reasons(*, person: Person, application: Application) -> list[str]:
    return conflicts_for_candidates(application, [person])[person.pk]


def _lock_review(review: Review, move: str) -> Review:
    locked = Review.objects.select_for_update(of=("self",)).select_related("application__call", "reviewer__user").get(pk=review.pk)
    if not lifecycle.REVIEW_MOVES.allows(locked.status, move):
        raise DomainError(
            _("This cannot be done while the review's status is “%(status)s”.") % {"status": locked.get_status_display()}
        )
    return locked


def review_assign(*, application: Application, person: Person, actor) -> Review:
    """Assign a reviewer. Refused, with the reasons, when the register shows a conflict of interest."""
    with transaction.atomic():
        application = Application.objects.select_for_update(of=("self",)).select_related("call", "lead_participant").get(pk=application.pk)
        if application.status != ApplicationStatus.SUBMITTED:
            raise DomainError(_("Reviewers are assigned to submitted applications that are not yet decided."))
        if person.user_id is None:
            raise DomainError(_("%(name)s has no login and cannot review.") % {"name": person})
        if not application.call.reviewers.filter(pk=person.pk).exists():
            raise DomainError(_("%(name)s is not among the reviewers of this call; add them to the call first.") % {"name": person})
        if application.reviews.filter(reviewer=person).exists():
            raise DomainError(_("%(name)s is already assigned to this application.") % {"name": person})
        reasons = conflict_reasons(person=person, application=application)
        if reasons:
            raise DomainError(
                _("%(name)s cannot review this application: %(reasons)s.") % {"name": person, "reasons": "; ".join(reasons)},
                code="conflict",
            )
        review = Review.objects.create(application=application, reviewer=person, assigned_by=actor)
        audit_log(
            obj=application,
            action="polyfon.funding.application.reviewer_assigned",
            actor=actor,
            payload={"reviewer": str(person)},
        )
        user = person.user
        send_templated_email(
            to=user.email,
            template="funding/email/review_assigned",
            context={"review": review, "application": application, "person": person},
            language=user.language,
        )
    return review


def review_unassign(*, review: Review, actor) -> None:
    with transaction.atomic():
        review = Review.objects.select_for_update(of=("self",)).select_related("application", "reviewer").get(pk=review.pk)
        if review.status == ReviewStatus.SUBMITTED:
            raise DomainError(_("A submitted review cannot be removed; return it to the reviewer if it must change."))
        application, reviewer = review.application, review.reviewer
        review.delete()
        audit_log(
            obj=application,
            action="polyfon.funding.application.reviewer_removed",
            actor=actor,
            payload={"reviewer": str(reviewer)},
        )


def review_declare(*, review: Review, actor, has_conflict: bool, note: str = "") -> Review:
    """The reviewer declares, before seeing the application, whether they have a conflict of
    interest. A conflict removes them from the application."""
    move = "declare_conflict" if has_conflict else "declare_no_conflict"
    with transaction.atomic():
        review = _lock_review(review, move)
        if has_conflict and not note.strip():
            raise DomainError(_("Say briefly what the conflict of interest is."), field="note")
        review.status = lifecycle.REVIEW_MOVES[move].target
        review.declared_at = timezone.now()
        review.conflict_note = note.strip() if has_conflict else ""
        review.save(update_fields=["status", "declared_at", "conflict_note"])
        audit_log(
            obj=review.application,
            action=f"polyfon.funding.application.{move}",
            actor=actor,
            payload={"reviewer": str(review.reviewer), "note": review.conflict_note},
        )
        if has_conflict:
            for recipient, language in coordinator_recipients():
                send_templated_email(
                    to=recipient,
                    template="funding/email/review_conflict_notice",
                    context={"review": review, "application": review.application},
                    language=language,
                )
    return review


def _check_scores(review: Review, scores: dict[int, int]) -> dict:
    call = review.application.call
    criteria = {c.pk: c for c in call.criteria.all()}
    for criterion_pk, score in scores.items():
        if criterion_pk not in criteria:
            raise DomainError(_("A score is given for a criterion that is not in this call."))
        if score is not None and not 1 <= score <= call.score_max:
            raise DomainError(
                _("Scores go from 1 to %(max)s.") % {"max": call.score_max}, field=f"criterion_{criterion_pk}"
            )
    return criteria


def review_save(
    *, review: Review, actor, scores: dict[int, int | None], comment: str = "", confidential_comment: str = ""
) -> Review:
    """Save scores and comments while reviewing (not yet submitted)."""
    with transaction.atomic():
        review = Review.objects.select_for_update(of=("self",)).select_related("application__call").get(pk=review.pk)
        if review.status != ReviewStatus.ACCEPTED:
            raise DomainError(_("The review can be changed only while you are reviewing."))
        if review.application.status != ApplicationStatus.SUBMITTED:
            raise DomainError(_("The application is no longer under review."))
        _check_scores(review, scores)
        for criterion_pk, score in scores.items():
            if score is None:
                ReviewScore.objects.filter(review=review, criterion_id=criterion_pk).delete()
            else:
                ReviewScore.objects.update_or_create(review=review, criterion_id=criterion_pk, defaults={"score": score})
        review.comment, review.confidential_comment = comment.strip(), confidential_comment.strip()
        review.save(update_fields=["comment", "confidential_comment"])
    return review


def weighted_score(scores: dict[int, int], weights: dict[int, int]) -> Decimal:
    """Σ(weight × score) / Σ(weight), to two decimals."""
    total_weight = sum(weights.values())
    total = sum(Decimal(weights[pk]) * Decimal(score) for pk, score in scores.items())
    return (total / Decimal(total_weight)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def review_submit(*, review: Review, actor) -> Review:
    with transaction.atomic():
        review = _lock_review(review, "submit")
        if review.application.status != ApplicationStatus.SUBMITTED:
            raise DomainError(_("The application is no longer under review."))
        weights = {c.pk: c.weight for c in review.application.call.criteria.all()}
        scores = dict(review.scores.values_list("criterion_id", "score"))
        missing = [pk for pk in weights if pk not in scores]
        if missing:
            raise DomainError(_("Give every criterion a score before you submit."))
        if not review.comment.strip():
            raise DomainError(_("Write a comment on the application before you submit."), field="comment")
        review.status = ReviewStatus.SUBMITTED
        review.weighted_score = weighted_score(scores, weights)
        review.submitted_at = timezone.now()
        review.save(update_fields=["status", "weighted_score", "submitted_at"])
        audit_log(
            obj=review.application,
            action="polyfon.funding.application.review_submitted",
            actor=actor,
            payload={"reviewer": str(review.reviewer), "weighted_score": review.weighted_score},
        )
    return review


def review_return(*, review: Review, actor, note: str = "") -> Review:
    with transaction.atomic():
        review = _lock_review(review, "return")
        if review.application.status != ApplicationStatus.SUBMITTED:
            raise DomainError(_("The application is no longer under review."))
        review.status = ReviewStatus.ACCEPTED
        review.weighted_score = None
        review.submitted_at = None
        review.save(update_fields=["status", "weighted_score", "submitted_at"])
        audit_log(
            obj=review.application,
            action="polyfon.funding.application.review_returned",
            actor=actor,
            payload={"reviewer": str(review.reviewer), "note": note},
        )
        user = review.reviewer.user
        if user:
            send_templated_email(
                to=user.email,
                template="funding/email/review_returned",
                context={"review": review, "application": review.application, "note": note},
                language=user.language,
            )
    return review


REVIEW_REMINDER_DAYS = 3


def review_send_reminders(*, today: date | None = None) -> int:
    """Remind reviewers whose reviews are due within three days and not done (once per review)."""
    today = today or local_today()
    due = (
        Review.objects.filter(
            status__in=[ReviewStatus.ASSIGNED, ReviewStatus.ACCEPTED],
            reminded_on__isnull=True,
            application__status=ApplicationStatus.SUBMITTED,
            application__call__review_due_on__gte=today,
            application__call__review_due_on__lte=today + timedelta(days=REVIEW_REMINDER_DAYS),
            reviewer__user__isnull=False,
        )
        .select_related("application__call", "reviewer__user")
        .order_by("pk")
    )
    sent = 0
    for review in due:
        with transaction.atomic():
            locked = Review.objects.select_for_update().get(pk=review.pk)
            if locked.reminded_on is not None:
                continue
            locked.reminded_on = today
            locked.save(update_fields=["reminded_on"])
            user = review.reviewer.user
            send_templated_email(
                to=user.email,
                template="funding/email/review_reminder",
                context={"review": review, "application": review.application},
                language=user.language,
            )
            sent += 1
    return sent
