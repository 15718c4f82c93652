from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "polyfon.reporting"
    label = "reporting"
    verbose_name = _("Reporting")

    def ready(self):
        from polyfon.core.navigation import MINE_MENU, OFFICE_MENU, PUBLIC_MENU, MenuItem

        from . import audit_labels  # noqa: F401
        from . import permissions as perms

        PUBLIC_MENU.add(MenuItem(_("Annual reports"), "reporting:public_report_list", order=50))
        MINE_MENU.add(MenuItem(_("Indicator reporting"), "reporting:mine_reports", order=40))
        OFFICE_MENU.add(
            MenuItem(_("Annual reports"), "reporting:report_list", perms.can_view_reporting, order=70),
            MenuItem(_("Indicators"), "reporting:indicator_list", perms.can_view_reporting, order=71),
            MenuItem(_("Indicator reporting"), "reporting:round_list", perms.can_view_reporting, order=72),
            MenuItem(_("Indicator imports"), "reporting:import_list", perms.can_manage_reporting, order=73),
        )
        # Django's documented extension point for default rows (as contenttypes and auth use it):
        # the indicators the system defines exist after every migrate, and after a test flush.
        post_migrate.connect(_create_default_indicators, sender=self, dispatch_uid="reporting_default_indicators")


def _create_default_indicators(sender, using="default", apps=None, **kwargs):
    if apps is not None:
        try:
            apps.get_model("reporting", "Indicator")
        except LookupError:  # migrated back to before the table existed
            return
    from .services import indicator_sync_defaults

    indicator_sync_defaults(using=using)
