"""Every write of reporting: one function per change, one transaction each, audited.

Functions take keyword arguments only, lock what they change, raise DomainError with a message
for the user when a rule says no, and send e-mail only after commit. Split by sub-domain:
indicator definitions, reporting rounds and reports, imports, and annual reports.
"""

from .imports import (
    Mapping,
    import_discard,
    import_execute,
    import_plan,
    import_undo,
    import_upload,
    parse_csv,
    parse_number,
)
from .indicators import indicator_create, indicator_sync_defaults, indicator_update
from .reports import (
    annual_report_create,
    annual_report_freeze,
    annual_report_publish,
    annual_report_store_pdf,
    annual_report_unfreeze,
    annual_report_update,
    annual_report_withdraw,
    section_create,
    section_delete,
    section_move,
    section_update,
)
from .rounds import (
    form_url,
    reminder_due,
    report_correct,
    report_save,
    report_submit,
    round_close,
    round_create,
    round_open,
    round_remind,
    round_reopen,
    round_update,
    send_round_reminders,
)

__all__ = [
    "Mapping",
    "annual_report_create",
    "annual_report_freeze",
    "annual_report_publish",
    "annual_report_store_pdf",
    "annual_report_unfreeze",
    "annual_report_update",
    "annual_report_withdraw",
    "form_url",
    "import_discard",
    "import_execute",
    "import_plan",
    "import_undo",
    "import_upload",
    "indicator_create",
    "indicator_sync_defaults",
    "indicator_update",
    "parse_csv",
    "parse_number",
    "reminder_due",
    "report_correct",
    "report_save",
    "report_submit",
    "round_close",
    "round_create",
    "round_open",
    "round_remind",
    "round_reopen",
    "round_update",
    "section_create",
    "section_delete",
    "section_move",
    "section_update",
    "send_round_reminders",
]
