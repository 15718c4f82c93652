"""Input parsing and field validation for calls, applications, reviews and projects.
Rules that span rows (eligibility, conflicts, budgets, deadlines) live in the services."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from polyfon.content.models import WorkArea
from polyfon.core.forms import DateInput, DateTimeInput, Form, ModelForm
from polyfon.core.validators import clean_org_number, clean_phone, validate_pdf_upload
from polyfon.members.models import MEMBER_STATES, Organisation, Participant, Person

from .models import (
    Application,
    AttachmentKind,
    BudgetCategory,
    Call,
    FundingStatus,
    Grant,
    GrantOutput,
    Outcome,
    OutputKind,
    ProposedOutcome,
    TeamRole,
)
from .services.applications import ASSOCIATE_STATES
from .services.calls import CALL_FIELDS


class MoneyField(forms.DecimalField):
    """Kroner as Norwegians write them: '150 000', '150000', '1 234,50'. Always a Decimal."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0"))
        super().__init__(**kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[\s\u00a0\u202f]", "", value).removesuffix("kr").removeprefix("NOK")
            if value.count(",") == 1 and "." not in value:
                value = value.replace(",", ".")
            if value:
                try:
                    Decimal(value)
                except InvalidOperation:
                    raise ValidationError(_("Write an amount in kroner, e.g. 150 000 or 1 234,50."), code="invalid") from None
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")
        return value


def pdf_field(label, *, required=True, help_text=None) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


# --- Calls (office) --------------------------------------------------------------------------------------------


class CallForm(ModelForm):
    required_attachments = forms.MultipleChoiceField(
        choices=[c for c in AttachmentKind.choices if c[0] != AttachmentKind.OTHER],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Attachments asked for (PDF)"),
    )
    work_areas = forms.ModelMultipleChoiceField(
        queryset=WorkArea.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Work areas"),
        help_text=_("Leave empty to admit every work area."),
    )
    total_budget = MoneyField(label=_("Total budget (NOK)"))
    max_per_application = MoneyField(label=_("Maximum per application (NOK)"))

    class Meta:
        model = Call
        fields = CALL_FIELDS
        widgets = {
            "opens_at": DateTimeInput,
            "deadline": DateTimeInput,
            "review_due_on": DateInput,
            "eligibility": forms.RadioSelect,
            "review_track": forms.RadioSelect,
            "text": forms.Textarea(attrs={"rows": 10}),
            "text_nn": forms.Textarea(attrs={"rows": 6}),
            "text_en": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {"opens_at": _("Norwegian time."), "deadline": _("Norwegian time, e.g. 1 February at 13:00.")}

    def validate_unique(self):
        # The services say so at the field when a code or short name is taken.
        pass


class CriterionForm(Form):
    name = forms.CharField(max_length=150, label=_("Criterion (bokmål)"))
    name_nn = forms.CharField(max_length=150, required=False, label=_("Criterion (nynorsk)"))
    name_en = forms.CharField(max_length=150, required=False, label=_("Criterion (English)"))
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("What the reviewers look for")
    )
    weight = forms.IntegerField(min_value=1, max_value=100, initial=1, label=_("Weight"))


CriterionFormSet = formset_factory(CriterionForm, extra=2, can_delete=True)


class ReviewerAddForm(Form):
    email = forms.EmailField(
        label=_("E-mail address of the reviewer"),
        help_text=_("A person in the register with a login. Secretariat calls take coordinators only."),
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        person = Person.objects.select_related("user").filter(email__iexact=email).first()
        if person is None:
            raise ValidationError(_("No person in the register has this e-mail address."))
        self.person = person
        return email


# --- The applicant ------------------------------------------------------------------------------------------------


def organisations_of_eligible_participants():
    return (
        Organisation.objects.filter(memberships__participant__status__in=[*MEMBER_STATES, *ASSOCIATE_STATES])
        .distinct()
        .order_by("name")
    )


class ApplicantProfileForm(Form):
    name = forms.CharField(max_length=200, label=_("Your name"))
    title = forms.CharField(max_length=150, required=False, label=_("Title or position"))
    phone = forms.CharField(max_length=25, required=False, label=_("Phone"))
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Your employer"),
        help_text=_("The organisation you work for. Only organisations of the cluster's participants are listed."),
    )
    language = forms.ChoiceField(
        choices=[("nb", "Norsk bokmål"), ("nn", "Norsk nynorsk"), ("en", "English")],
        label=_("Language of e-mails to you"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_of_eligible_participants()
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.input_type = "tel"
        self.fields["phone"].widget.attrs["autocomplete"] = "tel"

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone", ""))


class ApplicationStartForm(Form):
    title = forms.CharField(
        max_length=250, label=_("Project title"), help_text=_("You can change it later, until you submit.")
    )


def _needed_later(field) -> None:
    """Show the field as required, but accept it empty when a draft is saved."""
    field.required = True
    original = field.validate

    def validate(value):
        if value in field.empty_values:
            return
        original(value)

    field.validate = validate


class ApplicationForm(ModelForm):
    partner_participants = forms.ModelMultipleChoiceField(
        queryset=Participant.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Partner participants"),
        help_text=_("Other participants of the cluster that take part in the project."),
    )

    class Meta:
        model = Application
        fields = [
            "title",
            "lead_participant",
            "partner_participants",
            "work_area",
            "start_date",
            "end_date",
            "summary",
            "description",
            "student_work",
            "previous_funding_report",
        ]
        widgets = {
            "start_date": DateInput,
            "end_date": DateInput,
            "summary": forms.Textarea(attrs={"rows": 5, "maxlength": 1500}),
            "description": forms.Textarea(attrs={"rows": 14}),
            "student_work": forms.Textarea(attrs={"rows": 3}),
            "previous_funding_report": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, lead_choices, partner_choices, work_areas, asks_for_report: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_participant"].queryset = lead_choices
        self.fields["lead_participant"].help_text = _(
            "The member of the cluster you work for. If it is missing, add your employer in your details."
        )
        self.fields["partner_participants"].queryset = partner_choices
        self.fields["work_area"].queryset = work_areas
        if not asks_for_report:
            del self.fields["previous_funding_report"]
        else:
            self.fields["previous_funding_report"].help_text = _(
                "You have had funds from the cluster before. Report on the progress of that project and how the funds were used."
            )
        # Needed for submission, so marked as required; but a draft can be saved half-written:
        # completeness is checked (and explained) when the application is submitted.
        for name in ["lead_participant", "work_area", "start_date", "end_date", "summary", "description"]:
            _needed_later(self.fields[name])


class BudgetLineForm(Form):
    # A blank first choice, so an untouched empty row stays unchanged and is ignored.
    category = forms.ChoiceField(choices=[("", "---------"), *BudgetCategory.choices], label=_("Category"))
    description = forms.CharField(max_length=250, label=_("Description"))
    requested = MoneyField(label=_("Requested from the cluster (NOK)"))
    own_contribution = MoneyField(label=_("Own contribution (NOK)"), required=False)


BudgetLineFormSet = formset_factory(BudgetLineForm, extra=2, can_delete=True)


class TeamMemberForm(Form):
    name = forms.CharField(max_length=200, label=_("Name"))
    role = forms.ChoiceField(choices=[("", "---------"), *TeamRole.choices], label=_("Role"))
    email = forms.EmailField(required=False, label=_("E-mail address"))
    organisation = forms.CharField(max_length=200, required=False, label=_("Organisation"))
    thesis_title = forms.CharField(
        max_length=250, required=False, label=_("Thesis title"), help_text=_("For master's students and PhD candidates.")
    )


TeamFormSet = formset_factory(TeamMemberForm, extra=2, can_delete=True)


class ExternalPartnerForm(Form):
    organisation_name = forms.CharField(max_length=200, label=_("Organisation"))
    org_number = forms.CharField(
        max_length=15, required=False, label=_("Organisation number"), help_text=_("Norwegian organisations only.")
    )
    contact_name = forms.CharField(max_length=200, required=False, label=_("Contact person"))
    contact_email = forms.EmailField(required=False, label=_("Contact e-mail"))
    contribution = forms.CharField(max_length=300, required=False, label=_("Contribution"))

    def clean_org_number(self):
        value = self.cleaned_data.get("org_number", "")
        return clean_org_number(value) if value.strip() else ""


ExternalPartnerFormSet = formset_factory(ExternalPartnerForm, extra=1, can_delete=True)


class AttachmentForm(Form):
    kind = forms.ChoiceField(choices=AttachmentKind.choices, label=_("What the file is"))
    file = pdf_field(_("File (PDF)"))

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = call.attachment_max_bytes
        asked = [k for k in call.required_attachments if k in AttachmentKind.values]
        labels = dict(AttachmentKind.choices)
        self.fields["kind"].choices = [(k, labels[k]) for k in asked] + [(AttachmentKind.OTHER, labels[AttachmentKind.OTHER])]
        self.fields["file"].help_text = _("PDF only, at most %(mb)s MB.") % {"mb": self.max_bytes // (1024 * 1024)}

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        validate_pdf_upload(uploaded, max_bytes=self.max_bytes)
        return uploaded


class SubmitForm(Form):
    confirm = forms.BooleanField(
        label=_("I confirm that the information is correct and that the lead participant supports the application.")
    )


class WithdrawForm(Form):
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Reason (optional)"))
    confirm = forms.BooleanField(label=_("Yes, withdraw the application."))


# --- The coordinator on applications ------------------------------------------------------------------------------


class ReopenForm(Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Reason"))
    until = forms.DateTimeField(
        widget=DateTimeInput, label=_("Open for changes until"), help_text=_("Norwegian time.")
    )


class AssignReviewerForm(Form):
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Reviewer"))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = candidates


class ProposalForm(Form):
    outcome = forms.ChoiceField(
        choices=ProposedOutcome.choices, widget=forms.RadioSelect, required=False, label=_("Proposal to the steering group")
    )
    amount = MoneyField(required=False, label=_("Amount to grant (NOK)"))
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Note on the proposal"))


class DecisionForm(Form):
    outcome = forms.ChoiceField(choices=Outcome.choices, widget=forms.RadioSelect, label=_("Decision"))
    amount = MoneyField(required=False, label=_("Granted amount (NOK)"))
    meeting_reference = forms.CharField(
        max_length=200, label=_("Meeting"), help_text=_("E.g. “Steering group 12 March 2026, item 7/26”.")
    )
    decided_on = forms.DateField(widget=DateInput, label=_("Decided"))
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Note to the applicant"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == Outcome.GRANTED and not cleaned.get("amount"):
            self.add_error("amount", _("Give the granted amount."))
        return cleaned


class MeetingForm(Form):
    meeting_reference = forms.CharField(
        max_length=200, label=_("Meeting"), help_text=_("E.g. “Steering group 12 March 2026, item 7/26”.")
    )
    decided_on = forms.DateField(widget=DateInput, label=_("Decided"))


class DecisionRowForm(Form):
    application = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        choices=[("", _("Not decided in this meeting")), *Outcome.choices], required=False, label=_("Decision")
    )
    amount = MoneyField(required=False, label=_("Granted amount (NOK)"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == Outcome.GRANTED and not cleaned.get("amount"):
            self.add_error("amount", _("Give the granted amount."))
        return cleaned


DecisionRowFormSet = formset_factory(DecisionRowForm, extra=0)


# --- Reviewers --------------------------------------------------------------------------------------------------


class DeclarationForm(Form):
    has_conflict = forms.TypedChoiceField(
        choices=[("no", _("I have no conflict of interest")), ("yes", _("I have a conflict of interest"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        label=_("Conflict of interest"),
        help_text=_(
            "You have a conflict of interest if you are close to the applicants, have worked with them recently, "
            "or could gain or lose from the decision."
        ),
    )
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("If so: what is the conflict?")
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("has_conflict") and not cleaned.get("note", "").strip():
            self.add_error("note", _("Say briefly what the conflict of interest is."))
        return cleaned


class ReviewForm(Form):
    """One score field per criterion of the call, then the comments."""

    comment = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        label=_("Comment on the application"),
        help_text=_("May be sent to the applicant (without your name) if the application is declined."),
    )
    confidential_comment = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Comment to the coordinator and the steering group"),
        help_text=_("Never shown to the applicant."),
    )

    def __init__(self, *args, criteria, score_max: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        scores = {}
        choices = [("", _("Not scored yet"))] + [(str(n), str(n)) for n in range(1, score_max + 1)]
        for criterion in self.criteria:
            name = f"criterion_{criterion.pk}"
            scores[name] = forms.TypedChoiceField(
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                label=_("%(criterion)s (weight %(weight)s)") % {"criterion": criterion.display_name, "weight": criterion.weight},
                help_text=criterion.description or _("1 is the lowest score, %(max)s the highest.") % {"max": score_max},
            )
        self.fields = {**scores, **self.fields}
        for field in scores.values():
            field.widget.attrs["class"] = "ds-input"

    def scores(self) -> dict[int, int | None]:
        return {c.pk: self.cleaned_data.get(f"criterion_{c.pk}") for c in self.criteria}


class NoteForm(Form):
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Note"))


# --- Projects -------------------------------------------------------------------------------------------------------


class GrantForm(ModelForm):
    budget_total = MoneyField(label=_("Total budget incl. own contributions (NOK)"))
    participants = forms.ModelMultipleChoiceField(
        queryset=Participant.objects.order_by("name"), required=False, label=_("Participants")
    )

    class Meta:
        model = Grant
        fields = ["title", "start_date", "end_date", "budget_total", "participants", "note"]
        widgets = {"start_date": DateInput, "end_date": DateInput, "note": forms.Textarea(attrs={"rows": 3})}


class CancelForm(Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Reason"))


class PaymentForm(Form):
    due_on = forms.DateField(widget=DateInput, label=_("Planned"))
    amount = MoneyField(label=_("Amount (NOK)"))
    note = forms.CharField(max_length=250, required=False, label=_("Note"))


class PaymentMadeForm(Form):
    paid_on = forms.DateField(widget=DateInput, label=_("Paid"))
    reference = forms.CharField(max_length=100, required=False, label=_("Voucher or payment reference"))


class StudentForm(Form):
    name = forms.CharField(max_length=200, label=_("Name"))
    email = forms.EmailField(label=_("E-mail address"))
    level = forms.ChoiceField(
        choices=[(TeamRole.MASTER, TeamRole.MASTER.label), (TeamRole.PHD, TeamRole.PHD.label)], label=_("Level")
    )
    thesis_title = forms.CharField(max_length=250, required=False, label=_("Thesis title"))
    institution = forms.CharField(max_length=200, required=False, label=_("University or college"))
    started_on = forms.DateField(widget=DateInput, required=False, label=_("Started"))
    completed_on = forms.DateField(widget=DateInput, required=False, label=_("Completed"))


class OutputForm(ModelForm):
    amount_applied = MoneyField(required=False, label=_("Amount applied for (NOK)"))
    amount_won = MoneyField(required=False, label=_("Amount won (NOK)"))

    class Meta:
        model = GrantOutput
        fields = ["kind", "title", "occurred_on", "venue", "doi", "url", "funder", "amount_applied", "funding_status", "amount_won"]
        widgets = {"occurred_on": DateInput}
        help_texts = {
            "doi": _("For publications, e.g. 10.1080/08098131.2021.1234567."),
            "funder": _("For applications for external funding."),
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == OutputKind.FUNDING:
            if not cleaned.get("funder"):
                self.add_error("funder", _("Name the funder the application was sent to."))
            if not cleaned.get("funding_status"):
                self.add_error("funding_status", _("Say whether the funding was won."))
            if cleaned.get("funding_status") == FundingStatus.WON and not cleaned.get("amount_won"):
                self.add_error("amount_won", _("Give the amount won."))
        return cleaned


class ReportForm(Form):
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), label=_("What was done"))
    use_of_funds = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 5}), label=_("Use of funds"))
    spent_amount = MoneyField(required=False, label=_("Spent of the grant (NOK)"))
    file = pdf_field(_("Attachment (PDF)"), required=False, help_text=_("Optional: the full report, accounts or programme."))

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded:
            validate_pdf_upload(uploaded)
        return uploaded


class ReportAssessForm(Form):
    verdict = forms.ChoiceField(
        choices=[("approve", _("Approve the report")), ("return", _("Return the report for changes"))],
        widget=forms.RadioSelect,
        label=_("Assessment"),
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Note to the project leader"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("verdict") == "return" and not cleaned.get("note", "").strip():
            self.add_error("note", _("Tell the project leader what to change."))
        return cleaned
