"""The coordinator's office (/kontor/) for the money side. Thin: rule, form, service, page."""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib import messages
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from polyfon.core.audit import entries_for
from polyfon.core.dates import local_today
from polyfon.core.errors import DomainError
from polyfon.core.formatting import format_nok
from polyfon.core.listing import Column, ListPage
from polyfon.core.pages import errors_on, form_page, list_response
from polyfon.core.permissions import requires

from .. import lifecycle, selectors, services
from .. import permissions as perms
from ..exports import economy_response
from ..filters import CreditNoteFilter, DispatchFilter, InvoiceFilter, PaymentFilter
from ..forms import (
    BillingSettingsForm,
    CreditNoteForm,
    FeeScheduleForm,
    InvoiceForm,
    InvoiceLineFormSet,
    InvoiceRunExecuteForm,
    InvoiceRunForm,
    NumberSeriesForm,
    PaymentForm,
    PaymentImportForm,
    ReminderForm,
    ResolveLineForm,
)
from ..models import (
    CreditNote,
    FeeSchedule,
    Invoice,
    InvoiceRun,
    InvoiceStatus,
    NumberSeries,
    PaymentImport,
    PaymentImportLine,
)


class MoneyListPage(ListPage):
    """A list page whose money columns show as kroner (exports keep the numbers)."""

    def rows(self, objects):
        rows = super().rows(objects)
        for row in rows:
            for cell in row["cells"]:
                if isinstance(cell["value"], Decimal):
                    cell["value"] = format_nok(cell["value"], decimals=True)
        return rows



def _status_label(invoice):
    return InvoiceStatus(lifecycle.status_for(invoice, local_today())).label


# --- Invoices -------------------------------------------------------------------------------------------------------

INVOICE_COLUMNS = [
    Column("number", pgettext_lazy("document", "Invoice"), lambda i: i.display_number, sort="number", link=True),
    Column("buyer", gettext_lazy("Buyer"), lambda i: i.buyer_name, sort="buyer_name"),
    Column("year", gettext_lazy("Year"), lambda i: i.year, sort="year"),
    Column("issue_date", gettext_lazy("Date"), lambda i: i.issue_date, sort="issue_date"),
    Column("due_date", gettext_lazy("Due date"), lambda i: i.due_date, sort="due_date"),
    Column("total", gettext_lazy("Total"), lambda i: i.total_amount, sort="total_amount", numeric=True),
    Column("outstanding", gettext_lazy("Outstanding"), lambda i: i.outstanding, sort="open_amount", numeric=True),
    Column("status", gettext_lazy("Status"), _status_label, sort="status"),
    Column("participant", gettext_lazy("Participant"), lambda i: i.participant.name if i.participant else "",
           export_only=True),
    Column("kid", gettext_lazy("KID"), lambda i: i.kid, export_only=True),
    Column("org_number", gettext_lazy("Organisation number"), lambda i: i.buyer_org_number, export_only=True),
    Column("buyer_reference", gettext_lazy("Buyer reference"), lambda i: i.buyer_reference, export_only=True),
    Column("net", gettext_lazy("Amount excl. VAT"), lambda i: i.net_amount, export_only=True),
    Column("vat", gettext_lazy("VAT"), lambda i: i.vat_amount, export_only=True),
    Column("credited", gettext_lazy("Credited"), lambda i: i.credited_amount, export_only=True),
    Column("paid", gettext_lazy("Paid"), lambda i: i.paid_amount, export_only=True),
    Column("channel", gettext_lazy("Sent as"), lambda i: i.get_channel_display(), export_only=True),
    Column("fee_category", gettext_lazy("Fee category"), lambda i: i.get_fee_category_display(), export_only=True),
]


@requires(perms.can_manage_billing)
def invoice_list(request):
    queryset = selectors.invoice_list(viewer=request.user).annotate(
        open_amount=F("total_amount") - F("credited_amount") - F("paid_amount")
    )
    page = MoneyListPage(request, queryset=queryset, columns=INVOICE_COLUMNS, filterset_class=InvoiceFilter,
                         default_sort="-number")
    actions = [
        {"label": _("New invoice"), "url": reverse("billing:invoice_create")},
        {"label": _("Reminders"), "url": reverse("billing:reminder_list")},
        {"label": _("Credit notes"), "url": reverse("billing:credit_note_list")},
        {"label": _("Sendings"), "url": reverse("billing:dispatch_list")},
    ]
    return list_response(request, page, title=_("Invoices"), filename="fakturaer", actions=actions)


