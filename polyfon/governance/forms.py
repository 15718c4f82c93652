"""Input parsing and field validation for governance. Rules that span rows live in services."""

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from polyfon.content.models import WorkArea
from polyfon.core.forms import DateInput, DateTimeInput, Form, ModelForm
from polyfon.members.models import MEMBER_STATES, Participant, Person

from .models import (
    AgendaItem,
    AttendanceStatus,
    BallotChoice,
    Body,
    ConsentStatus,
    Election,
    ItemKind,
    Meeting,
    Motion,
    MotionMethod,
    SeatRole,
)
from .services import BODY_FIELDS, ITEM_FIELDS
from .validators import document_kind


def member_participants():
    return Participant.objects.filter(status__in=MEMBER_STATES).order_by("name")


class BodyForm(ModelForm):
    class Meta:
        model = Body
        fields = BODY_FIELDS
        widgets = {"mandate": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_area"].queryset = WorkArea.objects.filter(is_active=True)
        self.fields["slug"].required = False

    def validate_unique(self):
        # The services check the short name and the one-active-body-per-kind rule, at the field.
        pass


class GeneralAssemblyForm(Form):
    name = forms.CharField(max_length=200, label=_("Name"), initial=_("General assembly"))
    quorum_percent = forms.IntegerField(
        min_value=1, max_value=100, initial=50, label=_("Quorum (%)"),
        help_text=_("Share of the member participants who must vote for a ballot to be valid."),
    )
    max_proxies = forms.IntegerField(
        min_value=0, max_value=20, initial=1, label=_("Proxies one participant may hold"),
        help_text=_("A participant that cannot attend may let another vote for it; this limits how many one may carry."),
    )
    mandate = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), label=_("Mandate"))


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.email})"


