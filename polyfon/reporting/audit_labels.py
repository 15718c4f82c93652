from django.utils.translation import gettext_lazy as _

from polyfon.core.audit import register_action_labels

register_action_labels(
    {
        "polyfon.reporting.indicator.created": _("Indicator created"),
        "polyfon.reporting.indicator.changed": _("Indicator changed"),
        "polyfon.reporting.round.created": _("Reporting round prepared"),
        "polyfon.reporting.round.changed": _("Reporting round changed"),
        "polyfon.reporting.round.indicators_changed": _("Indicators of the round changed"),
        "polyfon.reporting.round.open": _("Reporting round opened; participants invited"),
        "polyfon.reporting.round.close": _("Reporting round closed"),
        "polyfon.reporting.round.reopen": _("Reporting round reopened"),
        "polyfon.reporting.round.reminded": _("Reminders sent"),
        "polyfon.reporting.report.saved": _("Indicator report saved"),
        "polyfon.reporting.report.submitted": _("Indicator report submitted"),
        "polyfon.reporting.report.corrected": _("Indicator report corrected"),
        "polyfon.reporting.import.uploaded": _("Indicator file uploaded"),
        "polyfon.reporting.import.imported": _("Indicator values imported"),
        "polyfon.reporting.import.discarded": _("Indicator file discarded"),
        "polyfon.reporting.import.undone": _("Indicator import undone"),
        "polyfon.reporting.annual_report.created": _("Annual report created"),
        "polyfon.reporting.annual_report.changed": _("Annual report changed"),
        "polyfon.reporting.annual_report.section_added": _("Section added"),
        "polyfon.reporting.annual_report.section_changed": _("Section changed"),
        "polyfon.reporting.annual_report.section_removed": _("Section removed"),
        "polyfon.reporting.annual_report.section_moved": _("Section moved"),
        "polyfon.reporting.annual_report.freeze": _("Figures frozen"),
        "polyfon.reporting.annual_report.unfreeze": _("Figures unfrozen"),
        "polyfon.reporting.annual_report.publish": _("Annual report published"),
        "polyfon.reporting.annual_report.withdraw": _("Annual report withdrawn"),
    }
)
