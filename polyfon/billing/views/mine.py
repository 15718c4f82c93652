"""The participant's own pages (/min-side/): their invoices and credit notes."""

from django.shortcuts import render

from polyfon.core.dates import local_today
from polyfon.core.permissions import requires

from .. import lifecycle, selectors
from .. import permissions as perms
from ..models import InvoiceStatus


@requires(perms.can_view_own_invoices)
def mine_invoices(request):
    invoices, credit_notes = selectors.documents_of_contact(request.user)
    today = local_today()
    rows = [(invoice, InvoiceStatus(lifecycle.status_for(invoice, today))) for invoice in invoices]
    return render(request, "billing/mine/invoices.html", {"rows": rows, "credit_notes": credit_notes})
