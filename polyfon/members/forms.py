"""Input parsing and field validation for the register. Rules that span rows live in services."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from polyfon.content.models import WorkArea
from polyfon.core.forms import DateInput, Form, HoneypotField, ModelForm
from polyfon.core.validators import clean_org_number, clean_phone, validate_pdf_upload

from .models import (
    AdmissionRound,
    ContactRole,
    FeeCategory,
    Municipality,
    Network,
    Organisation,
    OrganisationKind,
    Participant,
    ParticipantKind,
    Person,
)
from .services import CONTACT_EDITABLE_ORGANISATION_FIELDS, ORGANISATION_FIELDS


class OrgNumberField(forms.CharField):
    """Accepts '995 525 828' or '995525828'; returns the 9 digits after the MOD11 check."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 15)
        kwargs.setdefault("label", _("Organisation number"))
        kwargs.setdefault("help_text", _("9 digits, as in the Brønnøysund Register Centre."))
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean(self, value):
        value = super().clean(value)
        return clean_org_number(value) if value else value


class PhoneField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 25)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.input_type = "tel"
        self.widget.attrs.setdefault("autocomplete", "tel")

    def clean(self, value):
        return clean_phone(super().clean(value))


class MunicipalityChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Municipality.objects.select_related("county"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Municipality"))
        super().__init__(**kwargs)


class OrganisationForm(ModelForm):
    org_number = OrgNumberField()
    municipality = MunicipalityChoiceField()

    class Meta:
        model = Organisation
        fields = [f for f in ORGANISATION_FIELDS if f != "county"]


class ContactOrganisationForm(ModelForm):
    """What a participant's contact may change about their organisation."""

    class Meta:
        model = Organisation
        fields = CONTACT_EDITABLE_ORGANISATION_FIELDS


class PersonForm(ModelForm):
    phone = PhoneField(label=_("Phone"))
    organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.order_by("name"), required=False, label=_("Affiliations")
    )

    class Meta:
        model = Person
        fields = ["name", "email", "phone", "title", "student_level", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["organisations"].initial = list(self.instance.organisations.values_list("pk", flat=True))

    def validate_unique(self):
        # The services check e-mail uniqueness (case-insensitively) and say so at the field.
        pass


class ContactPersonForm(ModelForm):
    """A contact person as the participant's own contact edits it."""

    phone = PhoneField(label=_("Phone"))

    class Meta:
        model = Person
        fields = ["name", "email", "phone", "title", "language"]

    def validate_unique(self):
        pass


class ParticipantForm(ModelForm):
    work_areas = forms.ModelMultipleChoiceField(
        queryset=WorkArea.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Work areas of interest"),
    )

    class Meta:
        model = Participant
        fields = ["name", "kind", "fee_category", "invoice_split", "network", "work_areas", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = Network.objects.filter(is_active=True)


class ParticipantCreateForm(ParticipantForm):
    lead_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.order_by("name"),
        label=_("Lead organisation"),
        help_text=_("A single participant's organisation, or the lead of a sub-group."),
    )
    other_organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.order_by("name"),
        required=False,
        label=_("Other organisations in the sub-group"),
        help_text=_("Only for sub-groups. Shares of the fee are set on the participant's page."),
    )

    class Meta(ParticipantForm.Meta):
        fields = ["name", "kind", "fee_category", "network", "work_areas", "description"]


class OrganisationEntryForm(Form):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.order_by("name"), label=_("Organisation"))
    is_lead = forms.BooleanField(required=False, label=_("Lead"))
    invoice_share = forms.DecimalField(
        required=False, min_value=Decimal("0"), max_value=Decimal("100"), decimal_places=2, label=_("Share (%)")
    )


OrganisationEntryFormSet = formset_factory(OrganisationEntryForm, extra=2, can_delete=True)


