"""Reads of the money side that pages, services and other apps share, with their joins."""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import translation
from django.utils.translation import gettext, pgettext

from polyfon.accounts import roles
from polyfon.core.dates import local_today
from polyfon.core.formatting import format_number
from polyfon.members.models import (
    ContactRole,
    FeeCategory,
    InvoiceSplit,
    Organisation,
    Participant,
    ParticipantContact,
    ParticipantOrganisation,
)
from polyfon.members.selectors import first_membership_years, members_in_year

from . import money
from .models import (
    ZERO,
    BillingSettings,
    CreditNote,
    DeliveryChannel,
    Dispatch,
    FeeSchedule,
    Invoice,
    InvoiceStatus,
    Payment,
    PaymentImport,
    PaymentImportLine,
)

MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)


# --- Fee schedules --------------------------------------------------------------------------------------


def schedule_for_year(year: int) -> FeeSchedule | None:
    """The schedule in force in `year`: the latest one decided for that year or before."""
    return FeeSchedule.objects.filter(year__lte=year).prefetch_related("rates").order_by("-year").first()


def rates_of(schedule: FeeSchedule) -> dict[str, Decimal]:
    return {rate.category: rate.amount for rate in schedule.rates.all()}


def fee_table_for_year(year: int) -> list[dict]:
    """The join page's fee table: one row per fee category of the schedule in force in `year`
    (label, amount, first-year amount, and the schedule's year), or [] when there is none."""
    schedule = schedule_for_year(year)
    if schedule is None:
        return []
    order = {category: index for index, category in enumerate(FeeCategory.values)}
    rows = []
    for rate in sorted(schedule.rates.all(), key=lambda r: (r.amount, order[r.category])):
        rows.append(
            {
                "label": rate.label or rate.get_category_display(),
                "category": rate.category,
                "amount": rate.amount,
                "first_year_amount": money.discounted(rate.amount, schedule.first_year_discount),
                "year": schedule.year,
            }
        )
    return rows


def billing_settings() -> BillingSettings:
    settings_row, _ = BillingSettings.objects.get_or_create(pk=1)
    return settings_row


# --- The annual invoice run -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedInvoice:
    """An invoice the run would issue."""

    participant: Participant
    organisation: Organisation
    fee_category: str
    first_year: bool
    share: Decimal | None
    net_amount: Decimal
    vat_amount: Decimal
    description: str
    channel: str
    email: str
    buyer_reference: str
    key: str

    @property
    def total_amount(self) -> Decimal:
        return self.net_amount + self.vat_amount


@dataclass(frozen=True)
class NotInvoiced:
    """A participant the run cannot invoice (or need not: already invoiced), and why."""

    participant: Participant
    reason: str
    code: str
    organisation: Organisation | None = None


@dataclass
class RunPlan:
    year: int
    schedule: FeeSchedule | None
    issue_date: date
    due_date: date | None
    invoices: list[PlannedInvoice] = field(default_factory=list)
    problems: list[NotInvoiced] = field(default_factory=list)
    already_invoiced: list[NotInvoiced] = field(default_factory=list)

    @property
    def net_total(self) -> Decimal:
        return sum((p.net_amount for p in self.invoices), ZERO)

    @property
    def total(self) -> Decimal:
        return sum((p.total_amount for p in self.invoices), ZERO)

    @property
    def fingerprint(self) -> str:
        """Changes when anything the run would issue, or refuse, changes."""
        data = [
            [p.key, str(p.net_amount), str(p.vat_amount), p.channel, p.email, p.description, p.buyer_reference,
             p.organisation.invoice_address_lines]
            for p in self.invoices
        ] + [[n.participant.pk, n.code, n.organisation.pk if n.organisation else None] for n in self.problems]
        extra = [self.year, str(self.issue_date), str(self.due_date), self.schedule.pk if self.schedule else None,
                 str(self.schedule.updated_at) if self.schedule else None]
        return hashlib.sha256(json.dumps([extra, data], default=str).encode()).hexdigest()


def annual_fee_key(year: int, participant_id: int, organisation_id: int) -> str:
    return f"{year}:{participant_id}:{organisation_id}"


