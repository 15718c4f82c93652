from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "polyfon.members"
    label = "members"
    verbose_name = _("Participant register")

    def ready(self):
        from allauth.account.signals import email_confirmed

        from polyfon.core.navigation import MINE_MENU, OFFICE_MENU, PUBLIC_MENU, MenuItem

        from . import audit_labels  # noqa: F401
        from . import permissions as perms

        PUBLIC_MENU.add(
            MenuItem(_("Participants"), "members:public_participants", order=30),
            MenuItem(_("Join"), "members:join", order=90),
        )
        OFFICE_MENU.add(
            MenuItem(_("Overview"), "members:office_dashboard", perms.can_view_register, order=0, exact=True),
            MenuItem(_("Participants"), "members:participant_list", perms.can_view_register, order=10),
            MenuItem(_("Organisations"), "members:organisation_list", perms.can_view_register, order=11),
            MenuItem(_("Persons"), "members:person_list", perms.can_manage_register, order=12),
            MenuItem(_("Letters of intent"), "members:letter_list", perms.can_manage_register, order=13),
            MenuItem(_("Admission rounds"), "members:admission_round_list", perms.can_manage_register, order=80),
            MenuItem(_("Import from Brønnøysund"), "members:brreg_import", perms.can_manage_register, order=81),
            MenuItem(_("Change log"), "members:audit_log", perms.can_view_audit_log, order=99),
        )
        MINE_MENU.add(MenuItem(_("My organisations"), "members:mine_home", order=10, exact=True))
        email_confirmed.connect(_link_person_on_confirmed_email, dispatch_uid="members_link_person")


def _link_person_on_confirmed_email(sender, request, email_address, **kwargs):
    """allauth's documented signal: a verified address connects the login to its person."""
    from .services import person_link_user

    person_link_user(user=email_address.user)
