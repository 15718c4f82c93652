"""The life cycles of meetings, elections, motions and representation proposals, declared once.

Meeting:   planned ──invite──▶ invited ──mark held──▶ held ──(approved under an item of a later
              │  └──────────mark held───────────────▲           meeting)──▶ minutes approved
              └──cancel──▶ cancelled ◀──cancel── invited   (invited ──invite──▶ invited: updated invitation)

Election:  draft ──open nomination──▶ nomination ──open voting──▶ voting ──close──▶ counted ──record──▶ decided
             └────────────open voting──────────────▲                     ▲   new round  │
                                                                           └──────────────┘
           (draft, nomination, voting, counted) ──cancel──▶ cancelled

Motion:    draft ──open voting──▶ voting ──close──▶ closed;   draft ──record count──▶ closed;
           draft ──withdraw──▶ withdrawn

Each move names its label, what it does (shown on its page before anything happens), the form
that asks for its details and the service that performs it (called with the object as the
keyword its table is named by in TABLES, `actor` and the form's cleaned data). Pages draw their buttons from these tables;
services refuse any move that is not listed here.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from polyfon.core import lifecycle

from .models import ElectionStatus as E
from .models import MeetingStatus as M
from .models import MotionStatus as V
from .models import ProposalStatus as P


@dataclass(frozen=True, kw_only=True)
class Move(lifecycle.Move):
    form: str  # dotted path of the form asking for the move's details
    service: str  # dotted path of the service performing it
    on_page: bool = True  # offered as a button on the object's page


MEETING_MOVES = lifecycle.Lifecycle(
    Move(
        name="invite",
        sources={M.PLANNED, M.INVITED},
        target=M.INVITED,
        label=_("Send the invitation"),
        explanation=_(
            "E-mails the invitation with the agenda and a calendar entry (.ics) to everyone who holds a seat "
            "in the body on the day of the meeting. Sending it again sends an updated invitation."
        ),
        form="polyfon.governance.forms.InvitationForm",
        service="polyfon.governance.services.meeting_send_invitation",
    ),
    Move(
        name="mark_held",
        sources={M.PLANNED, M.INVITED},
        target=M.HELD,
        label=_("Mark as held"),
        explanation=_("The meeting has taken place. Record the attendance and write the minutes per item."),
        form="polyfon.governance.forms.NoteForm",
        service="polyfon.governance.services.meeting_mark_held",
    ),
    Move(
        name="approve_minutes",
        sources={M.HELD},
        target=M.MINUTES_APPROVED,
        label=_("Approve the minutes"),
        explanation=_("The minutes are approved under an item of a later meeting of the same body."),
        form="polyfon.governance.forms.NoteForm",
        service="polyfon.governance.services.minutes_approve",
        on_page=False,
    ),
    Move(
        name="cancel",
        sources={M.PLANNED, M.INVITED},
        target=M.CANCELLED,
        label=_("Cancel the meeting"),
        explanation=_(
            "Cancels the meeting. If the invitation was sent, everyone invited gets a cancellation that "
            "removes the entry from their calendar. Its agenda items stay numbered and can be moved."
        ),
        form="polyfon.governance.forms.CancelMeetingForm",
        service="polyfon.governance.services.meeting_cancel",
        danger=True,
    ),
)

ELECTION_MOVES = lifecycle.Lifecycle(
    Move(
        name="open_nomination",
        sources={E.DRAFT},
        target=E.NOMINATION,
        label=_("Open the nomination"),
        explanation=_("Candidates can be nominated until the closing date. Each candidate is asked for their consent by e-mail."),
        form="polyfon.governance.forms.NominationForm",
        service="polyfon.governance.services.election_open_nomination",
    ),
    Move(
        name="open_voting",
        sources={E.DRAFT, E.NOMINATION},
        target=E.VOTING,
        label=_("Open the ballot"),
        explanation=_(
            "Fixes who has a vote (one per member participant, or one per voting seat where participants do not "
            "vote) and opens the ballot with the candidates who have consented. Those with a vote get an e-mail."
        ),
        form="polyfon.governance.forms.OpenVotingForm",
        service="polyfon.governance.services.election_open_voting",
    ),
    Move(
        name="close_voting",
        sources={E.VOTING},
        target=E.COUNTED,
        label=_("Close and count"),
        explanation=_(
            "Closes the ballot, checks the quorum and counts: the seats go to the candidates with the most votes. "
            "A tie for the last seat is shown as a tie."
        ),
        form="polyfon.governance.forms.ConfirmForm",
        service="polyfon.governance.services.election_close_voting",
    ),
    Move(
        name="new_round",
        sources={E.COUNTED},
        target=E.VOTING,
        label=_("New round"),
        explanation=_("Opens a new ballot for the seats still open, with the candidates who tied for them."),
        form="polyfon.governance.forms.OpenVotingForm",
        service="polyfon.governance.services.election_new_round",
    ),
    Move(
        name="record_result",
        sources={E.COUNTED},
        target=E.DECIDED,
        label=_("Record the result"),
        explanation=_(
            "Records the result as a decision under the agenda item and gives the elected their seats for "
            "the term. Earlier holders of the same single seat (chair, deputy chair) leave it the day before."
        ),
        form="polyfon.governance.forms.ConfirmForm",
        service="polyfon.governance.services.election_record_result",
    ),
    Move(
        name="cancel",
        sources={E.DRAFT, E.NOMINATION, E.VOTING, E.COUNTED},
        target=E.CANCELLED,
        label=_("Cancel the election"),
        explanation=_("Cancels the election. An open ballot is closed without counting."),
        form="polyfon.governance.forms.NoteForm",
        service="polyfon.governance.services.election_cancel",
        danger=True,
    ),
)

MOTION_MOVES = lifecycle.Lifecycle(
    Move(
        name="open_voting",
        sources={V.DRAFT},
        target=V.VOTING,
        label=_("Open the vote"),
        explanation=_("Fixes who has a vote and opens the electronic vote: for, against or abstain."),
        form="polyfon.governance.forms.OpenVotingForm",
        service="polyfon.governance.services.motion_open_voting",
    ),
    Move(
        name="close_voting",
        sources={V.VOTING},
        target=V.CLOSED,
        label=_("Close and count"),
        explanation=_(
            "Closes the vote and counts it. The motion is adopted with more votes for than against (abstentions "
            "do not count), if the quorum is reached. An adopted motion is recorded as a decision under the item."
        ),
        form="polyfon.governance.forms.ConfirmForm",
        service="polyfon.governance.services.motion_close_voting",
    ),
    Move(
        name="record_count",
        sources={V.DRAFT},
        target=V.CLOSED,
        label=_("Record the count"),
        explanation=_("Records a vote counted in the room. An adopted motion is recorded as a decision under the item."),
        form="polyfon.governance.forms.CountForm",
        service="polyfon.governance.services.motion_record_count",
    ),
    Move(
        name="withdraw",
        sources={V.DRAFT},
        target=V.WITHDRAWN,
        label=_("Withdraw the motion"),
        explanation=_("The motion is withdrawn and not voted on."),
        form="polyfon.governance.forms.NoteForm",
        service="polyfon.governance.services.motion_withdraw",
        danger=True,
    ),
)

# Representation proposals: decided by the coordinator, withdrawn by the proposer.
PROPOSAL_MOVES = lifecycle.Lifecycle(
    lifecycle.Move(name="approve", sources={P.PENDING}, target=P.APPROVED),
    lifecycle.Move(name="reject", sources={P.PENDING}, target=P.REJECTED),
    lifecycle.Move(name="withdraw", sources={P.PENDING}, target=P.WITHDRAWN),
)

# By the keyword the services take the object as.
TABLES = {"meeting": MEETING_MOVES, "election": ELECTION_MOVES, "motion": MOTION_MOVES}

