"""The life cycle of a participant, declared once.

prospect ──letter──▶ letter of intent ──admit──▶ member ──give notice──▶ notice given ──end──▶ former
   │  ▲                     │                      ▲                         │                  │
   │  └──reopen── withdrawn ◀┘ (withdraw)          └──── withdraw notice ────┘                  │
   └──────────────admit──────────────────────────────────────────────────── (rejoin: admit) ◀──┘

Each move names its label, what it does (shown on the button's page before anything happens),
the form that asks for its details and the service that performs it. The participant page
draws its buttons from MOVES; services refuse any move that is not listed here.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from polyfon.core import lifecycle

from .models import ParticipantStatus as S


@dataclass(frozen=True, kw_only=True)
class Move(lifecycle.Move):
    form: str  # dotted path of the form class asking for the move's details
    service: str  # dotted path of the service performing it


MOVES = lifecycle.Lifecycle(
    Move(
        name="record_letter",
        sources={S.PROSPECT},
        target=S.LETTER_OF_INTENT,
        label=_("Register letter of intent"),
        explanation=_("Records that the prospect has sent a letter of intent (for example on paper or by e-mail)."),
        form="polyfon.members.forms.RecordLetterForm",
        service="polyfon.members.services.participant_record_letter",
    ),
    Move(
        name="admit",
        sources={S.PROSPECT, S.LETTER_OF_INTENT, S.FORMER},
        target=S.MEMBER,
        label=_("Register consortium agreement"),
        explanation=_(
            "Registers the signed consortium agreement and makes the participant a member from the start "
            "date. The first membership year is invoiced at the first-year rate."
        ),
        form="polyfon.members.forms.AdmitForm",
        service="polyfon.members.services.participant_admit",
    ),
    Move(
        name="give_notice",
        sources={S.MEMBER},
        target=S.NOTICE_GIVEN,
        label=_("Register notice of termination"),
        explanation=_(
            "Registers that the participant has given notice. The membership ends when the notice period "
            "of the agreement (12 months unless the agreement says otherwise) has run from the notice date; "
            "until then the participant is still a member and is invoiced."
        ),
        form="polyfon.members.forms.GiveNoticeForm",
        service="polyfon.members.services.participant_give_notice",
        danger=True,
    ),
    Move(
        name="withdraw_notice",
        sources={S.NOTICE_GIVEN},
        target=S.MEMBER,
        label=_("Withdraw the notice"),
        explanation=_("The participant stays a member; the end date is removed from the agreement."),
        form="polyfon.members.forms.NoteForm",
        service="polyfon.members.services.participant_withdraw_notice",
    ),
    Move(
        name="end_membership",
        sources={S.NOTICE_GIVEN},
        target=S.FORMER,
        label=_("End the membership"),
        explanation=_(
            "Makes the participant a former participant. This happens by itself the day after the end date; "
            "use this only to end it on another date agreed with the participant."
        ),
        form="polyfon.members.forms.EndMembershipForm",
        service="polyfon.members.services.participant_end_membership",
        danger=True,
    ),
    Move(
        name="withdraw",
        sources={S.PROSPECT, S.LETTER_OF_INTENT},
        target=S.WITHDRAWN,
        label=_("Close as not joining"),
        explanation=_("The prospect will not join now. The participant and its letters are kept and can be reopened."),
        form="polyfon.members.forms.NoteForm",
        service="polyfon.members.services.participant_withdraw",
        danger=True,
    ),
    Move(
        name="reopen",
        sources={S.WITHDRAWN},
        target=S.PROSPECT,
        label=_("Reopen as prospect"),
        explanation=_("Makes the participant a prospect again."),
        form="polyfon.members.forms.NoteForm",
        service="polyfon.members.services.participant_reopen",
    ),
)