class ContactAddForm(Form):
    role = forms.ChoiceField(choices=ContactRole.choices, label=_("Role"))
    person = forms.ModelChoiceField(
        queryset=Person.objects.order_by("name"),
        required=False,
        label=_("Existing person"),
        help_text=_("Or leave empty and register a new person below."),
    )
    name = forms.CharField(required=False, max_length=200, label=_("Name"))
    email = forms.EmailField(required=False, label=_("E-mail address"))
    phone = PhoneField(label=_("Phone"))
    title = forms.CharField(required=False, max_length=150, label=_("Title"))

    def __init__(self, *args, person_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        if person_queryset is not None:
            self.fields["person"].queryset = person_queryset

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("person"):
            if not cleaned.get("name"):
                self.add_error("name", _("Enter the new person's name, or choose an existing person."))
            if not cleaned.get("email"):
                self.add_error("email", _("Enter the new person's e-mail address, or choose an existing person."))
        return cleaned


# --- Life-cycle moves (see lifecycle.MOVES) ----------------------------------------------------------


class NoteForm(Form):
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Note (reason)"))


class RecordLetterForm(NoteForm):
    received_on = forms.DateField(widget=DateInput, label=_("Received"))
    field_order = ["received_on", "note"]


class AdmitForm(NoteForm):
    signed_on = forms.DateField(widget=DateInput, label=_("Agreement signed"))
    start_date = forms.DateField(widget=DateInput, label=_("Membership starts"))
    notice_period_months = forms.IntegerField(
        min_value=0, max_value=60, initial=12, label=_("Notice period (months)"),
        help_text=_("The consortium agreement's notice period; 12 months unless the agreement says otherwise."),
    )
    document = forms.FileField(required=False, label=_("Signed agreement (PDF)"))
    field_order = ["signed_on", "start_date", "notice_period_months", "document", "note"]

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document:
            validate_pdf_upload(document)
        return document


class GiveNoticeForm(NoteForm):
    notice_date = forms.DateField(widget=DateInput, label=_("Notice received"))
    field_order = ["notice_date", "note"]


class EndMembershipForm(NoteForm):
    ended_on = forms.DateField(widget=DateInput, label=_("Last day of membership"))
    field_order = ["ended_on", "note"]


class DocumentUploadForm(Form):
    file = forms.FileField(label=_("Document (PDF)"), help_text=_("PDF, at most 10 MB. Earlier versions are kept."))
    note = forms.CharField(required=False, max_length=255, label=_("Note"))

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        validate_pdf_upload(uploaded)
        return uploaded


class AdmissionRoundForm(ModelForm):
    class Meta:
        model = AdmissionRound
        fields = ["name", "opens_on", "letter_deadline", "agreement_by", "intro"]
        widgets = {
            "opens_on": DateInput,
            "letter_deadline": DateInput,
            "agreement_by": DateInput,
            "intro": forms.Textarea(attrs={"rows": 4}),
        }


class BrregImportForm(Form):
    file = forms.FileField(
        label=_("File from the Brønnøysund Register Centre (JSON)"),
        help_text=_("The register's own JSON format, as downloaded from data.brreg.no (a list of units)."),
    )

    def clean_file(self):
        from django.conf import settings

        uploaded = self.cleaned_data["file"]
        if uploaded.size > settings.MAX_IMPORT_UPLOAD_BYTES:
            raise ValidationError(_("The file is too large."))
        if not uploaded.name.lower().endswith(".json"):
            raise ValidationError(_("Choose a JSON file (.json)."))
        return uploaded


# --- The join page ---------------------------------------------------------------------------------------------


class LetterOfIntentForm(Form):
    organisation_name = forms.CharField(max_length=200, label=_("Organisation"))
    org_number = OrgNumberField()
    organisation_kind = forms.ChoiceField(choices=OrganisationKind.choices, label=_("Kind of organisation"))
    participation_kind = forms.ChoiceField(
        choices=ParticipantKind.choices,
        widget=forms.RadioSelect,
        initial=ParticipantKind.SINGLE,
        label=_("We wish to participate as"),
    )
    group_name = forms.CharField(
        required=False, max_length=200, label=_("Name of the sub-group"), help_text=_("Only for sub-groups.")
    )
    other_organisations = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Other organisations in the sub-group"),
        help_text=_("One per line: name, organisation number. For example: Askøy kommune, 964338531"),
    )
    intended_fee_category = forms.ChoiceField(
        choices=FeeCategory.choices,
        widget=forms.RadioSelect,
        initial=FeeCategory.ORDINARY,
        label=_("Intended fee category"),
    )
    contact_name = forms.CharField(max_length=200, label=_("Contact person"))
    contact_title = forms.CharField(required=False, max_length=150, label=_("Title or position"))
    contact_email = forms.EmailField(label=_("E-mail address"))
    contact_phone = PhoneField(label=_("Phone"))
    message = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), label=_("Message"))
    # Left empty by people, filled by bots.
    website = HoneypotField(label=_("Leave this field empty"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation_name"].widget.attrs["autocomplete"] = "organization"
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"

    def clean_other_organisations(self):
        text = self.cleaned_data.get("other_organisations", "")
        organisations, problems = [], []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            name, _sep, org_number = line.rpartition(",")
            try:
                org_number = clean_org_number(org_number.strip())
            except ValidationError as error:
                problems.append(_("Line %(line)s: %(error)s") % {"line": number, "error": error.messages[0]})
                continue
            if not name.strip():
                problems.append(_("Line %(line)s: write the organisation's name before the comma.") % {"line": number})
                continue
            organisations.append({"name": name.strip(), "org_number": org_number})
        if problems:
            raise ValidationError(problems)
        return organisations

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("participation_kind") == ParticipantKind.GROUP:
            if not cleaned.get("group_name"):
                self.add_error("group_name", _("Give the sub-group a name."))
            if "other_organisations" in cleaned and not cleaned["other_organisations"]:
                self.add_error("other_organisations", _("Name the other organisations of the sub-group."))
        return cleaned

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))