class SeatForm(Form):
    person = PersonChoiceField(queryset=Person.objects.order_by("name"), label=_("Person"))
    role = forms.ChoiceField(choices=SeatRole.choices, initial=SeatRole.MEMBER, label=_("Role"))
    participant = forms.ModelChoiceField(
        queryset=Participant.objects.none(), required=False, label=_("Represents"),
        help_text=_("Only where the seats represent participants."),
    )
    work_area = forms.ModelChoiceField(queryset=WorkArea.objects.filter(is_active=True), required=False, label=_("Work area"))
    start_date = forms.DateField(widget=DateInput, label=_("Term starts"))
    end_date = forms.DateField(widget=DateInput, required=False, label=_("Term ends"), help_text=_("Empty for an open-ended seat."))
    note = forms.CharField(required=False, max_length=255, label=_("Note"))
    replace = forms.BooleanField(
        required=False, label=_("Replace the current holder"),
        help_text=_("For the chair, the deputy chair, or a participant's representative or deputy: the current holder leaves the day before."),
    )

    def __init__(self, *args, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        if body.represents_participants:
            self.fields["participant"].queryset = member_participants()
        else:
            del self.fields["participant"]
        if not body.seats_by_work_area:
            del self.fields["work_area"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The term cannot end before it starts."))
        return cleaned


class SeatEditForm(Form):
    end_date = forms.DateField(widget=DateInput, required=False, label=_("Term ends"), help_text=_("Empty for an open-ended seat."))
    note = forms.CharField(required=False, max_length=255, label=_("Note"))


class SeatEndForm(Form):
    end_date = forms.DateField(widget=DateInput, label=_("Last day in the seat"))
    reason = forms.CharField(required=False, max_length=255, label=_("Reason"))


class AdoptRegisterForm(Form):
    start_date = forms.DateField(widget=DateInput, label=_("Seats from"))


class ProposalForm(Form):
    representative = PersonChoiceField(queryset=Person.objects.none(), required=False, label=_("Representative"))
    representative_name = forms.CharField(required=False, max_length=200, label=_("Or a new representative: name"))
    representative_email = forms.EmailField(required=False, label=_("New representative's e-mail address"))
    deputy = PersonChoiceField(queryset=Person.objects.none(), required=False, label=_("Deputy"))
    deputy_name = forms.CharField(required=False, max_length=200, label=_("Or a new deputy: name"))
    deputy_email = forms.EmailField(required=False, label=_("New deputy's e-mail address"))
    start_date = forms.DateField(widget=DateInput, label=_("From"))
    message = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Message to the coordinator"))

    def __init__(self, *args, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["representative"].queryset = persons
        self.fields["deputy"].queryset = persons

    def clean(self):
        cleaned = super().clean()
        for prefix in ("representative", "deputy"):
            chosen, name, email = cleaned.get(prefix), cleaned.get(f"{prefix}_name"), cleaned.get(f"{prefix}_email")
            if chosen and (name or email):
                self.add_error(f"{prefix}_name", _("Choose a person from the list, or give a new one, not both."))
            elif bool(name) != bool(email):
                self.add_error(f"{prefix}_email" if name else f"{prefix}_name", _("Give both the name and the e-mail address."))
        if not any(cleaned.get(k) for k in ("representative", "representative_email", "deputy", "deputy_email")):
            raise forms.ValidationError(_("Propose a representative, a deputy or both."))
        return cleaned


class ProposalApproveForm(Form):
    start_date = forms.DateField(widget=DateInput, label=_("Seats from"))
    end_date = forms.DateField(widget=DateInput, required=False, label=_("Term ends"), help_text=_("Empty: the body's usual term, or open-ended."))
    note = forms.CharField(required=False, max_length=255, label=_("Note"))


class ProposalRejectForm(Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Reason (sent to the participant)"))


# --- Meetings ------------------------------------------------------------------------------------------------


class MeetingForm(ModelForm):
    class Meta:
        model = Meeting
        fields = ["title", "starts_at", "ends_at", "location", "online_link"]
        widgets = {"starts_at": DateTimeInput, "ends_at": DateTimeInput}

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        return cleaned


class MeetingCreateForm(MeetingForm):
    standard_items = forms.BooleanField(
        required=False, initial=True, label=_("Start the agenda with the standard items"),
        help_text=_("Approval of the notice and the agenda, and of the minutes of the last meeting if they await it."),
    )


class AgendaItemForm(ModelForm):
    class Meta:
        model = AgendaItem
        fields = [*ITEM_FIELDS, "approves_meeting"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "proposed_decision": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import previous_meetings_to_approve

        self.fields["approves_meeting"].queryset = previous_meetings_to_approve(meeting)
        self.fields["approves_meeting"].required = False
        self.fields["approves_meeting"].help_text = _("Only for an item of the kind “Approval of minutes”.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == ItemKind.MINUTES_APPROVAL and not cleaned.get("approves_meeting"):
            self.add_error("approves_meeting", _("Choose the meeting whose minutes are to be approved."))
        return cleaned


class ItemDocumentForm(Form):
    file = forms.FileField(label=_("Document (PDF or Word)"), help_text=_("PDF, .docx or .doc, at most 10 MB."))
    title = forms.CharField(required=False, max_length=200, label=_("Title"), help_text=_("Empty: the file name."))
    is_public = forms.BooleanField(
        required=False, initial=True, label=_("May be published"),
        help_text=_("Published with the agenda where the body publishes it."),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        document_kind(uploaded)
        return uploaded


class TransferItemForm(Form):
    meeting = forms.ModelChoiceField(queryset=Meeting.objects.none(), label=_("Move to meeting"))

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = (
            Meeting.objects.filter(body_id=item.body_id, status__in=["planned", "invited"], starts_at__year=item.year)
            .exclude(pk=item.meeting_id)
            .order_by("starts_at")
        )


class AttendanceForm(Form):
    """One status and note per seat holder (and per person already recorded)."""

    def __init__(self, *args, people, recorded: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        for person, label in people:
            current = recorded.get(person.pk)
            self.fields[f"status_{person.pk}"] = forms.ChoiceField(
                choices=AttendanceStatus.choices,
                widget=forms.RadioSelect,
                initial=current.status if current else None,
                required=False,
                label=label,
            )
            self.fields[f"note_{person.pk}"] = forms.CharField(
                required=False, max_length=255, initial=current.note if current else "",
                label=_("Note on %(name)s") % {"name": person.name},
            )

    def entries(self):
        return [
            (person, self.cleaned_data[f"status_{person.pk}"], self.cleaned_data[f"note_{person.pk}"])
            for person, _label in self.people
            if self.cleaned_data.get(f"status_{person.pk}")
        ]


class MinutesForm(Form):
    chaired_by = forms.CharField(required=False, max_length=200, label=_("Chaired by"))
    minutes_by = forms.CharField(required=False, max_length=200, label=_("Minutes taken by"))

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.CharField(
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                initial=item.minutes,
                label=f"{item.reference} {item.title}",
            )

    def minutes(self) -> dict:
        return {item.pk: self.cleaned_data[f"item_{item.pk}"] for item in self.items}


class SubjectTypeField(forms.ModelChoiceField):
    """The kinds of object a decision can be about: the models of the cluster's apps (not the
    secret parts of voting)."""

    APPS = ["members", "billing", "funding", "events", "reporting", "content", "governance"]
    HIDDEN = ["ballot", "pollvoter", "poll", "attendance"]

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "queryset",
            ContentType.objects.filter(app_label__in=self.APPS)
            .exclude(app_label="governance", model__in=self.HIDDEN)
            .order_by("app_label", "model"),
        )
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def label_from_instance(self, obj):
        model = obj.model_class()
        if model is None:
            return obj.app_labeled_name
        return f"{model._meta.app_config.verbose_name}: {model._meta.verbose_name}"


class DecisionLinkForm(Form):
    subject_type = SubjectTypeField(label=_("Decides about (kind)"))
    subject_id = forms.CharField(
        required=False, max_length=64, label=_("Id of the object"),
        help_text=_("The number in the object's address, e.g. 12 in …/12/."),
    )
    subject_label = forms.CharField(
        required=False, max_length=255, label=_("Description"),
        help_text=_("For example: the fee schedule for 2027. Empty: the object's name."),
    )


class DecisionForm(DecisionLinkForm):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label=_("Decision"))
    vote = forms.CharField(required=False, max_length=255, label=_("Vote"), help_text=_("For example: unanimous, or 7 for, 2 against."))
    field_order = ["text", "vote", "subject_type", "subject_id", "subject_label"]


class DecisionEditForm(Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label=_("Decision"))
    vote = forms.CharField(required=False, max_length=255, label=_("Vote"))


# --- Life-cycle moves (see lifecycle.py) -------------------------------------------------------------------------


class ConfirmForm(Form):
    """A move that needs no details: its explanation is the page."""


class NoteForm(Form):
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Note"))


class InvitationForm(Form):
    message = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}), label=_("Message in the invitation"),
        help_text=_("Shown above the agenda."),
    )


class CancelMeetingForm(Form):
    reason = forms.CharField(required=False, max_length=255, label=_("Reason"))
    notify = forms.BooleanField(required=False, initial=True, label=_("Tell those invited"))


class NominationForm(Form):
    nomination_opens_on = forms.DateField(widget=DateInput, label=_("Nominations open"))
    nomination_closes_on = forms.DateField(widget=DateInput, label=_("Nominations close"))


class OpenVotingForm(Form):
    closes_at = forms.DateTimeField(
        widget=DateTimeInput, required=False, label=_("Closes by itself at"),
        help_text=_("Empty: the coordinator closes it."),
    )


class CountForm(NoteForm):
    votes_for = forms.IntegerField(min_value=0, label=_("For"))
    votes_against = forms.IntegerField(min_value=0, label=_("Against"))
    votes_abstain = forms.IntegerField(min_value=0, initial=0, label=_("Abstain"))
    field_order = ["votes_for", "votes_against", "votes_abstain", "note"]


# --- Elections, candidates, motions, proxies, ballots ---------------------------------------------------------


class ElectionForm(ModelForm):
    class Meta:
        model = Election
        fields = ["title", "seat_body", "seat_role", "seats", "term_start", "term_end", "is_secret", "description"]
        widgets = {"term_start": DateInput, "term_end": DateInput, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seat_body"].queryset = Body.objects.filter(is_active=True)


class CandidateForm(Form):
    person = PersonChoiceField(queryset=Person.objects.order_by("name"), label=_("Person"))
    participant = forms.ModelChoiceField(queryset=Participant.objects.none(), required=False, label=_("From participant"))
    presentation = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Presentation"))
    nominated_by = forms.CharField(required=False, max_length=200, label=_("Nominated by"))
    consent_given = forms.BooleanField(
        required=False, label=_("The candidate has already consented"),
        help_text=_("Otherwise the candidate is asked by e-mail."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = member_participants()


class ConsentForm(Form):
    consent = forms.ChoiceField(
        choices=[(ConsentStatus.GIVEN, _("Yes, I stand for election")), (ConsentStatus.DECLINED, _("No, I do not stand"))],
        widget=forms.RadioSelect,
        label=_("Your answer"),
    )


class RecordConsentForm(Form):
    consent = forms.ChoiceField(
        choices=[(ConsentStatus.GIVEN, _("Consents")), (ConsentStatus.DECLINED, _("Declines"))],
        widget=forms.RadioSelect,
        label=_("The candidate's answer"),
    )


class MotionForm(ModelForm):
    class Meta:
        model = Motion
        fields = ["title", "text", "proposed_by", "method", "is_secret"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4}), "method": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].initial = MotionMethod.BALLOT
        self.fields["is_secret"].help_text = _("Only for an electronic ballot.")


class ProxyForm(Form):
    giver = forms.ModelChoiceField(queryset=Participant.objects.none(), label=_("Participant giving its proxy"))
    holder = forms.ModelChoiceField(queryset=Participant.objects.none(), label=_("Participant voting for it"))
    note = forms.CharField(required=False, max_length=255, label=_("Note"), help_text=_("For example: proxy letter received 2 March."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["giver"].queryset = member_participants()
        self.fields["holder"].queryset = member_participants()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("giver") and cleaned.get("giver") == cleaned.get("holder"):
            self.add_error("holder", _("A participant cannot give its proxy to itself."))
        return cleaned


class BallotForm(Form):
    """One ballot: for a motion, for / against / abstain; for an election, up to `seats`
    candidates or abstain. `voter` says whose vote it is."""

    voter = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, poll, voter_id: int, label: str, **kwargs):
        kwargs.setdefault("prefix", f"v{voter_id}")
        super().__init__(*args, initial={"voter": voter_id}, **kwargs)
        self.poll = poll
        if poll.election_id:
            self.fields["candidates"] = forms.ModelMultipleChoiceField(
                queryset=poll.candidates.select_related("person").order_by("person__name"),
                widget=forms.CheckboxSelectMultiple,
                required=False,
                label=_("Vote for at most %(seats)s – %(voter)s") % {"seats": poll.seats, "voter": label}
                if poll.seats > 1
                else _("Vote for one – %(voter)s") % {"voter": label},
            )
            self.fields["candidates"].label_from_instance = lambda c: c.person.name + (f" ({c.participant})" if c.participant_id else "")
            self.fields["abstain"] = forms.BooleanField(required=False, label=_("Abstain (blank vote)"))
        else:
            self.fields["choice"] = forms.ChoiceField(
                choices=[(c, BallotChoice(c).label) for c in (BallotChoice.FOR, BallotChoice.AGAINST, BallotChoice.ABSTAIN)],
                widget=forms.RadioSelect,
                label=_("Your vote – %(voter)s") % {"voter": label},
            )

    def clean(self):
        cleaned = super().clean()
        if self.poll.election_id:
            chosen = cleaned.get("candidates") or []
            if cleaned.get("abstain") and chosen:
                raise forms.ValidationError(_("Choose candidates or abstain, not both."))
            if not cleaned.get("abstain") and not chosen:
                raise forms.ValidationError(_("Choose a candidate, or abstain."))
            if len(chosen) > self.poll.seats:
                self.add_error("candidates", _("Choose at most %(seats)s.") % {"seats": self.poll.seats})
        return cleaned

    def vote(self) -> dict:
        if self.poll.election_id:
            if self.cleaned_data.get("abstain"):
                return {"choice": BallotChoice.ABSTAIN, "candidate_ids": []}
            return {"choice": BallotChoice.CANDIDATES, "candidate_ids": [c.pk for c in self.cleaned_data["candidates"]]}
        return {"choice": self.cleaned_data["choice"], "candidate_ids": []}