def organisation_problem(organisation: Organisation, email: str, *, buyer_reference: str | None = None
                         ) -> tuple[str, str] | None:
    """Why an invoice to `organisation` cannot be issued, as (code, message), or None."""
    reference = organisation.buyer_reference if buyer_reference is None else buyer_reference
    if not organisation.invoice_address_lines:
        return "no_address", gettext("%(organisation)s has no invoice or postal address.") % {"organisation": organisation}
    if organisation.receives_ehf and not reference:
        return "no_buyer_reference", gettext(
            "%(organisation)s receives EHF but has no buyer reference, which an EHF invoice must carry."
        ) % {"organisation": organisation}
    if not organisation.receives_ehf and not email:
        return "no_email", gettext(
            "%(organisation)s does not receive EHF and has no invoice e-mail address (nor an invoice contact)."
        ) % {"organisation": organisation}
    return None


def delivery_for(organisation: Organisation, participant: Participant | None = None) -> tuple[str, str]:
    """(channel, e-mail): EHF for organisations that receive it, else e-mail to the invoice
    address, or to the participant's invoice contact when the organisation has none."""
    email = organisation.invoice_email
    if not email and participant is not None:
        email = next((c.person.email for c in participant.contacts.all() if c.role == ContactRole.INVOICE), "")
    return (DeliveryChannel.EHF if organisation.receives_ehf else DeliveryChannel.EMAIL), email


def buyer_reference_for(organisation: Organisation, participant: Participant | None, channel: str) -> str:
    """The buyer's reference ("Deres ref."). EHF receivers route on the one they registered;
    an organisation taking e-mail without one gets the name of the participant's invoice
    contact (else its main contact), so its EHF copy carries a reference too."""
    if organisation.buyer_reference or channel == DeliveryChannel.EHF or participant is None:
        return organisation.buyer_reference
    contacts = sorted(
        (c for c in participant.contacts.all() if c.role in (ContactRole.INVOICE, ContactRole.MAIN)),
        key=lambda c: c.role != ContactRole.INVOICE,
    )
    return contacts[0].person.name[:100] if contacts else ""


def _line_text(schedule: FeeSchedule, year: int, participant: Participant, category: str, first_year: bool,
               share: Decimal | None, group: bool) -> str:
    """The invoice line, in bokmål (invoices are in Norwegian whatever the coordinator reads)."""
    with translation.override("nb"):
        parts = [str(FeeCategory(category).label)]
        if group:
            parts[0] += f": {participant.name}"
        if first_year:
            parts.append(
                pgettext("invoice line", "first membership year, %(discount)s %% discount")
                % {"discount": format_number(schedule.first_year_discount, decimals=0)}
            )
        if share is not None:
            parts.append(
                pgettext("invoice line", "%(share)s %% of the fee")
                % {"share": format_number(share, decimals=2 if share != share.to_integral_value() else 0)}
            )
        return f"{schedule.invoice_text} {year} – " + ", ".join(parts)


def invoice_run_plan(*, year: int, issue_date: date | None = None) -> RunPlan:
    """What an invoice run for `year` would issue now: every member at some time in the year
    (notice period included), at the first-year rate in its first membership year, a sub-group
    to its lead or split by shares; and every participant it cannot invoice, with the reason."""
    issue_date = issue_date or local_today()
    schedule = schedule_for_year(year)
    plan = RunPlan(year=year, schedule=schedule, issue_date=issue_date, due_date=None)
    if schedule is None:
        return plan
    plan.due_date = issue_date + timedelta(days=schedule.payment_terms_days)
    rates = rates_of(schedule)
    participants = list(
        members_in_year(year)
        .prefetch_related(
            Prefetch("memberships", queryset=ParticipantOrganisation.objects.select_related("organisation")),
            Prefetch(
                "contacts",
                queryset=ParticipantContact.objects.filter(role__in=[ContactRole.INVOICE, ContactRole.MAIN])
                .select_related("person")
                .order_by("role", "person__name"),
            ),
        )
        .order_by("name", "pk")
    )
    first_years = first_membership_years([p.pk for p in participants])
    issued = list(
        Invoice.objects.filter(year=year, annual_fee_key__isnull=False).values_list("annual_fee_key", "participant_id")
    )
    issued_keys = {key for key, _participant_id in issued}
    invoiced_participants = {participant_id for _key, participant_id in issued}
    for participant in participants:
        _plan_participant(plan, participant, schedule, rates, first_years.get(participant.pk) == year, issued_keys,
                          invoiced_before=participant.pk in invoiced_participants)
    return plan