def _invoice(pk) -> Invoice:
    try:
        return selectors.invoice_detail(pk=pk)
    except Invoice.DoesNotExist:
        raise Http404 from None


@requires(perms.can_manage_billing)
def invoice_detail(request, pk):
    invoice = _invoice(pk)
    status = lifecycle.status_for(invoice, local_today())
    return render(
        request,
        "billing/office/invoice_detail.html",
        {
            "invoice": invoice,
            "status": status,
            "status_label": InvoiceStatus(status).label,
            "actions": lifecycle.ACTIONS.moves_from(status),
            "timeline": entries_for(invoice)[:100],
        },
    )


def _initial_from(invoice: Invoice | None) -> tuple[dict, list[dict]]:
    today = local_today()
    if invoice is None:
        return {"issue_date": today, "year": today.year, "send": True}, []
    initial = {
        "buyer": invoice.buyer_id,
        "participant": invoice.participant_id,
        "year": invoice.year,
        "issue_date": today,
        "buyer_reference": invoice.buyer_reference,
        "note": invoice.note,
        "send": True,
    }
    lines = [{"description": line.description, "quantity": line.quantity, "unit_price": line.unit_price}
             for line in invoice.lines.all()]
    return initial, lines


@requires(perms.can_manage_billing)
def invoice_create(request):
    corrects = None
    if request.GET.get("corrects"):
        corrects = get_object_or_404(Invoice.objects.select_related("series").prefetch_related("lines"),
                                     pk=request.GET["corrects"])
    initial, line_initial = _initial_from(corrects)
    form = InvoiceForm(request.POST or None, initial=initial)
    formset = InvoiceLineFormSet(request.POST or None, initial=line_initial, prefix="line")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        lines = [
            services.LineInput(f.cleaned_data["description"], f.cleaned_data.get("quantity") or Decimal("1"),
                               f.cleaned_data["unit_price"])
            for f in formset.forms
            if f.cleaned_data.get("description")
        ]
        with errors_on(form):
            invoice = services.invoice_issue(
                actor=request.user,
                buyer=data["buyer"],
                participant=data["participant"],
                lines=lines,
                year=data["year"],
                issue_date=data["issue_date"],
                due_date=data["due_date"],
                buyer_reference=data["buyer_reference"] or None,
                note=data["note"],
                corrects=corrects,
                send=data["send"],
            )
            messages.success(request, _("Invoice %(number)s is issued.") % {"number": invoice.display_number})
            return redirect(invoice.get_absolute_url())
    return render(
        request,
        "billing/office/invoice_form.html",
        {"form": form, "formset": formset, "corrects": corrects},
    )


@requires(perms.can_manage_billing)
def invoice_credit(request, pk):
    invoice = get_object_or_404(Invoice.objects.select_related("series"), pk=pk)
    if not lifecycle.ACTIONS.allows(lifecycle.status_for(invoice, local_today()), "credit"):
        raise Http404
    form = CreditNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with errors_on(form):
            credit_note = services.invoice_credit(
                invoice=invoice,
                actor=request.user,
                reason=data["reason"],
                amount=data["amount"] if data["scope"] == CreditNoteForm.PART else None,
                send=data["send"],
            )
            messages.success(request, _("Credit note %(number)s is issued.") % {"number": credit_note.display_number})
            if data["correct"]:
                return redirect(reverse("billing:invoice_create") + f"?corrects={invoice.pk}")
            return redirect(invoice.get_absolute_url())
    action = lifecycle.ACTIONS["credit"]
    return form_page(
        request,
        form,
        title=_("Credit invoice %(number)s") % {"number": invoice.display_number},
        intro=action.explanation,
        submit=action.label,
        cancel_url=invoice.get_absolute_url(),
        danger=True,
    )


