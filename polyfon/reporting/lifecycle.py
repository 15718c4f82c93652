"""The life cycles of reporting, declared once.

Reporting rounds:

    being prepared ──open──▶ open ──close──▶ closed
                               ▲                │
                               └────reopen──────┘

A participant's report in a round:

    (not started) ──save──▶ started ──submit──▶ submitted ──correct (with a reason)──▶ submitted

Imports of outside indicators:

    uploaded ──import──▶ imported ──undo──▶ undone
        └──discard──▶ discarded

Annual reports:

    draft ──freeze──▶ figures frozen ──publish──▶ published
      ▲                  │   ▲                        │
      └─────unfreeze─────┘   └────────withdraw────────┘
    draft ──publish (freezes first)──▶ published

Pages draw their buttons from these tables; services refuse any move that is not listed here.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from polyfon.core import lifecycle

from .models import ImportStatus, ReportStatus, RoundStatus, SubmissionStatus


@dataclass(frozen=True, kw_only=True)
class Move(lifecycle.Move):
    service: str  # dotted path of the service performing it


ROUND_MOVES = lifecycle.Lifecycle(
    Move(
        name="open",
        sources={RoundStatus.DRAFT},
        target=RoundStatus.OPEN,
        label=_("Open the round"),
        explanation=_(
            "The main contact of every participant that was a member during the year gets an e-mail with a link to "
            "the form. Reminders go out by themselves before the deadline, and weekly after it until the round is closed."
        ),
        service="polyfon.reporting.services.round_open",
    ),
    Move(
        name="close",
        sources={RoundStatus.OPEN},
        target=RoundStatus.CLOSED,
        label=_("Close the round"),
        explanation=_(
            "Participants can no longer submit or correct their reports; only the coordinator can correct them. "
            "No more reminders are sent."
        ),
        service="polyfon.reporting.services.round_close",
        danger=True,
    ),
    Move(
        name="reopen",
        sources={RoundStatus.CLOSED},
        target=RoundStatus.OPEN,
        label=_("Reopen the round"),
        explanation=_("Participants can submit and correct their reports again. Set a new deadline first if the old one has passed."),
        service="polyfon.reporting.services.round_reopen",
    ),
)

SUBMISSION_MOVES = lifecycle.Lifecycle(
    Move(
        name="save",
        sources={SubmissionStatus.NOT_STARTED, SubmissionStatus.DRAFT},
        target=SubmissionStatus.DRAFT,
        label=_("Save without submitting"),
        explanation=_("The answers are kept; you can come back and submit them before the deadline."),
        service="polyfon.reporting.services.report_save",
    ),
    Move(
        name="submit",
        sources={SubmissionStatus.NOT_STARTED, SubmissionStatus.DRAFT},
        target=SubmissionStatus.SUBMITTED,
        label=_("Submit"),
        explanation=_("The report is sent to the coordinator and locked; after this a value changes only by a correction with a reason."),
        service="polyfon.reporting.services.report_submit",
    ),
    Move(
        name="correct",
        sources={SubmissionStatus.SUBMITTED},
        target=SubmissionStatus.SUBMITTED,
        label=_("Correct the report"),
        explanation=_("Change submitted values and say why; the change is logged with the values before and after."),
        service="polyfon.reporting.services.report_correct",
    ),
)

IMPORT_MOVES = lifecycle.Lifecycle(
    Move(
        name="import",
        sources={ImportStatus.UPLOADED},
        target=ImportStatus.IMPORTED,
        label=_("Import"),
        explanation=_("Imports the values of every row that passes the checks; the rows that fail are listed with the reason."),
        service="polyfon.reporting.services.import_execute",
    ),
    Move(
        name="discard",
        sources={ImportStatus.UPLOADED},
        target=ImportStatus.DISCARDED,
        label=_("Discard the file"),
        explanation=_("Nothing is imported from the file."),
        service="polyfon.reporting.services.import_discard",
        danger=True,
    ),
    Move(
        name="undo",
        sources={ImportStatus.IMPORTED},
        target=ImportStatus.UNDONE,
        label=_("Undo the import"),
        explanation=_(
            "Removes every value this file imported, so a corrected file can be imported. Annual reports whose "
            "figures are frozen keep their copy."
        ),
        service="polyfon.reporting.services.import_undo",
        danger=True,
    ),
)

REPORT_MOVES = lifecycle.Lifecycle(
    Move(
        name="freeze",
        sources={ReportStatus.DRAFT},
        target=ReportStatus.FROZEN,
        label=_("Freeze the figures"),
        explanation=_(
            "Copies every figure the report shows, so it no longer changes when the register does. The text can "
            "still be edited. Unfreeze to take in later changes."
        ),
        service="polyfon.reporting.services.annual_report_freeze",
    ),
    Move(
        name="unfreeze",
        sources={ReportStatus.FROZEN},
        target=ReportStatus.DRAFT,
        label=_("Unfreeze the figures"),
        explanation=_("The report shows live figures again; the frozen copy is removed."),
        service="polyfon.reporting.services.annual_report_unfreeze",
        danger=True,
    ),
    Move(
        name="publish",
        sources={ReportStatus.DRAFT, ReportStatus.FROZEN},
        target=ReportStatus.PUBLISHED,
        label=_("Publish"),
        explanation=_(
            "The report appears on the public site with its PDF and its data. A draft's figures are frozen first. "
            "A published report cannot be edited; withdraw it to make changes."
        ),
        service="polyfon.reporting.services.annual_report_publish",
    ),
    Move(
        name="withdraw",
        sources={ReportStatus.PUBLISHED},
        target=ReportStatus.FROZEN,
        label=_("Withdraw from the public site"),
        explanation=_("The report is no longer public; its frozen figures are kept, and the text can be edited again."),
        service="polyfon.reporting.services.annual_report_withdraw",
        danger=True,
    ),
)
