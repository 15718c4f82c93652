from django.urls import path

from .views import documents, mine, office

app_name = "billing"

urlpatterns = [
    # The participant's own pages and the documents
    path("min-side/fakturaer/", mine.mine_invoices, name="mine_invoices"),
    path("dokumenter/fakturaer/<int:pk>/pdf/", documents.invoice_pdf, name="invoice_pdf"),
    path("dokumenter/fakturaer/<int:pk>/ehf/", documents.invoice_ehf, name="invoice_ehf"),
    path("dokumenter/kreditnotaer/<int:pk>/pdf/", documents.credit_note_pdf, name="credit_note_pdf"),
    path("dokumenter/kreditnotaer/<int:pk>/ehf/", documents.credit_note_ehf, name="credit_note_ehf"),
    # The office
    path("kontor/fakturaer/", office.invoice_list, name="invoice_list"),
    path("kontor/fakturaer/ny/", office.invoice_create, name="invoice_create"),
    path("kontor/fakturaer/<int:pk>/", office.invoice_detail, name="invoice_detail"),
    path("kontor/fakturaer/<int:pk>/krediter/", office.invoice_credit, name="invoice_credit"),
    path("kontor/fakturaer/<int:pk>/innbetaling/", office.invoice_payment, name="invoice_payment"),
    path("kontor/fakturaer/<int:pk>/purring/", office.invoice_remind, name="invoice_remind"),
    path("kontor/fakturaer/<int:pk>/send/", office.invoice_send, name="invoice_send"),
    path("kontor/kreditnotaer/", office.credit_note_list, name="credit_note_list"),
    path("kontor/kreditnotaer/<int:pk>/", office.credit_note_detail, name="credit_note_detail"),
    path("kontor/kreditnotaer/<int:pk>/send/", office.credit_note_send, name="credit_note_send"),
    path("kontor/fakturering/", office.invoice_run_list, name="invoice_run_list"),
    path("kontor/fakturering/<int:year>/", office.invoice_run_preview, name="invoice_run_preview"),
    path("kontor/fakturering/kjoringer/<int:pk>/", office.invoice_run_detail, name="invoice_run_detail"),
    path("kontor/avgifter/", office.fee_schedule_list, name="fee_schedule_list"),
    path("kontor/avgifter/ny/", office.fee_schedule_create, name="fee_schedule_create"),
    path("kontor/avgifter/<int:pk>/", office.fee_schedule_detail, name="fee_schedule_detail"),
    path("kontor/avgifter/<int:pk>/endre/", office.fee_schedule_edit, name="fee_schedule_edit"),
    path("kontor/innbetalinger/", office.payment_list, name="payment_list"),
    path("kontor/innbetalinger/import/", office.payment_import, name="payment_import"),
    path("kontor/innbetalinger/import/<int:pk>/", office.payment_import_detail, name="payment_import_detail"),
    path("kontor/innbetalinger/oppfolging/<int:pk>/", office.payment_line_resolve, name="payment_line_resolve"),
    path("kontor/purringer/", office.reminder_list, name="reminder_list"),
    path("kontor/utsendinger/", office.dispatch_list, name="dispatch_list"),
    path("kontor/okonomi/", office.economy, name="economy"),
    path("kontor/okonomi/innstillinger/", office.billing_settings, name="billing_settings"),
]
