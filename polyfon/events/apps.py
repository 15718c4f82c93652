from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "polyfon.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self):
        from polyfon.core.navigation import MINE_MENU, OFFICE_MENU, PUBLIC_MENU, MenuItem

        from . import audit_labels  # noqa: F401
        from . import permissions as perms

        PUBLIC_MENU.add(MenuItem(_("Events"), "events:event_list", order=40))
        MINE_MENU.add(MenuItem(_("Events"), "events:mine_events", order=30))
        OFFICE_MENU.add(MenuItem(_("Events"), "events:office_event_list", perms.can_manage_events, order=40))
