from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class GovernanceConfig(AppConfig):
    name = "polyfon.governance"
    label = "governance"
    verbose_name = _("Governance")

    def ready(self):
        from polyfon.core.navigation import MINE_MENU, OFFICE_MENU, PUBLIC_MENU, MenuItem

        from . import audit_labels  # noqa: F401
        from . import permissions as perms

        PUBLIC_MENU.add(MenuItem(pgettext_lazy("menu", "Organisation"), "governance:public_bodies", order=40))
        OFFICE_MENU.add(
            MenuItem(_("Governance"), "governance:overview", perms.can_view_governance, order=40, exact=True),
            MenuItem(_("Meetings"), "governance:meeting_list", perms.can_view_governance, order=41),
            MenuItem(_("Decision register"), "governance:decision_list", perms.can_view_governance, order=42),
            MenuItem(_("Representation proposals"), "governance:proposal_list", perms.can_view_governance, order=43),
        )
        MINE_MENU.add(MenuItem(_("Bodies, meetings and votes"), "governance:mine_home", order=20))
