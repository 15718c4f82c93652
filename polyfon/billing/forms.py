"""Input parsing and field validation for the money side. Rules that span rows live in services."""

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from polyfon.core.dates import local_today
from polyfon.core.forms import DateInput, Form, ModelForm
from polyfon.core.validators import clean_account_number
from polyfon.members.forms import OrgNumberField, PhoneField
from polyfon.members.models import FeeCategory, Organisation, Participant

from .models import BillingSettings, FeeSchedule, ImportFormat, Invoice, NumberSeries
from .services.schedules import SCHEDULE_FIELDS, SETTINGS_FIELDS

MONEY = {"max_digits": 12, "decimal_places": 2}


class MoneyField(forms.DecimalField):
    """Accepts Norwegian input: '150 000', '150000,50'."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\xa0", "").replace(" ", "").replace("kr", "").replace(",", ".")
        return super().to_python(value)


class FeeScheduleForm(ModelForm):
    supplier_org_number = OrgNumberField(label=_("Supplier organisation number"))
    supplier_bank_account = forms.CharField(
        max_length=20, label=_("Bank account number"), help_text=_("11 digits, e.g. 5205 12 34561.")
    )
    supplier_phone = PhoneField(label=_("Supplier phone"))
    rate_ordinary = MoneyField(required=False, min_value=Decimal("0"), label=_("Fee: ordinary participant"))
    rate_large = MoneyField(required=False, min_value=Decimal("0"), label=_("Fee: large participant"))
    rate_group = MoneyField(required=False, min_value=Decimal("0"), label=_("Fee: sub-group"))

    class Meta:
        model = FeeSchedule
        fields = SCHEDULE_FIELDS
        widgets = {"decided_on": DateInput}

    field_order = ["year", "decided_on", "decision_reference", "rate_ordinary", "rate_large", "rate_group",
                   "first_year_discount"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for rate in self.instance.rates.all():
                self.fields[f"rate_{rate.category}"].initial = rate.amount

    def clean_supplier_bank_account(self):
        return clean_account_number(self.cleaned_data["supplier_bank_account"])

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(f"rate_{c}") is not None for c in FeeCategory.values):
            raise ValidationError(_("Give the fee of at least one fee category."))
        return cleaned

    def rates(self) -> dict:
        return {c: self.cleaned_data.get(f"rate_{c}") for c in FeeCategory.values}

    def schedule_values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in SCHEDULE_FIELDS}

    def validate_unique(self):
        # The service says "already a schedule for that year" at the field.
        pass


class InvoiceRunForm(Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, label=_("Year"))
    issue_date = forms.DateField(widget=DateInput, label=_("Invoice date"))


class InvoiceRunExecuteForm(Form):
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)
    issue_date = forms.DateField(widget=forms.HiddenInput)
    send = forms.BooleanField(
        required=False,
        initial=True,
        label=_("Send the invoices now"),
        help_text=_("EHF to organisations that receive it, e-mail with the PDF to the others."),
    )


class InvoiceForm(Form):
    buyer = forms.ModelChoiceField(queryset=Organisation.objects.order_by("name"), label=_("Buyer (the organisation invoiced)"))
    participant = forms.ModelChoiceField(
        queryset=Participant.objects.order_by("name"),
        required=False,
        label=_("Participant"),
        help_text=_("The participant the invoice belongs to; its contact persons see it on their pages."),
    )
    year = forms.IntegerField(min_value=2000, max_value=2100, label=_("Year the invoice is for"))
    issue_date = forms.DateField(widget=DateInput, label=_("Invoice date"))
    due_date = forms.DateField(
        widget=DateInput, required=False, label=_("Due date"), help_text=_("Empty: the payment terms of the fee schedule.")
    )
    buyer_reference = forms.CharField(
        max_length=100, required=False, label=_("Buyer reference"),
        help_text=_("Empty: the buyer reference registered on the organisation."),
    )
    note = forms.CharField(max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Note on the invoice"))
    send = forms.BooleanField(required=False, initial=True, label=_("Send the invoice now"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("due_date") and cleaned.get("issue_date") and cleaned["due_date"] < cleaned["issue_date"]:
            self.add_error("due_date", _("The due date cannot be before the invoice date."))
        return cleaned


class InvoiceLineForm(Form):
    description = forms.CharField(max_length=300, required=False, label=_("Description"))
    quantity = forms.DecimalField(max_digits=9, decimal_places=2, required=False, initial=Decimal("1"),
                                  validators=[MinValueValidator(Decimal("0.01"))], label=_("Quantity"))
    unit_price = MoneyField(required=False, min_value=Decimal("0"), label=_("Unit price (excl. VAT)"))

    def clean(self):
        cleaned = super().clean()
        filled = [cleaned.get("description"), cleaned.get("unit_price") is not None]
        if any(filled) and not all(filled):
            raise ValidationError(_("A line needs both a description and a unit price."))
        return cleaned


InvoiceLineFormSet = formset_factory(InvoiceLineForm, extra=3, max_num=20)


class CreditNoteForm(Form):
    WHOLE, PART = "whole", "part"
    scope = forms.ChoiceField(
        choices=[(WHOLE, _("Everything not yet credited")), (PART, _("Part of the amount"))],
        widget=forms.RadioSelect,
        initial=WHOLE,
        label=_("What to credit"),
    )
    amount = MoneyField(
        required=False, min_value=Decimal("0.01"), label=_("Amount to credit (excl. VAT)"),
        help_text=_("Only when crediting part of the amount."),
    )
    reason = forms.CharField(max_length=300, label=_("Reason"), help_text=_("Printed on the credit note."))
    correct = forms.BooleanField(
        required=False, label=_("Then issue a corrected invoice"),
        help_text=_("Opens a new invoice filled in from this one, for you to correct and issue."),
    )
    send = forms.BooleanField(required=False, initial=True, label=_("Send the credit note now"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == self.PART and cleaned.get("amount") is None:
            self.add_error("amount", _("Give the amount to credit."))
        return cleaned


class PaymentForm(Form):
    amount = MoneyField(label=_("Amount"), help_text=_("Negative for money paid back (a refund)."))
    paid_on = forms.DateField(widget=DateInput, label=_("Paid on"))
    reference = forms.CharField(max_length=100, required=False, label=_("Bank reference"))
    note = forms.CharField(max_length=300, required=False, label=_("Note"))


class PaymentImportForm(Form):
    format = forms.ChoiceField(choices=ImportFormat.choices, widget=forms.RadioSelect, initial=ImportFormat.OCR,
                               label=_("Kind of file"))
    file = forms.FileField(
        label=_("File"),
        help_text=_("An OCR giro file from Nets (OCR.*.txt), or a bank statement exported as CSV."),
    )

    def clean(self):
        cleaned = super().clean()
        uploaded, fmt = cleaned.get("file"), cleaned.get("format")
        if not uploaded or not fmt:
            return cleaned
        if uploaded.size > settings.MAX_IMPORT_UPLOAD_BYTES:
            self.add_error("file", _("The file is too large."))
            return cleaned
        head = uploaded.read(2048)
        uploaded.seek(0)
        if b"\x00" in head:
            self.add_error("file", _("This is not a text file."))
        elif fmt == ImportFormat.OCR and not head.lstrip(b"\xef\xbb\xbf").startswith(b"NY000010"):
            self.add_error("file", _("This is not an OCR giro file from Nets (it should start with NY000010)."))
        elif fmt == ImportFormat.CSV and head.lstrip(b"\xef\xbb\xbf").startswith(b"NY000010"):
            self.add_error("file", _("This looks like an OCR giro file; choose “Nets OCR giro”."))
        return cleaned


class ResolveLineForm(Form):
    invoice = forms.CharField(
        max_length=30, required=False, label=_("Book on invoice number"),
        help_text=_("For a payment without a known KID: the invoice it pays. Leave empty to only record what was done."),
    )
    note = forms.CharField(max_length=300, label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}))

    def clean_invoice(self):
        value = self.cleaned_data["invoice"].strip()
        if not value:
            return None
        invoice = Invoice.objects.select_related("series").filter(kid=value).first()
        if invoice is None:
            digits = "".join(c for c in value if c.isdigit())
            candidates = Invoice.objects.select_related("series").filter(number=int(digits)) if digits else []
            invoice = next((i for i in candidates if i.display_number == value or str(i.number) == value), None)
        if invoice is None:
            raise ValidationError(_("No invoice has the number or KID %(value)s."), params={"value": value})
        return invoice


class ReminderForm(Form):
    new_due_date = forms.DateField(widget=DateInput, label=_("New deadline"), help_text=_("At least 14 days from today."))

    def clean_new_due_date(self):
        value = self.cleaned_data["new_due_date"]
        if value < local_today() + timedelta(days=14):
            raise ValidationError(_("The new deadline must be at least 14 days from today."))
        return value


class BillingSettingsForm(ModelForm):
    class Meta:
        model = BillingSettings
        fields = SETTINGS_FIELDS


class NumberSeriesForm(ModelForm):
    class Meta:
        model = NumberSeries
        fields = ["prefix", "next_number"]