def _plan_participant(plan, participant, schedule, rates, first_year, issued_keys, *, invoiced_before=False):
    year = plan.year

    def refuse(code, reason, organisation=None):
        plan.problems.append(NotInvoiced(participant, reason, code, organisation))

    rate = rates.get(participant.fee_category)
    if rate is None:
        return refuse(
            "no_rate",
            gettext("The fee schedule has no rate for the fee category “%(category)s”.")
            % {"category": participant.get_fee_category_display()},
        )
    if rate <= ZERO:
        return refuse("zero_rate", gettext("The fee for this category is 0 kr; there is nothing to invoice."))
    memberships = list(participant.memberships.all())
    lead_index = next((i for i, m in enumerate(memberships) if m.is_lead), None)
    if lead_index is None:
        return refuse("no_lead", gettext("The participant has no lead organisation."))
    amount = money.discounted(rate, schedule.first_year_discount) if first_year else rate
    if participant.is_group and participant.invoice_split == InvoiceSplit.SHARES:
        shares = [m.invoice_share for m in memberships]
        if any(s is None for s in shares) or sum(shares) != Decimal("100"):
            return refuse("bad_shares", gettext("The shares of the fee do not add up to 100 %."))
        parts = list(zip(memberships, money.split_by_shares(amount, shares, lead_index), shares, strict=True))
    else:
        parts = [(memberships[lead_index], amount, None)]
    planned, problems = [], []
    for membership, net, share in parts:
        organisation = membership.organisation
        if organisation.org_number == schedule.supplier_org_number:
            refuse(
                "supplier_itself",
                gettext("%(organisation)s is the supplier itself; its contribution is booked internally, not invoiced.")
                % {"organisation": organisation},
                organisation,
            )
            continue
        key = annual_fee_key(year, participant.pk, organisation.pk)
        if key in issued_keys:
            plan.already_invoiced.append(
                NotInvoiced(participant, gettext("Already invoiced for this year."), "already_invoiced", organisation)
            )
            continue
        if invoiced_before:
            # The fee of the year was invoiced to other organisations of the participant (its
            # invoicing has changed since): a run never charges the year twice.
            plan.already_invoiced.append(
                NotInvoiced(
                    participant,
                    gettext("The fee for this year was invoiced before the participant's invoicing changed. "
                            "Correct it by hand: a credit note and new invoices."),
                    "invoicing_changed",
                    organisation,
                )
            )
            continue
        channel, email = delivery_for(organisation, participant)
        problem = organisation_problem(organisation, email)
        if problem:
            problems.append((problem, organisation))
            continue
        planned.append(
            PlannedInvoice(
                participant=participant,
                organisation=organisation,
                fee_category=participant.fee_category,
                first_year=first_year,
                share=share,
                net_amount=net,
                vat_amount=money.vat_amount(net, schedule.vat_category, schedule.vat_rate),
                description=_line_text(schedule, year, participant, participant.fee_category, first_year, share,
                                       participant.is_group),
                channel=channel,
                email=email if channel == DeliveryChannel.EMAIL else organisation.invoice_email,
                buyer_reference=buyer_reference_for(organisation, participant, channel),
                key=key,
            )
        )
    if problems:
        # A sub-group is invoiced whole or not at all, so no organisation pays before the others.
        for (code, reason), organisation in problems:
            refuse(code, reason, organisation)
        return None
    plan.invoices.extend(planned)
    return None


# --- Invoices, credit notes, payments ----------------------------------------------------------------------------


def invoice_list(*, viewer=None) -> QuerySet[Invoice]:
    return Invoice.objects.select_related("series", "participant")


def invoice_detail(*, pk: int) -> Invoice:
    return (
        Invoice.objects.select_related("series", "participant", "buyer", "run", "schedule", "corrects__series", "issued_by")
        .prefetch_related(
            "lines",
            Prefetch("credit_notes", queryset=CreditNote.objects.select_related("series")),
            Prefetch("payments", queryset=Payment.objects.select_related("registered_by", "import_line__payment_import")),
            "reminders",
            Prefetch("dispatches", queryset=Dispatch.objects.select_related("actor")),
            Prefetch("corrections", queryset=Invoice.objects.select_related("series")),
        )
        .get(pk=pk)
    )


