from django.utils.translation import gettext_lazy as _

from polyfon.core.audit import register_action_labels

register_action_labels(
    {
        "polyfon.events.event.created": _("Event created"),
        "polyfon.events.event.copied": _("Event created as a copy"),
        "polyfon.events.event.changed": _("Event changed"),
        "polyfon.events.event.audiences_changed": _("Audiences changed"),
        "polyfon.events.event.work_areas_changed": _("Work areas changed"),
        "polyfon.events.event.questions_changed": _("Registration questions changed"),
        "polyfon.events.event.publish": _("Event published"),
        "polyfon.events.event.unpublish": _("Event back to draft"),
        "polyfon.events.event.cancel": _("Event cancelled"),
        "polyfon.events.event.message_sent": _("E-mail sent to registrants"),
        "polyfon.events.event.reminders_sent": _("Reminders sent"),
        "polyfon.events.event.personal_data_removed": _("Personal data of the registrations removed"),
        "polyfon.events.registration.confirmed": _("Registered"),
        "polyfon.events.registration.waitlisted": _("Put on the waiting list"),
        "polyfon.events.registration.promoted": _("Moved up from the waiting list"),
        "polyfon.events.registration.changed": _("Registration changed"),
        "polyfon.events.registration.cancelled": _("Registration cancelled"),
        "polyfon.events.registration.attendance_marked": _("Attendance marked"),
    }
)
