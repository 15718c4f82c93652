from django.utils.translation import gettext_lazy as _

from polyfon.core.audit import register_action_labels

register_action_labels(
    {
        "polyfon.members.organisation.created": _("Organisation registered"),
        "polyfon.members.organisation.changed": _("Organisation changed"),
        "polyfon.members.person.created": _("Person registered"),
        "polyfon.members.person.changed": _("Person changed"),
        "polyfon.members.person.affiliations_changed": _("Affiliations changed"),
        "polyfon.members.person.login_linked": _("Login connected"),
        "polyfon.members.person.invited": _("Invited to log in"),
        "polyfon.members.participant.created": _("Participant registered"),
        "polyfon.members.participant.changed": _("Participant changed"),
        "polyfon.members.participant.work_areas_changed": _("Work areas changed"),
        "polyfon.members.participant.organisations_changed": _("Organisations changed"),
        "polyfon.members.participant.contact_added": _("Contact person added"),
        "polyfon.members.participant.contact_removed": _("Contact person removed"),
        "polyfon.members.participant.letter_received": _("Letter of intent received"),
        "polyfon.members.participant.record_letter": _("Letter of intent registered"),
        "polyfon.members.participant.admit": _("Consortium agreement registered: member"),
        "polyfon.members.participant.give_notice": _("Notice of termination registered"),
        "polyfon.members.participant.withdraw_notice": _("Notice withdrawn"),
        "polyfon.members.participant.end_membership": _("Membership ended"),
        "polyfon.members.participant.withdraw": _("Closed as not joining"),
        "polyfon.members.participant.reopen": _("Reopened as prospect"),
        "polyfon.members.participant.document_added": _("Agreement document uploaded"),
        "polyfon.members.admission_round.created": _("Admission round created"),
        "polyfon.members.admission_round.changed": _("Admission round changed"),
        "polyfon.accounts.user.changed": _("Account changed"),
        "polyfon.accounts.user.coordinator_changed": _("Coordinator role changed"),
    }
)
