from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "polyfon.billing"
    label = "billing"
    verbose_name = _("Billing")

    def ready(self):
        from polyfon.core.navigation import MINE_MENU, OFFICE_MENU, MenuItem

        from . import audit_labels  # noqa: F401
        from . import permissions as perms

        OFFICE_MENU.add(
            MenuItem(_("Invoices"), "billing:invoice_list", perms.can_manage_billing, order=20),
            MenuItem(_("Invoice runs"), "billing:invoice_run_list", perms.can_manage_billing, order=21),
            MenuItem(_("Payments"), "billing:payment_list", perms.can_manage_billing, order=22),
            MenuItem(_("Economy"), "billing:economy", perms.can_view_economy, order=23),
            MenuItem(_("Fee schedules"), "billing:fee_schedule_list", perms.can_view_fee_schedules, order=24),
            MenuItem(_("Billing settings"), "billing:billing_settings", perms.can_manage_billing, order=82),
        )
        MINE_MENU.add(MenuItem(_("Invoices"), "billing:mine_invoices", perms.has_own_invoices, order=20))
