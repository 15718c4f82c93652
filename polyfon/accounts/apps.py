from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "polyfon.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from polyfon.core.navigation import MINE_MENU, MenuItem
        from polyfon.core.permissions import authenticated

        MINE_MENU.add(
            MenuItem(_("Overview"), "accounts:home", authenticated, order=0),
            MenuItem(_("My account"), "accounts:profile", authenticated, order=900),
        )
