"""Who may do what with calls, applications, reviews and grants. Views name these rules;
tests/test_url_matrix.py and polyfon/funding/tests prove them.

- Coordinators do everything.
- Steering-group members read applications, reviews, rankings, decisions and projects.
- An applicant sees and edits their own applications (edits only while the state allows it).
- A reviewer sees only the applications they are assigned, and only after declaring that they
  have no conflict of interest.
- A project leader (or the applicant behind the grant) reports on their own project.
"""

from polyfon.accounts import roles

from .models import ReviewStatus

_CACHE = "_polyfon_funding_reviewer"


def can_manage_funding(user) -> bool:
    """Calls, reviewer assignment, proposals, decisions, payments, report approval."""
    return roles.is_coordinator(user)


def can_read_funding(user) -> bool:
    """Coordinators and steering-group members read applications, rankings and decisions."""
    return roles.is_coordinator(user) or roles.is_steering_member(user)


def is_own_application(user, application) -> bool:
    return roles.is_authenticated(user) and application.applicant_id == user.pk


def can_edit_application(user, application) -> bool:
    return is_own_application(user, application) and application.is_editable


def is_reviewer_of(user, application) -> bool:
    """An assigned reviewer who has declared no conflict of interest (reviewing or done).

    Uses the prefetched `reviews` of the application when they are there."""
    if not roles.is_authenticated(user):
        return False
    person = getattr(user, "person", None)
    if person is None:
        return False
    return any(
        r.reviewer_id == person.pk and r.status in (ReviewStatus.ACCEPTED, ReviewStatus.SUBMITTED)
        for r in application.reviews.all()
    )


def can_view_application(user, application) -> bool:
    """Coordinators see every application (drafts too, to reopen one that missed the deadline);
    steering-group members see what has been submitted; applicants their own; reviewers theirs."""
    if roles.is_coordinator(user):
        return True
    if roles.is_steering_member(user) and application.submitted_at is not None:
        return True
    return is_own_application(user, application) or is_reviewer_of(user, application)


def can_download_attachment(user, attachment) -> bool:
    return can_view_application(user, attachment.application)


def can_review(user, review) -> bool:
    """A reviewer works on their own assignments only."""
    if not roles.is_authenticated(user):
        return False
    return review.reviewer.user_id == user.pk


def has_review_assignments(user) -> bool:
    """For the menu: the user is a reviewer of at least one application (cached per request)."""
    if not roles.is_authenticated(user):
        return False
    cached = getattr(user, _CACHE, None)
    if cached is None:
        from .models import Review

        cached = Review.objects.filter(reviewer__user=user).exists()
        try:
            setattr(user, _CACHE, cached)
        except AttributeError:
            pass
    return cached


def is_project_leader(user, grant) -> bool:
    if not roles.is_authenticated(user):
        return False
    return grant.leader.user_id == user.pk or grant.application.applicant_id == user.pk


def can_view_grant(user, grant) -> bool:
    return can_read_funding(user) or is_project_leader(user, grant)


def can_report_on_grant(user, grant) -> bool:
    return is_project_leader(user, grant) or can_manage_funding(user)


def can_view_report(user, report) -> bool:
    return can_view_grant(user, report.grant)
