"""Downloads of invoices and credit notes (PDF and EHF) for coordinators and the participant's
contact persons. The URL carries only the document's id; the rule decides who gets it."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from polyfon.core.downloads import attachment_response
from polyfon.core.permissions import authenticated, ensure, requires

from .. import ehf, services
from .. import permissions as perms
from ..models import CreditNote, Invoice


def _pdf_response(document) -> HttpResponse:
    return attachment_response(services.document_pdf(document), filename=services.pdf_filename(document))


def _ehf_response(request, document) -> HttpResponse:
    try:
        content = ehf.document_xml(document, pdf=services.document_pdf(document))
    except ehf.EhfRuleError as error:
        # Never hand out a file that breaks the rules; say which rule instead.
        messages.error(request, _("The EHF file cannot be made: %(error)s") % {"error": error})
        return redirect(document.get_absolute_url() if perms.can_manage_billing(request.user) else "billing:mine_invoices")
    return attachment_response(content, filename=ehf.filename(document), content_type="application/xml; charset=utf-8")


def _invoice(request, pk) -> Invoice:
    invoice = get_object_or_404(Invoice.objects.select_related("series", "corrects__series"), pk=pk)
    ensure(request.user, perms.can_view_document, invoice)
    return invoice


def _credit_note(request, pk) -> CreditNote:
    credit_note = get_object_or_404(CreditNote.objects.select_related("series", "invoice__series"), pk=pk)
    ensure(request.user, perms.can_view_document, credit_note)
    return credit_note


@requires(authenticated)
def invoice_pdf(request, pk):
    return _pdf_response(_invoice(request, pk))


@requires(authenticated)
def invoice_ehf(request, pk):
    return _ehf_response(request, _invoice(request, pk))


@requires(authenticated)
def credit_note_pdf(request, pk):
    return _pdf_response(_credit_note(request, pk))


@requires(authenticated)
def credit_note_ehf(request, pk):
    return _ehf_response(request, _credit_note(request, pk))
