"""Input parsing and field validation for events. Rules between rows and fields live in services."""

from django import forms
from django.conf import settings
from django.forms import formset_factory
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from polyfon.content.models import WorkArea
from polyfon.core.forms import DateTimeInput, Form, HoneypotField, ModelForm
from polyfon.members.models import OrganisationKind

from . import selectors
from .models import Audience, Event, MessageRecipients, QuestionMode, Registration
from .services import EVENT_FIELDS

# --- The registration form (public page, registration page, office) -------------------------------------------

DATALIST_ID = "organisation-options"


class RegistrationForm(Form):
    """Name, e-mail, organisation (from the register or typed) and the event's questions.

    The organisation field suggests organisations from the register as you type (htmx fills a
    <datalist>); without JavaScript the typed name or organisation number is matched the same way."""

    name = forms.CharField(max_length=200, label=_("Name"))
    email = forms.EmailField(label=_("E-mail address"), help_text=_("The confirmation and your personal link are sent here."))
    organisation = forms.CharField(
        max_length=200,
        label=_("Organisation"),
        help_text=_("Start typing to choose from the register, or write the name."),
    )
    organisation_kind = forms.ChoiceField(
        required=False,
        choices=[("", _("– choose –")), *OrganisationKind.choices],
        label=_("Kind of organisation"),
        help_text=_("Only needed if your organisation is not suggested from the register."),
    )
    role = forms.CharField(max_length=150, label=_("Role or position"))
    dietary_needs = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Dietary needs or allergies"),
        help_text=_("Deleted a few days after the event."),
    )
    language = forms.ChoiceField(choices=settings.LANGUAGES, label=_("Language of e-mails"))
    # Left empty by people, filled by bots.
    website = HoneypotField(label=_("Leave this field empty"))

    def __init__(self, *args, event: Event, include_email: bool = True, include_language: bool = False, public: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.questions = list(event.questions.all())
        if not include_email:
            del self.fields["email"]
        if not include_language:
            del self.fields["language"]
        if not public:
            del self.fields["website"]
        for name, mode in (("organisation", event.ask_organisation), ("role", event.ask_role)):
            if mode == QuestionMode.OFF:
                del self.fields[name]
            else:
                self.fields[name].required = mode == QuestionMode.REQUIRED
        if "organisation" not in self.fields:
            del self.fields["organisation_kind"]
        else:
            self.fields["organisation"].widget.attrs.update(
                {
                    "autocomplete": "organization",
                    "list": DATALIST_ID,
                    "hx-get": reverse("events:organisation_suggestions"),
                    "hx-trigger": "input changed delay:300ms",
                    "hx-target": f"#{DATALIST_ID}",
                    "hx-swap": "innerHTML",
                }
            )
        if not event.ask_dietary_needs:
            del self.fields["dietary_needs"]
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        if "email" in self.fields:
            self.fields["email"].widget.attrs["autocomplete"] = "email"
        if "role" in self.fields:
            self.fields["role"].widget.attrs["autocomplete"] = "organization-title"
        for question in self.questions:
            self.fields[question.field_name] = forms.CharField(
                required=question.required,
                max_length=2000,
                label=question.text,
                help_text=question.help_text,
                widget=forms.Textarea(attrs={"rows": 2, "class": "ds-input"}),
            )
        if "website" in self.fields:
            self.order_fields([n for n in self.fields if n != "website"] + ["website"])

    @classmethod
    def initial_for(cls, registration: Registration) -> dict:
        initial = {
            "name": registration.name,
            "email": registration.email,
            "organisation": registration.organisation_display,
            "organisation_kind": registration.organisation_kind,
            "role": registration.role,
            "dietary_needs": registration.dietary_needs,
            "language": registration.language,
        }
        if registration.organisation_id:
            initial["organisation"] = selectors.organisation_option(registration.organisation)
        for key, value in registration.answers.items():
            initial[f"question_{key}"] = value
        return initial

    def clean(self):
        cleaned = super().clean()
        text = cleaned.get("organisation", "")
        cleaned["organisation_obj"] = selectors.organisation_matching(text) if text else None
        return cleaned

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def service_values(self) -> dict:
        """The cleaned input as the registration services take it."""
        data = self.cleaned_data
        organisation = data.get("organisation_obj")
        values = {
            "name": data["name"],
            "organisation": organisation,
            "organisation_name": "" if organisation else data.get("organisation", ""),
            "organisation_kind": "" if organisation else data.get("organisation_kind", ""),
            "role": data.get("role", ""),
            "dietary_needs": data.get("dietary_needs", ""),
            "answers": {str(q.pk): data.get(q.field_name, "") for q in self.questions},
        }
        if "email" in data:
            values["email"] = data["email"]
        if "language" in data:
            values["language"] = data["language"]
        return values


class ResendLinkForm(Form):
    email = forms.EmailField(label=_("E-mail address"), help_text=_("The address you registered with."))


# --- Colleagues (/min-side/) --------------------------------------------------------------------------------------


class ColleagueForm(Form):
    """One colleague in the contact person's list (empty rows are skipped)."""

    name = forms.CharField(max_length=200, label=_("Name"))
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.CharField(max_length=150, label=_("Role or position"))
    dietary_needs = forms.CharField(required=False, max_length=500, label=_("Dietary needs or allergies"))

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(event.questions.all())
        if event.ask_role == QuestionMode.OFF:
            del self.fields["role"]
        else:
            self.fields["role"].required = event.ask_role == QuestionMode.REQUIRED
        if not event.ask_dietary_needs:
            del self.fields["dietary_needs"]
        for question in self.questions:
            self.fields[question.field_name] = forms.CharField(
                required=question.required,
                max_length=2000,
                label=question.text,
                help_text=question.help_text,
                widget=forms.TextInput(attrs={"class": "ds-input"}),  # added after the base class styled the others
            )

    def entry_values(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "email": data["email"],
            "role": data.get("role", ""),
            "dietary_needs": data.get("dietary_needs", ""),
            "answers": {str(q.pk): data.get(q.field_name, "") for q in self.questions},
        }


def colleague_formset_class(rows: int):
    """A formset of `rows` empty rows (at most 50); rows left empty are skipped."""
    return formset_factory(ColleagueForm, extra=rows, max_num=50, absolute_max=50)


class ColleagueOrganisationForm(Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Their organisation"), empty_label=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = selectors.colleague_organisations(user)


# --- The office ------------------------------------------------------------------------------------------------------


class EventForm(ModelForm):
    audiences = forms.MultipleChoiceField(
        choices=Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Audiences"),
        help_text=_("“Participants only” accepts only people from organisations of the cluster's participants."),
    )
    work_areas = forms.ModelMultipleChoiceField(
        queryset=WorkArea.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Work areas"),
    )

    class Meta:
        model = Event
        fields = [f for f in EVENT_FIELDS] + ["work_areas"]
        widgets = {
            "starts_at": DateTimeInput,
            "ends_at": DateTimeInput,
            "registration_opens_at": DateTimeInput,
            "registration_closes_at": DateTimeInput,
            "description": forms.Textarea(attrs={"rows": 8}),
            "online_details": forms.Textarea(attrs={"rows": 3}),
        }

    field_order = [
        "title", "kind", "is_public", "audiences", "work_areas", "description", "starts_at", "ends_at", "location",
        "online_url", "online_details", "capacity", "registration_opens_at", "registration_closes_at",
        "ask_organisation", "ask_role", "ask_dietary_needs", "reminder_hours", "certificate_hours",
        "keep_dietary_days", "keep_personal_data_days",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["audiences"].initial = self.instance.audience_codes
            self.fields["notify_registrants"] = forms.BooleanField(
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "ds-input"}),
                label=_("E-mail the registered people about a new time, place or link"),
                help_text=_("They get the new details and a new calendar file."),
            )
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            self.fields[name].help_text = (self.fields[name].help_text + " " + str(_("Norwegian time."))).strip()

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The event must end after it starts."))
        return cleaned



class EventCopyForm(Form):
    title = forms.CharField(max_length=200, label=_("Title of the copy"))
    starts_at = forms.DateTimeField(widget=DateTimeInput, label=_("Starts"), help_text=_("Norwegian time."))
    ends_at = forms.DateTimeField(
        widget=DateTimeInput, required=False, label=_("Ends"), help_text=_("Leave empty to keep the length of the original.")
    )
    audiences = forms.MultipleChoiceField(
        choices=Audience.choices, required=False, widget=forms.CheckboxSelectMultiple, label=_("Audiences")
    )


class ConfirmForm(Form):
    """A move that needs no details, only the click."""


class NoteForm(Form):
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Note (reason)"))


class CancelEventForm(Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("Reason"),
        help_text=_("Included in the e-mail to everyone registered."),
    )


class QuestionForm(Form):
    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(max_length=300, label=_("Question"))
    help_text = forms.CharField(required=False, max_length=300, label=_("Help text"))
    required = forms.BooleanField(required=False, label=_("Answer required"))


QuestionFormSet = formset_factory(QuestionForm, extra=2, can_delete=True, max_num=20, absolute_max=20)


class EventMessageForm(Form):
    recipients = forms.ChoiceField(
        choices=MessageRecipients.choices, widget=forms.RadioSelect, initial=MessageRecipients.REGISTERED, label=_("To")
    )
    subject = forms.CharField(max_length=200, label=_("Subject"))
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 10}),
        label=_("Message"),
        help_text=_("Each person gets it with a greeting and the link to their registration, in their language."),
    )
