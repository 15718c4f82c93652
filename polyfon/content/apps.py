from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "polyfon.content"
    label = "content"
    verbose_name = _("Content")

    def ready(self):
        from polyfon.core.navigation import OFFICE_MENU, PUBLIC_MENU, MenuItem

        from . import audit_labels  # noqa: F401
        from . import permissions as perms

        PUBLIC_MENU.add(
            MenuItem(_("Work areas"), "content:public_work_areas", order=10),
            MenuItem(_("News"), "content:news_list", order=20),
            MenuItem(_("About the cluster"), "content:about", order=60),
            MenuItem(_("Newsletter"), "content:newsletter_subscribe", order=80),
        )
        OFFICE_MENU.add(
            MenuItem(_("Work areas"), "content:work_area_list", perms.can_manage_content, order=82),
            MenuItem(_("News"), "content:news_office_list", perms.can_manage_content, order=83),
            MenuItem(_("Newsletter"), "content:issue_list", perms.can_manage_newsletter, order=84),
            MenuItem(_("Subscribers"), "content:subscriber_list", perms.can_manage_newsletter, order=85),
        )
