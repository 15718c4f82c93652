"""The money side: fee schedules, invoices and credit notes, payments and their imports, sending.

An issued invoice or credit note never changes: its buyer, supplier, lines, VAT and totals are
copied from the register when it is issued, and only its settlement (paid, credited, reminded,
the rendered PDF) moves afterwards. A correction is a credit note that references the invoice,
and a new invoice. Writes go through billing.services; reads that pages share are in
billing.selectors.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from polyfon.core.validators import validate_account_number, validate_org_number
from polyfon.members.models import FeeCategory, Organisation, Participant

ZERO = Decimal("0.00")
MONEY = {"max_digits": 12, "decimal_places": 2}
PERCENT_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class VatCategory(models.TextChoices):
    """The VAT categories (UNCL5305) a participation fee can have in EHF."""

    STANDARD = "S", _("VAT at a rate (standard rated)")
    EXEMPT = "E", _("Exempt from VAT")
    NOT_SUBJECT = "O", _("Outside the scope of VAT (not subject to VAT)")


# --- Fee schedules ----------------------------------------------------------------------------------


class FeeSchedule(models.Model):
    """The fees of a year as the steering group decided them, with everything an invoice needs.

    A schedule is in force from its year until the year of the next schedule, so the schedule
    of 2021 also sets the fees of 2022 when nothing new was decided.
    """

    year = models.PositiveSmallIntegerField(
        _("in force from year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    decided_on = models.DateField(_("decided on"))
    decision_reference = models.CharField(
        _("decision reference"), max_length=100, help_text=_("For example the steering group's case number: SG 12/2020.")
    )
    first_year_discount = models.DecimalField(
        _("first-year discount (%)"), max_digits=5, decimal_places=2, default=Decimal("50"), validators=PERCENT_VALIDATORS
    )
    vat_category = models.CharField(
        _("VAT treatment"), max_length=1, choices=VatCategory.choices, default=VatCategory.NOT_SUBJECT
    )
    vat_rate = models.DecimalField(
        _("VAT rate (%)"), max_digits=5, decimal_places=2, default=ZERO, validators=PERCENT_VALIDATORS
    )
    vat_exemption_reason = models.CharField(
        _("reason for the exemption"),
        max_length=200,
        blank=True,
        help_text=_("Printed on the invoice when no VAT is charged, e.g. the section of the VAT Act."),
    )
    payment_terms_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"), default=30, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    return_share = models.DecimalField(
        _("share of the income returned to participants (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("50"),
        validators=PERCENT_VALIDATORS,
        help_text=_("The target for project and seed funds, as a share of the year's fee income."),
    )
    invoice_text = models.CharField(
        _("text of the invoice line"),
        max_length=150,
        help_text=_("The start of each invoice line, e.g. “Deltakeravgift POLYFON”; the year is added."),
    )
    # The supplier (the coordinating university) as it appears on the invoices.
    supplier_name = models.CharField(_("supplier name"), max_length=200)
    supplier_org_number = models.CharField(
        _("supplier organisation number"), max_length=9, validators=[validate_org_number]
    )
    supplier_address = models.CharField(_("supplier street or post box"), max_length=200)
    supplier_postal_code = models.CharField(_("supplier postcode"), max_length=4)
    supplier_postal_place = models.CharField(_("supplier post town"), max_length=100)
    supplier_bank_account = models.CharField(
        _("bank account number"), max_length=11, validators=[validate_account_number]
    )
    supplier_vat_registered = models.BooleanField(_("registered for VAT (MVA)"), default=True)
    supplier_in_business_register = models.BooleanField(
        _("registered in the Register of Business Enterprises"),
        default=False,
        help_text=_("Limited companies and the like print “Foretaksregisteret” on their invoices."),
    )
    supplier_email = models.EmailField(_("supplier e-mail for invoice questions"))
    supplier_phone = models.CharField(_("supplier phone"), max_length=20, blank=True)
    supplier_contact = models.CharField(_("our reference"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("fee schedule")
        verbose_name_plural = _("fee schedules")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(vat_category="S") | Q(vat_rate__gt=0), name="billing_schedule_standard_rate_positive"
            ),
            models.CheckConstraint(
                condition=Q(vat_category="S") | Q(vat_rate=0), name="billing_schedule_exempt_rate_zero"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Fee schedule from %(year)s") % {"year": self.year})

    def get_absolute_url(self) -> str:
        return reverse("billing:fee_schedule_detail", args=[self.pk])

    @property
    def supplier_vat_number(self) -> str:
        """NO999999999MVA when the supplier is registered for VAT, else ''."""
        return f"NO{self.supplier_org_number}MVA" if self.supplier_vat_registered else ""


class FeeRate(models.Model):
    """The yearly fee of one fee category in a schedule."""

    schedule = models.ForeignKey(FeeSchedule, on_delete=models.CASCADE, related_name="rates")
    category = models.CharField(_("fee category"), max_length=10, choices=FeeCategory.choices)
    amount = models.DecimalField(_("fee per year (excl. VAT)"), validators=[MinValueValidator(ZERO)], **MONEY)
    label = models.CharField(
        _("label on the join page"),
        max_length=150,
        blank=True,
        help_text=_("Leave empty to use the category's name."),
    )

    class Meta:
        verbose_name = _("fee rate")
        verbose_name_plural = _("fee rates")
        ordering = ["schedule", "amount", "category"]
        constraints = [models.UniqueConstraint(fields=["schedule", "category"], name="billing_rate_one_per_category")]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.amount}"


# --- Settings the coordinator keeps -----------------------------------------------------------------------


class NumberSeries(models.Model):
    """A gapless sequence of document numbers. Issuing locks the row, takes the next number and
    moves it on in the same transaction as the document, so a rolled-back issue leaves no gap."""

    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    KEYS = [(INVOICE, _("Invoices")), (CREDIT_NOTE, _("Credit notes"))]

    key = models.CharField(_("series"), max_length=20, choices=KEYS, unique=True)
    prefix = models.CharField(_("prefix"), max_length=10, blank=True)
    next_number = models.PositiveIntegerField(_("next number"), default=1, validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("number series")
        verbose_name_plural = _("number series")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.get_key_display()


class BillingSettings(models.Model):
    """The coordinator's settings for reminders (one row)."""

    reminder_interval_days = models.PositiveSmallIntegerField(
        _("days between reminders at least"),
        default=14,
        validators=[MinValueValidator(7), MaxValueValidator(365)],
        help_text=_("An overdue invoice is reminded at most this often."),
    )
    reminder_deadline_days = models.PositiveSmallIntegerField(
        _("new deadline in a reminder (days)"),
        default=14,
        validators=[MinValueValidator(14), MaxValueValidator(60)],
        help_text=_("At least 14 days, as the Debt Collection Act requires."),
    )
    max_reminders = models.PositiveSmallIntegerField(
        _("reminders at most per invoice"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("After this the invoice is listed for the coordinator to follow up by other means."),
    )
    automatic_reminders = models.BooleanField(
        _("send reminders automatically"),
        default=True,
        help_text=_("Every morning, overdue invoices that are due a reminder get one by e-mail."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("billing settings")
        verbose_name_plural = _("billing settings")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(_("Billing settings"))


# --- Invoice runs ------------------------------------------------------------------------------------------


class InvoiceRun(models.Model):
    """An executed annual invoicing of the participants for a year (the preview is not stored).

    A year can be run again later (a participant admitted in the autumn); each run issues only
    what no earlier run issued.
    """

    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    issue_date = models.DateField(_("invoice date"))
    due_date = models.DateField(_("due date"))
    schedule = models.ForeignKey(FeeSchedule, verbose_name=_("fee schedule"), on_delete=models.PROTECT, related_name="runs")
    plan_fingerprint = models.CharField(_("fingerprint of the preview"), max_length=64)
    invoice_count = models.PositiveIntegerField(_("invoices issued"), default=0)
    total_amount = models.DecimalField(_("total invoiced"), default=ZERO, **MONEY)
    problems = models.JSONField(_("participants not invoiced"), default=list, blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    executed_at = models.DateTimeField(_("executed"), auto_now_add=True)

    class Meta:
        verbose_name = _("invoice run")
        verbose_name_plural = _("invoice runs")
        ordering = ["-executed_at", "-id"]

    def __str__(self) -> str:
        return str(_("Invoice run %(year)s") % {"year": self.year})

    def get_absolute_url(self) -> str:
        return reverse("billing:invoice_run_detail", args=[self.pk])


# --- Invoices and credit notes -----------------------------------------------------------------------------


class InvoiceStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PARTLY_PAID = "partly_paid", _("Partly paid")
    PAID = "paid", _("Paid")
    CREDITED = "credited", _("Credited")
    OVERDUE = "overdue", _("Overdue")


class DeliveryChannel(models.TextChoices):
    EHF = "ehf", _("EHF e-invoice")
    EMAIL = "email", _("E-mail with PDF")


class InvoiceKind(models.TextChoices):
    ANNUAL_FEE = "annual_fee", _("Annual participation fee")
    MANUAL = "manual", _("Issued by hand")


class ImmutableDocumentError(Exception):
    """Raised when code tries to change what an issued invoice or credit note says."""


def _adds_up() -> Q:
    """total = net + VAT. SQLite compares decimals as floating point, hence half an øre of slack;
    amounts are stored with two decimals, so PostgreSQL's exact check is the same."""
    sum_ = F("net_amount") + F("vat_amount")
    slack = Value(Decimal("0.005"))
    return Q(total_amount__gt=sum_ - slack) & Q(total_amount__lt=sum_ + slack)


def document_pdf_path(instance, filename: str) -> str:
    # Random names: neither the buyer nor the number is in the path.
    return f"billing/{instance._meta.model_name}/{instance.year}/{uuid.uuid4().hex}.pdf"


class IssuedDocument(models.Model):
    """What invoices and credit notes share: a number in a series, the buyer and supplier as
    they were when the document was issued, the VAT treatment, the totals and the rendered PDF."""

    # Only these may change after issue (settlement, reminders, the PDF rendered once).
    MUTABLE_FIELDS: frozenset[str] = frozenset({"pdf", "pdf_sha256"})

    series = models.ForeignKey(NumberSeries, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("number"))
    year = models.PositiveSmallIntegerField(_("year"), db_index=True, help_text=_("The year the fee is for."))
    issue_date = models.DateField(_("date"))
    participant = models.ForeignKey(
        Participant, verbose_name=_("participant"), null=True, blank=True, on_delete=models.PROTECT, related_name="%(class)ss"
    )
    buyer = models.ForeignKey(Organisation, verbose_name=_("buyer"), on_delete=models.PROTECT, related_name="%(class)ss")
    fee_category = models.CharField(_("fee category"), max_length=10, choices=FeeCategory.choices, blank=True)
    # The buyer as it was at issue.
    buyer_name = models.CharField(_("buyer name"), max_length=200)
    buyer_org_number = models.CharField(_("buyer organisation number"), max_length=9)
    buyer_address = models.CharField(_("buyer address"), max_length=200, blank=True)
    buyer_postal_code = models.CharField(_("buyer postcode"), max_length=4, blank=True)
    buyer_postal_place = models.CharField(_("buyer post town"), max_length=100, blank=True)
    buyer_reference = models.CharField(_("buyer reference"), max_length=100, blank=True)
    buyer_email = models.EmailField(_("invoice e-mail"), blank=True)
    channel = models.CharField(_("sent as"), max_length=10, choices=DeliveryChannel.choices)
    # The supplier as it was at issue.
    supplier_name = models.CharField(_("supplier name"), max_length=200)
    supplier_org_number = models.CharField(_("supplier organisation number"), max_length=9)
    supplier_address = models.CharField(_("supplier address"), max_length=200)
    supplier_postal_code = models.CharField(_("supplier postcode"), max_length=4)
    supplier_postal_place = models.CharField(_("supplier post town"), max_length=100)
    supplier_bank_account = models.CharField(_("bank account number"), max_length=11)
    supplier_vat_number = models.CharField(_("supplier VAT number"), max_length=14, blank=True)
    supplier_in_business_register = models.BooleanField(_("registered in the Register of Business Enterprises"), default=False)
    supplier_email = models.EmailField(_("supplier e-mail"))
    supplier_phone = models.CharField(_("supplier phone"), max_length=20, blank=True)
    supplier_contact = models.CharField(_("our reference"), max_length=100, blank=True)
    # VAT and totals.
    currency = models.CharField(_("currency"), max_length=3, default="NOK")
    vat_category = models.CharField(_("VAT treatment"), max_length=1, choices=VatCategory.choices)
    vat_rate = models.DecimalField(_("VAT rate (%)"), max_digits=5, decimal_places=2, default=ZERO)
    vat_exemption_reason = models.CharField(_("reason for the exemption"), max_length=200, blank=True)
    net_amount = models.DecimalField(_("amount excl. VAT"), **MONEY)
    vat_amount = models.DecimalField(_("VAT"), **MONEY)
    total_amount = models.DecimalField(_("total"), **MONEY)
    note = models.CharField(_("note on the document"), max_length=500, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=document_pdf_path, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # An integrity guard, not business logic: what a sent document says can never change.
        if self.pk is not None and not self._state.adding:
            update_fields = kwargs.get("update_fields")
            if update_fields is None or not set(update_fields) <= self.MUTABLE_FIELDS:
                raise ImmutableDocumentError(
                    f"{type(self).__name__} {self.pk} is issued; only {sorted(self.MUTABLE_FIELDS)} may change."
                )
        super().save(*args, **kwargs)

    @property
    def display_number(self) -> str:
        return f"{self.series.prefix}{self.number}"

    @property
    def bank_account_display(self) -> str:
        """52051234561 -> 5205 12 34561"""
        number = self.supplier_bank_account
        return f"{number[:4]} {number[4:6]} {number[6:]}" if len(number) == 11 else number

    @property
    def buyer_address_lines(self) -> list[str]:
        return [line for line in [self.buyer_address, f"{self.buyer_postal_code} {self.buyer_postal_place}".strip()] if line]


class Invoice(IssuedDocument):
    """An issued invoice (faktura): a KID for the payment, a due date, lines, VAT and totals."""

    MUTABLE_FIELDS = IssuedDocument.MUTABLE_FIELDS | {
        "status",
        "paid_amount",
        "credited_amount",
        "reminder_count",
        "last_reminded_on",
        "reminder_due_date",
    }

    kind = models.CharField(_("kind"), max_length=20, choices=InvoiceKind.choices, default=InvoiceKind.MANUAL)
    run = models.ForeignKey(
        InvoiceRun, verbose_name=_("invoice run"), null=True, blank=True, on_delete=models.PROTECT, related_name="invoices"
    )
    schedule = models.ForeignKey(
        FeeSchedule, verbose_name=_("fee schedule"), null=True, blank=True, on_delete=models.PROTECT, related_name="invoices"
    )
    # "<year>:<participant>:<organisation>" on annual-fee invoices: the database refuses a second one.
    annual_fee_key = models.CharField(max_length=40, null=True, blank=True, unique=True, editable=False)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects invoice"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    kid = models.CharField(_("KID"), max_length=25, unique=True)
    due_date = models.DateField(_("due date"))
    # Settlement: changes after issue, through the services only.
    status = models.CharField(
        _("status"), max_length=20, choices=InvoiceStatus.choices, default=InvoiceStatus.OPEN, db_index=True
    )
    paid_amount = models.DecimalField(_("paid"), default=ZERO, **MONEY)
    credited_amount = models.DecimalField(_("credited"), default=ZERO, **MONEY)
    reminder_count = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_on = models.DateField(_("last reminded"), null=True, blank=True)
    reminder_due_date = models.DateField(_("deadline in the last reminder"), null=True, blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="billing_invoice_number_unique"),
            models.CheckConstraint(condition=_adds_up(), name="billing_invoice_total_adds_up"),
            models.CheckConstraint(condition=Q(net_amount__gt=0), name="billing_invoice_positive"),
            models.CheckConstraint(condition=Q(due_date__gte=F("issue_date")), name="billing_invoice_due_after_issue"),
        ]
        indexes = [
            models.Index(fields=["number", "id"], name="billing_invoice_number_id"),  # the list's default order
            models.Index(fields=["year", "status"], name="billing_invoice_year_status"),
            models.Index(fields=["status", "due_date"], name="billing_invoice_status_due"),
        ]

    def __str__(self) -> str:
        return str(pgettext_lazy("document", "Invoice %(number)s") % {"number": self.display_number})

    def get_absolute_url(self) -> str:
        return reverse("billing:invoice_detail", args=[self.pk])

    @property
    def balance(self) -> Decimal:
        """What is still to pay (negative when overpaid)."""
        return self.total_amount - self.credited_amount - self.paid_amount

    @property
    def outstanding(self) -> Decimal:
        return max(self.balance, ZERO)

    @property
    def overpaid(self) -> Decimal:
        return max(-self.balance, ZERO)

    @property
    def current_deadline(self):
        return self.reminder_due_date or self.due_date


class DocumentLine(models.Model):
    """What the lines of invoices and credit notes share: quantity times unit price, excl. VAT.
    A line belongs to an issued document and never changes."""

    position = models.PositiveSmallIntegerField(_("line"))
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=9, decimal_places=2, default=Decimal("1"))
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    net_amount = models.DecimalField(_("amount excl. VAT"), **MONEY)
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.description

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ImmutableDocumentError(f"{type(self).__name__} {self.pk} belongs to an issued document and cannot change.")
        super().save(*args, **kwargs)


class InvoiceLine(DocumentLine):
    """A line of an invoice: quantity times unit price, excl. VAT."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "position"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "position"], name="billing_invoiceline_position"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="billing_invoiceline_price_not_negative"),
        ]


class CreditNote(IssuedDocument):
    """A credit note (kreditnota): credits all or part of one invoice. Issued, it never changes."""

    invoice = models.ForeignKey(Invoice, verbose_name=_("credited invoice"), on_delete=models.PROTECT, related_name="credit_notes")
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="billing_creditnote_number_unique"),
            models.CheckConstraint(condition=_adds_up(), name="billing_creditnote_total_adds_up"),
            models.CheckConstraint(condition=Q(net_amount__gt=0), name="billing_creditnote_positive"),
        ]

    def __str__(self) -> str:
        return str(_("Credit note %(number)s") % {"number": self.display_number})

    def get_absolute_url(self) -> str:
        return reverse("billing:credit_note_detail", args=[self.pk])


class CreditNoteLine(DocumentLine):
    """A line of a credit note; amounts are what is credited (positive)."""

    credit_note = models.ForeignKey(CreditNote, on_delete=models.CASCADE, related_name="lines")

    class Meta:
        verbose_name = _("credit note line")
        verbose_name_plural = _("credit note lines")
        ordering = ["credit_note", "position"]
        constraints = [
            models.UniqueConstraint(fields=["credit_note", "position"], name="billing_creditnoteline_position"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="billing_creditnoteline_price_not_negative"),
        ]


# --- Sending ---------------------------------------------------------------------------------------------------


class DispatchOutcome(models.TextChoices):
    SENT = "sent", _("Delivered to the EHF outbox")
    QUEUED = "queued", _("E-mail queued for sending")
    EMAILED = "emailed", _("E-mail sent")
    FAILED = "failed", _("Failed")


class DispatchKind(models.TextChoices):
    INVOICE = "invoice", pgettext_lazy("dispatch", "Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")
    REMINDER = "reminder", _("Reminder")


class Dispatch(models.Model):
    """One attempt to send an invoice, a credit note or a reminder, with its outcome."""

    kind = models.CharField(_("what"), max_length=20, choices=DispatchKind.choices)
    invoice = models.ForeignKey(Invoice, null=True, blank=True, on_delete=models.CASCADE, related_name="dispatches")
    credit_note = models.ForeignKey(CreditNote, null=True, blank=True, on_delete=models.CASCADE, related_name="dispatches")
    channel = models.CharField(_("channel"), max_length=10, choices=DeliveryChannel.choices)
    recipient = models.CharField(_("recipient"), max_length=254)
    outcome = models.CharField(_("outcome"), max_length=10, choices=DispatchOutcome.choices)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("sending")
        verbose_name_plural = _("sendings")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(invoice__isnull=False) & Q(credit_note__isnull=True))
                | (Q(invoice__isnull=True) & Q(credit_note__isnull=False)),
                name="billing_dispatch_one_document",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient} ({self.get_outcome_display()})"

    @property
    def document(self):
        return self.invoice if self.invoice_id else self.credit_note


class Reminder(models.Model):
    """A reminder (purring) of an overdue invoice, with the new deadline it gave. No fee."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="reminders")
    sent_on = models.DateField(_("sent"))
    new_due_date = models.DateField(_("new deadline"))
    outstanding = models.DecimalField(_("outstanding when reminded"), **MONEY)
    recipient = models.CharField(_("recipient"), max_length=254)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["invoice", "-sent_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(new_due_date__gte=F("sent_on")), name="billing_reminder_deadline_after")
        ]

    def __str__(self) -> str:
        return f"{self.invoice} – {self.sent_on:%d.%m.%Y}"


# --- Payments ------------------------------------------------------------------------------------------------------


class PaymentSource(models.TextChoices):
    MANUAL = "manual", _("Registered by hand")
    OCR = "ocr", _("Nets OCR giro file")
    CSV = "csv", _("Bank statement (CSV)")


class ImportFormat(models.TextChoices):
    OCR = "ocr", _("Nets OCR giro (OCR file)")
    CSV = "csv", _("Bank statement (CSV)")


def payment_file_path(instance, filename: str) -> str:
    return f"billing/payment-files/{uuid.uuid4().hex}"


class PaymentImport(models.Model):
    """An imported payment file, kept as it came. The same file is never imported twice."""

    format = models.CharField(_("format"), max_length=10, choices=ImportFormat.choices)
    file = models.FileField(_("file"), upload_to=payment_file_path)
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    line_count = models.PositiveIntegerField(_("payments in the file"), default=0)
    registered_count = models.PositiveIntegerField(_("registered"), default=0)
    attention_count = models.PositiveIntegerField(_("to follow up"), default=0)
    total_amount = models.DecimalField(_("total in the file"), default=ZERO, **MONEY)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment import")
        verbose_name_plural = _("payment imports")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_format_display()})"

    def get_absolute_url(self) -> str:
        return reverse("billing:payment_import_detail", args=[self.pk])


class LineOutcome(models.TextChoices):
    PAID = "paid", _("Matched: invoice paid")
    PARTIAL = "partial", _("Matched: partial payment")
    OVERPAID = "overpaid", _("Matched: overpayment")
    UNKNOWN_KID = "unknown_kid", _("Unknown KID")
    NO_KID = "no_kid", _("No KID")
    DUPLICATE = "duplicate", _("Already imported")
    REVERSAL = "reversal", _("Reversal")


# Outcomes that register a payment, and outcomes that need the coordinator.
REGISTERED_OUTCOMES = (LineOutcome.PAID, LineOutcome.PARTIAL, LineOutcome.OVERPAID)
ATTENTION_OUTCOMES = (LineOutcome.PARTIAL, LineOutcome.OVERPAID, LineOutcome.UNKNOWN_KID, LineOutcome.NO_KID,
                      LineOutcome.DUPLICATE, LineOutcome.REVERSAL)


class PaymentImportLine(models.Model):
    """One payment in an imported file and what became of it. Nothing is dropped: lines that
    could not be matched stay here until the coordinator resolves them."""

    payment_import = models.ForeignKey(PaymentImport, on_delete=models.CASCADE, related_name="lines")
    line_number = models.PositiveIntegerField(_("line"))
    fingerprint = models.CharField(max_length=200)
    kid = models.CharField(_("KID"), max_length=25, blank=True)
    amount = models.DecimalField(_("amount"), **MONEY)
    paid_on = models.DateField(_("paid"))
    reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    text = models.CharField(_("text"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=LineOutcome.choices)
    invoice = models.ForeignKey(Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="import_lines")
    resolved = models.BooleanField(_("resolved"), default=False)
    resolution_note = models.CharField(_("how it was resolved"), max_length=300, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("resolved by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("imported payment")
        verbose_name_plural = _("imported payments")
        ordering = ["payment_import", "line_number"]
        constraints = [
            # A bank transaction is registered once, whichever file it comes in.
            models.UniqueConstraint(
                fields=["fingerprint"], condition=~Q(outcome="duplicate"), name="billing_importline_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.payment_import} #{self.line_number}"

    @property
    def needs_attention(self) -> bool:
        return self.outcome in ATTENTION_OUTCOMES and not self.resolved


class Payment(models.Model):
    """Money received for an invoice (negative: a refund or a reversal)."""

    invoice = models.ForeignKey(Invoice, verbose_name=_("invoice"), on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("amount"), **MONEY)
    paid_on = models.DateField(_("paid"))
    source = models.CharField(_("source"), max_length=10, choices=PaymentSource.choices)
    reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    import_line = models.OneToOneField(
        PaymentImportLine, null=True, blank=True, on_delete=models.PROTECT, related_name="payment"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_on", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="billing_payment_not_zero")]

    def __str__(self) -> str:
        return f"{self.invoice}: {self.amount}"