def credit_note_list() -> QuerySet[CreditNote]:
    return CreditNote.objects.select_related("series", "participant", "invoice__series")


def credit_note_detail(*, pk: int) -> CreditNote:
    return (
        CreditNote.objects.select_related("series", "participant", "buyer", "invoice__series", "issued_by")
        .prefetch_related("lines", Prefetch("dispatches", queryset=Dispatch.objects.select_related("actor")))
        .get(pk=pk)
    )


def documents_of_contact(user) -> tuple[QuerySet[Invoice], QuerySet[CreditNote]]:
    """The invoices and credit notes of the participants `user` is a contact person for."""
    ids = roles.contact_participant_ids(user)
    invoices = Invoice.objects.filter(participant_id__in=ids).select_related("series", "participant").order_by(
        "-issue_date", "-number"
    )
    credit_notes = CreditNote.objects.filter(participant_id__in=ids).select_related(
        "series", "participant", "invoice__series"
    ).order_by("-issue_date", "-number")
    return invoices, credit_notes


def payment_list() -> QuerySet[Payment]:
    return Payment.objects.select_related("invoice__series", "invoice__participant", "registered_by", "import_line")


def payment_import_list() -> QuerySet[PaymentImport]:
    return PaymentImport.objects.select_related("imported_by")


def open_import_lines() -> QuerySet[PaymentImportLine]:
    """Imported payments the coordinator still has to follow up."""
    from .models import ATTENTION_OUTCOMES

    return (
        PaymentImportLine.objects.filter(outcome__in=ATTENTION_OUTCOMES, resolved=False)
        .select_related("payment_import", "invoice__series")
        .order_by("paid_on", "pk")
    )


UNSETTLED = Q(status__in=[InvoiceStatus.OPEN, InvoiceStatus.PARTLY_PAID, InvoiceStatus.OVERDUE])


def overdue_invoices(today: date | None = None) -> QuerySet[Invoice]:
    """Invoices with money outstanding after their due date (whatever the stored status says
    before the night's job has run)."""
    today = today or local_today()
    return (
        Invoice.objects.filter(UNSETTLED, due_date__lt=today)
        .annotate(open_amount=F("total_amount") - F("credited_amount") - F("paid_amount"))
        .filter(open_amount__gt=0)
        .select_related("series", "participant")
    )


def reminders_due(today: date | None = None, settings_row: BillingSettings | None = None) -> QuerySet[Invoice]:
    """Overdue invoices that may get a reminder today: the deadline of the last reminder has
    passed, the last reminder is at least the set interval old, and the maximum is not reached."""
    today = today or local_today()
    settings_row = settings_row or billing_settings()
    interval_ago = today - timedelta(days=settings_row.reminder_interval_days)
    return (
        overdue_invoices(today)
        .filter(reminder_count__lt=settings_row.max_reminders)
        .filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lte=interval_ago))
        .filter(Q(reminder_due_date__isnull=True) | Q(reminder_due_date__lt=today))
        .order_by("due_date", "number")
    )


def reminders_exhausted(today: date | None = None, settings_row: BillingSettings | None = None) -> QuerySet[Invoice]:
    """Overdue invoices that have had every reminder and are still unpaid after the last deadline."""
    today = today or local_today()
    settings_row = settings_row or billing_settings()
    return (
        overdue_invoices(today)
        .filter(reminder_count__gte=settings_row.max_reminders)
        .filter(Q(reminder_due_date__isnull=True) | Q(reminder_due_date__lt=today))
        .order_by("due_date", "number")
    )


def dispatch_list() -> QuerySet[Dispatch]:
    return Dispatch.objects.select_related("invoice__series", "credit_note__series", "actor")


# --- The economy of a year --------------------------------------------------------------------------------------


