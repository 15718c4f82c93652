from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "polyfon.funding"
    label = "funding"
    verbose_name = _("Funding")

    def ready(self):
        from polyfon.core.navigation import MINE_MENU, OFFICE_MENU, PUBLIC_MENU, MenuItem

        from . import audit_labels  # noqa: F401
        from . import permissions as perms

        PUBLIC_MENU.add(MenuItem(_("Calls for funds"), "funding:public_call_list", order=40))
        MINE_MENU.add(
            MenuItem(_("My applications"), "funding:mine_applications", order=20),
            MenuItem(_("My reviews"), "funding:mine_reviews", perms.has_review_assignments, order=21),
        )
        OFFICE_MENU.add(
            MenuItem(_("Calls"), "funding:call_list", perms.can_read_funding, order=30),
            MenuItem(_("Applications"), "funding:application_list", perms.can_read_funding, order=31),
            MenuItem(_("Projects"), "funding:grant_list", perms.can_read_funding, order=32),
            MenuItem(_("Project reports"), "funding:report_list", perms.can_read_funding, order=33),
        )
