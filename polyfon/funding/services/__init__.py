"""Every write of the funding app: one function per change, one transaction each, audited.

Functions take keyword arguments only, lock what they change, raise DomainError with a message
for the user when a rule says no, and send e-mail only after commit. Split by sub-domain:
calls, applications, reviews, decisions and grants (projects, payments, reports, outputs).
"""

from .applications import (  # noqa: F401
    BudgetEntry,
    ExternalPartnerEntry,
    Problem,
    SubmissionRefused,
    TeamEntry,
    applicant_profile_save,
    application_add_attachment,
    application_problems,
    application_remove_attachment,
    application_reopen,
    application_set_budget,
    application_set_external_partners,
    application_set_proposal,
    application_set_team,
    application_start,
    application_submit,
    application_update,
    application_withdraw,
    applications_end_reopenings,
    earlier_grants,
    eligible_participants_for,
)
from .calls import (  # noqa: F401
    CriterionEntry,
    call_add_reviewer,
    call_create,
    call_publish,
    call_remove_reviewer,
    call_set_criteria,
    call_unpublish,
    call_update,
)
from .decisions import DecisionEntry, application_decide, call_record_decisions  # noqa: F401
from .grants import (  # noqa: F401
    grant_add_output,
    grant_add_student,
    grant_cancel,
    grant_plan_payment,
    grant_register_payment,
    grant_remove_output,
    grant_remove_payment,
    grant_remove_student,
    grant_update,
    report_approve,
    report_return,
    report_send_reminders,
    report_submit,
)
from .reviews import (  # noqa: F401
    conflict_reasons,
    conflicts_for_candidates,
    review_assign,
    review_declare,
    review_return,
    review_save,
    review_send_reminders,
    review_submit,
    review_unassign,
)