@requires(perms.can_manage_billing)
def invoice_payment(request, pk):
    invoice = get_object_or_404(Invoice.objects.select_related("series"), pk=pk)
    form = PaymentForm(request.POST or None, initial={"amount": invoice.outstanding or None, "paid_on": local_today()})
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.payment_register(invoice=invoice, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The payment is registered."))
            return redirect(invoice.get_absolute_url())
    action = lifecycle.ACTIONS["register_payment"]
    return form_page(
        request,
        form,
        title=_("Payment of invoice %(number)s") % {"number": invoice.display_number},
        intro=action.explanation,
        submit=action.label,
        cancel_url=invoice.get_absolute_url(),
    )


@requires(perms.can_manage_billing)
def invoice_remind(request, pk):
    invoice = get_object_or_404(Invoice.objects.select_related("series"), pk=pk)
    if not lifecycle.ACTIONS.allows(lifecycle.status_for(invoice, local_today()), "remind"):
        raise Http404
    policy = selectors.billing_settings()
    form = ReminderForm(request.POST or None,
                        initial={"new_due_date": local_today() + timedelta(days=policy.reminder_deadline_days)})
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.invoice_remind(invoice=invoice, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The reminder is on its way."))
            return redirect(invoice.get_absolute_url())
    action = lifecycle.ACTIONS["remind"]
    recipients = ", ".join(address for address, _language in services.reminder_recipients(invoice))
    intro = action.explanation + " " + (
        _("It goes to %(recipients)s.") % {"recipients": recipients} if recipients else
        _("Neither the buyer nor the participant has an e-mail address for the reminder.")
    )
    return form_page(request, form, title=_("Remind invoice %(number)s") % {"number": invoice.display_number},
                     intro=intro, submit=action.label, cancel_url=invoice.get_absolute_url())


@require_POST
@requires(perms.can_manage_billing)
def invoice_send(request, pk):
    invoice = get_object_or_404(Invoice.objects.select_related("series"), pk=pk)
    try:
        services.document_send_again(document=invoice, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The invoice is being sent; the outcome shows under Sendings."))
    return redirect(invoice.get_absolute_url())


# --- Credit notes --------------------------------------------------------------------------------------------------

CREDIT_NOTE_COLUMNS = [
    Column("number", gettext_lazy("Credit note"), lambda c: c.display_number, sort="number", link=True),
    Column("invoice", pgettext_lazy("document", "Invoice"), lambda c: c.invoice.display_number, sort="invoice__number"),
    Column("buyer", gettext_lazy("Buyer"), lambda c: c.buyer_name, sort="buyer_name"),
    Column("year", gettext_lazy("Year"), lambda c: c.year, sort="year"),
    Column("issue_date", gettext_lazy("Date"), lambda c: c.issue_date, sort="issue_date"),
    Column("total", gettext_lazy("Total"), lambda c: c.total_amount, sort="total_amount", numeric=True),
    Column("reason", gettext_lazy("Reason"), lambda c: c.reason),
    Column("net", gettext_lazy("Amount excl. VAT"), lambda c: c.net_amount, export_only=True),
    Column("vat", gettext_lazy("VAT"), lambda c: c.vat_amount, export_only=True),
]


@requires(perms.can_manage_billing)
def credit_note_list(request):
    page = MoneyListPage(request, queryset=selectors.credit_note_list(), columns=CREDIT_NOTE_COLUMNS,
                         filterset_class=CreditNoteFilter, default_sort="-number")
    return list_response(request, page, title=_("Credit notes"), filename="kreditnotaer")


@requires(perms.can_manage_billing)
def credit_note_detail(request, pk):
    try:
        credit_note = selectors.credit_note_detail(pk=pk)
    except CreditNote.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "billing/office/credit_note_detail.html",
        {"credit_note": credit_note, "timeline": entries_for(credit_note)[:100]},
    )


@require_POST
@requires(perms.can_manage_billing)
def credit_note_send(request, pk):
    credit_note = get_object_or_404(CreditNote.objects.select_related("series"), pk=pk)
    services.document_send_again(document=credit_note, actor=request.user)
    messages.success(request, _("The credit note is being sent; the outcome shows under Sendings."))
    return redirect(credit_note.get_absolute_url())


# --- Invoice runs -------------------------------------------------------------------------------------------------------


@requires(perms.can_manage_billing)
def invoice_run_list(request):
    today = local_today()
    form = InvoiceRunForm(request.GET or None, initial={"year": today.year, "issue_date": today})
    if request.GET and form.is_valid():
        url = reverse("billing:invoice_run_preview", args=[form.cleaned_data["year"]])
        return redirect(f"{url}?issue_date={form.cleaned_data['issue_date'].isoformat()}")
    runs = InvoiceRun.objects.select_related("executed_by", "schedule")[:100]
    return render(request, "billing/office/run_list.html", {"form": form, "runs": runs})


@requires(perms.can_manage_billing)
def invoice_run_preview(request, year):
    try:
        issue_date = date.fromisoformat(request.POST.get("issue_date") or request.GET.get("issue_date") or "")
    except ValueError:
        issue_date = local_today()
    plan = selectors.invoice_run_plan(year=year, issue_date=issue_date)
    form = InvoiceRunExecuteForm(
        request.POST or None, initial={"fingerprint": plan.fingerprint, "issue_date": issue_date, "send": True}
    )
    if request.method == "POST" and form.is_valid():
        try:
            run = services.invoice_run_execute(
                year=year,
                actor=request.user,
                issue_date=form.cleaned_data["issue_date"],
                fingerprint=form.cleaned_data["fingerprint"],
                send=form.cleaned_data["send"],
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect(f"{reverse('billing:invoice_run_preview', args=[year])}?issue_date={issue_date.isoformat()}")
        messages.success(
            request, _("%(count)s invoices are issued for %(year)s.") % {"count": run.invoice_count, "year": year}
        )
        return redirect(run.get_absolute_url())
    return render(request, "billing/office/run_preview.html", {"plan": plan, "form": form, "year": year})


@requires(perms.can_manage_billing)
def invoice_run_detail(request, pk):
    run = get_object_or_404(InvoiceRun.objects.select_related("executed_by", "schedule"), pk=pk)
    invoices = run.invoices.select_related("series", "participant").order_by("number")
    return render(
        request,
        "billing/office/run_detail.html",
        {"run": run, "invoices": invoices, "timeline": entries_for(run)[:20]},
    )


# --- Fee schedules ---------------------------------------------------------------------------------------------------


@requires(perms.can_view_fee_schedules)
def fee_schedule_list(request):
    schedules = FeeSchedule.objects.prefetch_related("rates")
    return render(
        request,
        "billing/office/fee_schedule_list.html",
        {"schedules": schedules, "can_manage": perms.can_manage_billing(request.user)},
    )


@requires(perms.can_view_fee_schedules)
def fee_schedule_detail(request, pk):
    schedule = get_object_or_404(FeeSchedule.objects.prefetch_related("rates"), pk=pk)
    return render(
        request,
        "billing/office/fee_schedule_detail.html",
        {
            "schedule": schedule,
            "fee_table": selectors.fee_table_for_year(schedule.year),
            "can_manage": perms.can_manage_billing(request.user),
            "timeline": entries_for(schedule)[:50],
        },
    )


def _schedule_initial():
    last = FeeSchedule.objects.order_by("-year").first()
    if last is None:
        return {"year": local_today().year, "decided_on": local_today()}
    from ..services.schedules import SCHEDULE_FIELDS

    initial = {f: getattr(last, f) for f in SCHEDULE_FIELDS}
    initial.update(year=last.year + 1, decided_on=local_today(), decision_reference="")
    for rate in last.rates.all():
        initial[f"rate_{rate.category}"] = rate.amount
    return initial


@requires(perms.can_manage_billing)
def fee_schedule_create(request):
    form = FeeScheduleForm(request.POST or None, initial=_schedule_initial())
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            schedule = services.fee_schedule_save(actor=request.user, rates=form.rates(), **form.schedule_values())
            messages.success(request, _("The fee schedule is registered."))
            return redirect(schedule.get_absolute_url())
    return form_page(
        request,
        form,
        title=_("New fee schedule"),
        intro=_("The fees the steering group decided, from a year on. Filled in from the latest schedule."),
        submit=_("Register"),
        cancel_url=reverse("billing:fee_schedule_list"),
    )


@requires(perms.can_manage_billing)
def fee_schedule_edit(request, pk):
    schedule = get_object_or_404(FeeSchedule, pk=pk)
    form = FeeScheduleForm(request.POST or None, instance=FeeSchedule.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.fee_schedule_save(actor=request.user, schedule=schedule, rates=form.rates(), **form.schedule_values())
            messages.success(request, _("The fee schedule is saved."))
            return redirect(schedule.get_absolute_url())
    return form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": schedule},
        intro=_("Invoices already issued keep what they say; the changes apply to invoices issued from now on."),
        submit=_("Save"),
        cancel_url=schedule.get_absolute_url(),
    )


# --- Payments ------------------------------------------------------------------------------------------------------------

PAYMENT_COLUMNS = [
    Column("paid_on", gettext_lazy("Paid"), lambda p: p.paid_on, sort="paid_on"),
    Column("invoice", pgettext_lazy("document", "Invoice"), lambda p: p.invoice.display_number, sort="invoice__number",
           link=True),
    Column("buyer", gettext_lazy("Buyer"), lambda p: p.invoice.buyer_name, sort="invoice__buyer_name"),
    Column("amount", gettext_lazy("Amount"), lambda p: p.amount, sort="amount", numeric=True),
    Column("source", gettext_lazy("Source"), lambda p: p.get_source_display(), sort="source"),
    Column("reference", gettext_lazy("Bank reference"), lambda p: p.reference),
    Column("kid", gettext_lazy("KID"), lambda p: p.invoice.kid, export_only=True),
    Column("note", gettext_lazy("Note"), lambda p: p.note, export_only=True),
    Column("registered_by", gettext_lazy("Registered by"), lambda p: p.registered_by or "", export_only=True),
]


class PaymentListPage(MoneyListPage):
    def rows(self, objects):
        rows = super().rows(objects)
        for row in rows:
            row["object"] = row["object"].invoice  # the row links to its invoice
        return rows


@requires(perms.can_manage_billing)
def payment_list(request):
    page = PaymentListPage(request, queryset=selectors.payment_list(), columns=PAYMENT_COLUMNS,
                           filterset_class=PaymentFilter, default_sort="-paid_on")
    open_lines = selectors.open_import_lines().count()
    actions = [{"label": _("Import a payment file"), "url": reverse("billing:payment_import")}]
    if open_lines:
        actions.append({"label": _("To follow up (%(count)s)") % {"count": open_lines},
                        "url": reverse("billing:payment_import") + "#follow-up"})
    return list_response(request, page, title=_("Payments"), filename="innbetalinger", actions=actions)


@requires(perms.can_manage_billing)
def payment_import(request):
    form = PaymentImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            record = services.payment_import(uploaded=form.cleaned_data["file"], fmt=form.cleaned_data["format"],
                                             actor=request.user)
            messages.success(
                request,
                _("%(registered)s of %(count)s payments are registered; %(attention)s need following up.")
                % {"registered": record.registered_count, "count": record.line_count, "attention": record.attention_count},
            )
            return redirect(record.get_absolute_url())
    return render(
        request,
        "billing/office/payment_import.html",
        {
            "form": form,
            "open_lines": selectors.open_import_lines()[:200],
            "imports": selectors.payment_import_list()[:20],
        },
    )


@requires(perms.can_manage_billing)
def payment_import_detail(request, pk):
    record = get_object_or_404(PaymentImport.objects.select_related("imported_by"), pk=pk)
    lines = record.lines.select_related("invoice__series", "resolved_by").order_by("line_number")
    return render(request, "billing/office/payment_import_detail.html",
                  {"record": record, "lines": lines, "timeline": entries_for(record)[:50]})


@requires(perms.can_manage_billing)
def payment_line_resolve(request, pk):
    line = get_object_or_404(PaymentImportLine.objects.select_related("payment_import", "invoice__series"), pk=pk)
    if line.resolved:
        raise Http404
    form = ResolveLineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with errors_on(form):
            services.payment_line_resolve(line=line, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The payment is followed up."))
            return redirect(line.payment_import.get_absolute_url())
    intro = _("%(outcome)s: %(amount)s paid %(date)s, KID %(kid)s, reference %(reference)s. %(text)s") % {
        "outcome": line.get_outcome_display(),
        "amount": format_nok(line.amount, decimals=True),
        "date": line.paid_on.strftime("%d.%m.%Y"),
        "kid": line.kid or "–",
        "reference": line.reference or "–",
        "text": line.text,
    }
    return form_page(request, form, title=_("Follow up an imported payment"), intro=intro, submit=_("Save"),
                     cancel_url=line.payment_import.get_absolute_url())


# --- Reminders and sendings ------------------------------------------------------------------------------------------------


@requires(perms.can_manage_billing)
def reminder_list(request):
    policy = selectors.billing_settings()
    if request.method == "POST":
        sent, failed = 0, []
        for invoice in selectors.reminders_due(local_today(), policy):
            try:
                services.invoice_remind(invoice=invoice, actor=request.user)
                sent += 1
            except DomainError as error:
                failed.append(f"{invoice.display_number}: {error.message}")
        messages.success(request, _("%(count)s reminders are on their way.") % {"count": sent})
        for failure in failed:
            messages.error(request, failure)
        return redirect("billing:reminder_list")
    return render(
        request,
        "billing/office/reminder_list.html",
        {
            "due": selectors.reminders_due(local_today(), policy),
            "exhausted": selectors.reminders_exhausted(local_today(), policy),
            "policy": policy,
        },
    )


class DispatchListPage(ListPage):
    def rows(self, objects):
        rows = super().rows(objects)
        for row in rows:
            row["object"] = row["object"].document
        return rows


DISPATCH_COLUMNS = [
    Column("created_at", gettext_lazy("Time"), lambda d: d.created_at, sort="created_at"),
    Column("document", gettext_lazy("Document"), lambda d: str(d.document), link=True),
    Column("kind", gettext_lazy("What"), lambda d: d.get_kind_display(), sort="kind"),
    Column("channel", gettext_lazy("Channel"), lambda d: d.get_channel_display(), sort="channel"),
    Column("recipient", gettext_lazy("Recipient"), lambda d: d.recipient),
    Column("outcome", gettext_lazy("Outcome"), lambda d: d.get_outcome_display(), sort="outcome"),
    Column("detail", gettext_lazy("Detail"), lambda d: d.detail),
    Column("actor", gettext_lazy("By"), lambda d: d.actor or "", export_only=True),
]


@requires(perms.can_manage_billing)
def dispatch_list(request):
    page = DispatchListPage(request, queryset=selectors.dispatch_list(), columns=DISPATCH_COLUMNS,
                            filterset_class=DispatchFilter, default_sort="-created_at")
    return list_response(request, page, title=_("Sendings"), filename="utsendinger")


# --- Economy and settings --------------------------------------------------------------------------------------------------


@requires(perms.can_view_economy)
def economy(request):
    years = selectors.economy_years()
    try:
        year = int(request.GET.get("year") or local_today().year)
    except ValueError:
        year = local_today().year
    overview = selectors.economy(year)
    if request.GET.get("format") == "xlsx":
        return economy_response(overview)
    return render(request, "billing/office/economy.html", {"economy": overview, "years": years, "year": year})


@requires(perms.can_manage_billing)
def billing_settings(request):
    policy = selectors.billing_settings()
    form = BillingSettingsForm(request.POST if "settings" in request.POST else None, instance=policy, prefix="settings")
    series_rows = [services.schedules.series(key) for key, _label in NumberSeries.KEYS]
    series_forms = [
        NumberSeriesForm(request.POST if row.key in request.POST else None, instance=NumberSeries.objects.get(pk=row.pk),
                         prefix=row.key)
        for row in series_rows
    ]
    if request.method == "POST":
        if "settings" in request.POST and form.is_valid():
            services.billing_settings_update(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The settings are saved."))
            return redirect("billing:billing_settings")
        for row, series_form in zip(series_rows, series_forms, strict=True):
            if row.key in request.POST and series_form.is_valid():
                with errors_on(series_form):
                    services.number_series_update(series_row=row, actor=request.user, **series_form.cleaned_data)
                    messages.success(request, _("The number series is saved."))
                    return redirect("billing:billing_settings")
    return render(
        request,
        "billing/office/settings.html",
        {"form": form, "series": list(zip(series_rows, series_forms, strict=True))},
    )