@dataclass
class EconomyRow:
    label: str
    invoiced: Decimal = ZERO
    credited: Decimal = ZERO
    paid: Decimal = ZERO
    outstanding: Decimal = ZERO
    overpaid: Decimal = ZERO
    net: Decimal = ZERO
    count: int = 0
    participant_id: int | None = None

    def add(self, other: "EconomyRow") -> None:
        for name in ("invoiced", "credited", "paid", "outstanding", "overpaid", "net"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.count += other.count


@dataclass
class Economy:
    year: int
    schedule: FeeSchedule | None
    totals: EconomyRow
    by_category: list[EconomyRow]
    by_participant: list[EconomyRow]
    credited_net: Decimal
    return_share: Decimal
    granted: Decimal | None

    @property
    def income(self) -> Decimal:
        """The year's fee income excl. VAT: invoiced less credited."""
        return self.totals.net - self.credited_net

    @property
    def return_target(self) -> Decimal:
        return money.round_money(self.income * self.return_share / Decimal("100"))

    @property
    def granted_share(self) -> Decimal | None:
        if self.granted is None or self.income <= ZERO:
            return None
        return money.round_money(self.granted * Decimal("100") / self.income)

    @property
    def remaining_to_return(self) -> Decimal | None:
        """What is still to grant to reach the target (0 when it is reached)."""
        return None if self.granted is None else max(self.return_target - self.granted, ZERO)

    @property
    def beyond_target(self) -> Decimal:
        return ZERO if self.granted is None else max(self.granted - self.return_target, ZERO)


def granted_total(year: int) -> Decimal | None:
    """What the funding app granted to participants in `year`, or None while it cannot say."""
    try:
        from polyfon.funding.selectors import granted_total as funding_granted_total
    except ImportError:
        return None
    return funding_granted_total(year=year)


def economy(year: int) -> Economy:
    """Invoiced, credited, paid and outstanding for `year` in total, by fee category and by
    participant, and the share of the income that goes back to the participants."""
    balance = F("total_amount") - F("credited_amount") - F("paid_amount")
    zero = Value(ZERO, output_field=MONEY_FIELD)
    rows = (
        Invoice.objects.filter(year=year)
        .values("participant_id", "participant__name", "buyer_name", "fee_category")
        .annotate(
            invoiced=Sum("total_amount"),
            credited=Sum("credited_amount"),
            paid=Sum("paid_amount"),
            net=Sum("net_amount"),
            outstanding=Sum(Greatest(balance, zero, output_field=MONEY_FIELD)),
            overpaid=Sum(Greatest(-balance, zero, output_field=MONEY_FIELD)),
            count=Count("pk"),
        )
        .order_by()
    )
    totals = EconomyRow(label=gettext("Total"))
    categories: dict[str, EconomyRow] = {}
    participants: dict[object, EconomyRow] = {}
    for row in rows:
        values = EconomyRow(
            label="",
            invoiced=row["invoiced"],
            credited=row["credited"],
            paid=row["paid"],
            outstanding=row["outstanding"],
            overpaid=row["overpaid"],
            net=row["net"],
            count=row["count"],
        )
        totals.add(values)
        category = row["fee_category"] or ""
        label = str(FeeCategory(category).label) if category else pgettext("fee category", "Other")
        categories.setdefault(category, EconomyRow(label=label)).add(values)
        key = row["participant_id"] or f"buyer:{row['buyer_name']}"
        participants.setdefault(
            key, EconomyRow(label=row["participant__name"] or row["buyer_name"], participant_id=row["participant_id"])
        ).add(values)
    order = {c: i for i, c in enumerate(FeeCategory.values)}
    credited_net = CreditNote.objects.filter(year=year).aggregate(
        total=Coalesce(Sum("net_amount"), zero, output_field=MONEY_FIELD)
    )["total"]
    schedule = schedule_for_year(year)
    return Economy(
        year=year,
        schedule=schedule,
        totals=totals,
        by_category=[categories[key] for key in sorted(categories, key=lambda key: order.get(key, len(order)))],
        by_participant=sorted(participants.values(), key=lambda r: r.label.lower()),
        credited_net=credited_net,
        return_share=schedule.return_share if schedule else Decimal("50"),
        granted=granted_total(year),
    )


def economy_years() -> list[int]:
    """The years with invoices or a fee schedule, newest first."""
    years = set(Invoice.objects.values_list("year", flat=True).distinct())
    years |= set(FeeSchedule.objects.values_list("year", flat=True))
    years.add(local_today().year)
    return sorted(years, reverse=True)
