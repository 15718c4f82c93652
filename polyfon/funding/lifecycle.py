"""The life cycles of the funding app, declared once: applications, reviews and project reports.

Application:

    draft ──submit──▶ submitted ──grant──▶ granted
      │  ▲              │   │
      │  └──submit──┐   │   └──decline──▶ declined
      │             │   │
      │          reopened ◀──reopen── (submitted, or a draft that missed the deadline)
      │             │
      └─────────────┴──withdraw──▶ withdrawn   (the applicant, any time before the decision)

Review (one reviewer on one application):

    assigned ──declare no conflict──▶ accepted ──submit──▶ submitted
        │                                ▲                     │
        └──declare conflict──▶ conflict  └──── return ─────────┘

Project report:

    due ──submit──▶ submitted ──approve──▶ approved
     ▲                  │
     └── returned ◀─return┘  (returned ──submit──▶ submitted)

Each move names who makes it (the applicant, the reviewer, the project leader or the
coordinator), its label and what it does. Pages draw their buttons from these tables and the
services refuse any move that is not listed here.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from polyfon.core import lifecycle

from .models import ApplicationStatus as A
from .models import ReportStatus as R
from .models import ReviewStatus as V

APPLICANT, COORDINATOR, REVIEWER, PROJECT_LEADER = "applicant", "coordinator", "reviewer", "project_leader"
SYSTEM = "system"  # made by a scheduled job, never offered as a button


@dataclass(frozen=True, kw_only=True)
class Move(lifecycle.Move):
    who: str  # APPLICANT, COORDINATOR, REVIEWER or PROJECT_LEADER: who makes the move


APPLICATION_MOVES = lifecycle.Lifecycle(
    Move(
        name="submit",
        sources={A.DRAFT, A.REOPENED},
        target=A.SUBMITTED,
        who=APPLICANT,
        label=_("Submit the application"),
        explanation=_(
            "Checks that the application is complete and that the project leader may apply, then locks it and "
            "sends you a receipt with a PDF copy. Submission is refused after the deadline."
        ),
    ),
    Move(
        name="reopen",
        sources={A.DRAFT, A.SUBMITTED, A.REOPENED},
        target=A.REOPENED,
        who=COORDINATOR,
        label=_("Reopen for changes"),
        explanation=_(
            "Lets the applicant change and submit this one application again until the time you set, also after "
            "the call's deadline. The reason is logged and sent to the applicant."
        ),
    ),
    Move(
        name="end_reopening",
        sources={A.REOPENED},
        target=A.SUBMITTED,
        who=SYSTEM,
        label=_("End the reopening"),
        explanation=_("The time for changes has run out: the application goes on to review as it now stands."),
    ),
    Move(
        name="withdraw",
        sources={A.DRAFT, A.SUBMITTED, A.REOPENED},
        target=A.WITHDRAWN,
        who=APPLICANT,
        label=_("Withdraw the application"),
        explanation=_("The application will not be assessed. This cannot be undone; you may apply again while the call is open."),
        danger=True,
    ),
    Move(
        name="grant",
        sources={A.SUBMITTED},
        target=A.GRANTED,
        who=COORDINATOR,
        label=_("Record grant"),
        explanation=_("Records the steering group's decision to grant the application; it becomes a project."),
    ),
    Move(
        name="decline",
        sources={A.SUBMITTED},
        target=A.DECLINED,
        who=COORDINATOR,
        label=_("Record decline"),
        explanation=_("Records the steering group's decision to decline the application."),
        danger=True,
    ),
)

REVIEW_MOVES = lifecycle.Lifecycle(
    Move(
        name="declare_no_conflict",
        sources={V.ASSIGNED},
        target=V.ACCEPTED,
        who=REVIEWER,
        label=_("I have no conflict of interest"),
        explanation=_("You confirm that you have no tie to the applicants or the project that could weaken trust in your assessment."),
    ),
    Move(
        name="declare_conflict",
        sources={V.ASSIGNED},
        target=V.CONFLICT,
        who=REVIEWER,
        label=_("I have a conflict of interest"),
        explanation=_("You are removed from this application and will not see it; the coordinator is told so they can find someone else."),
        danger=True,
    ),
    Move(
        name="submit",
        sources={V.ACCEPTED},
        target=V.SUBMITTED,
        who=REVIEWER,
        label=_("Submit the review"),
        explanation=_("Every criterion must have a score. The review is locked when it is submitted."),
    ),
    Move(
        name="return",
        sources={V.SUBMITTED},
        target=V.ACCEPTED,
        who=COORDINATOR,
        label=_("Return the review to the reviewer"),
        explanation=_("The reviewer can change the scores and comments and must submit again."),
    ),
)

REPORT_MOVES = lifecycle.Lifecycle(
    Move(
        name="submit",
        sources={R.DUE, R.RETURNED},
        target=R.SUBMITTED,
        who=PROJECT_LEADER,
        label=_("Submit the report"),
        explanation=_("The coordinator assesses the report and approves it or returns it with a note."),
    ),
    Move(
        name="approve",
        sources={R.SUBMITTED},
        target=R.APPROVED,
        who=COORDINATOR,
        label=_("Approve the report"),
        explanation=_("The report is accepted."),
    ),
    Move(
        name="return",
        sources={R.SUBMITTED},
        target=R.RETURNED,
        who=COORDINATOR,
        label=_("Return the report for changes"),
        explanation=_("The project leader is told what to change and submits the report again."),
        danger=True,
    ),
)
