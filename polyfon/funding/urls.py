from django.urls import path

from .views import mine, office, projects, public

app_name = "funding"

urlpatterns = [
    # Public
    path("utlysninger/", public.public_call_list, name="public_call_list"),
    path("utlysninger/<slug:slug>/", public.public_call, name="public_call"),
    path("api/utlysninger/", public.call_feed, name="call_feed"),
    # The applicant's own pages
    path("min-side/soknader/", mine.mine_applications, name="mine_applications"),
    path("min-side/soknader/mine-opplysninger/", mine.mine_profile, name="mine_profile"),
    path("min-side/soknader/ny/<int:call_pk>/", mine.mine_application_start, name="mine_application_start"),
    path("min-side/soknader/<int:pk>/", mine.mine_application, name="mine_application"),
    path("min-side/soknader/<int:pk>/prosjekt/", mine.mine_application_edit, name="mine_application_edit"),
    path("min-side/soknader/<int:pk>/budsjett/", mine.mine_application_budget, name="mine_application_budget"),
    path("min-side/soknader/<int:pk>/team/", mine.mine_application_team, name="mine_application_team"),
    path("min-side/soknader/<int:pk>/partnere/", mine.mine_application_partners, name="mine_application_partners"),
    path("min-side/soknader/<int:pk>/vedlegg/", mine.mine_application_attachments, name="mine_application_attachments"),
    path(
        "min-side/soknader/<int:pk>/vedlegg/<int:attachment_pk>/fjern/",
        mine.mine_attachment_remove,
        name="mine_attachment_remove",
    ),
    path("min-side/soknader/<int:pk>/send-inn/", mine.mine_application_submit, name="mine_application_submit"),
    path("min-side/soknader/<int:pk>/trekk/", mine.mine_application_withdraw, name="mine_application_withdraw"),
    # The reviewer's own pages
    path("min-side/vurderinger/", mine.mine_reviews, name="mine_reviews"),
    path("min-side/vurderinger/<int:pk>/", mine.mine_review, name="mine_review"),
    path("min-side/vurderinger/<int:pk>/habilitet/", mine.mine_review_declare, name="mine_review_declare"),
    # The project leader's own pages
    path("min-side/prosjekter/<int:pk>/", mine.mine_grant, name="mine_grant"),
    path("min-side/prosjekter/<int:pk>/rapporter/<int:report_pk>/", mine.mine_report, name="mine_report"),
    path("min-side/prosjekter/<int:pk>/resultater/ny/", mine.mine_output_add, name="mine_output_add"),
    # Documents, each behind its permission
    path("dokumenter/soknader/<int:pk>/pdf/", mine.application_pdf_download, name="application_pdf"),
    path("dokumenter/soknadsvedlegg/<int:pk>/", mine.attachment_download, name="attachment_download"),
    path("dokumenter/prosjektrapporter/<int:pk>/", mine.report_file_download, name="report_file"),
    # The office: calls, applications, review, decisions
    path("kontor/utlysninger/", office.call_list, name="call_list"),
    path("kontor/utlysninger/ny/", office.call_create, name="call_create"),
    path("kontor/utlysninger/<int:pk>/", office.call_detail, name="call_detail"),
    path("kontor/utlysninger/<int:pk>/endre/", office.call_edit, name="call_edit"),
    path("kontor/utlysninger/<int:pk>/kriterier/", office.call_criteria, name="call_criteria"),
    path("kontor/utlysninger/<int:pk>/fagfeller/", office.call_reviewers, name="call_reviewers"),
    path(
        "kontor/utlysninger/<int:pk>/fagfeller/<int:person_pk>/fjern/",
        office.call_reviewer_remove,
        name="call_reviewer_remove",
    ),
    path("kontor/utlysninger/<int:pk>/publiser/", office.call_publish, name="call_publish"),
    path("kontor/utlysninger/<int:pk>/rangering/", office.call_ranking, name="call_ranking"),
    path("kontor/utlysninger/<int:pk>/vedtak/", office.call_decisions, name="call_decisions"),
    path("kontor/soknader/", office.application_list, name="application_list"),
    path("kontor/soknader/<int:pk>/", office.application_detail, name="application_detail"),
    path("kontor/soknader/<int:pk>/fagfeller/", office.application_assign, name="application_assign"),
    path("kontor/soknader/<int:pk>/gjenapne/", office.application_reopen, name="application_reopen"),
    path("kontor/soknader/<int:pk>/forslag/", office.application_proposal, name="application_proposal"),
    path("kontor/soknader/<int:pk>/vedtak/", office.application_decide, name="application_decide"),
    path("kontor/vurderinger/<int:pk>/fjern/", office.review_unassign, name="review_unassign"),
    path("kontor/vurderinger/<int:pk>/returner/", office.review_return, name="review_return"),
    # The office: projects
    path("kontor/prosjekter/", projects.grant_list, name="grant_list"),
    path("kontor/prosjekter/<int:pk>/", projects.grant_detail, name="grant_detail"),
    path("kontor/prosjekter/<int:pk>/endre/", projects.grant_edit, name="grant_edit"),
    path("kontor/prosjekter/<int:pk>/avbryt/", projects.grant_cancel, name="grant_cancel"),
    path("kontor/prosjekter/<int:pk>/utbetalinger/ny/", projects.payment_add, name="payment_add"),
    path("kontor/prosjekter/<int:pk>/studenter/ny/", projects.student_add, name="student_add"),
    path("kontor/prosjekter/<int:pk>/resultater/ny/", projects.output_add, name="output_add"),
    path("kontor/utbetalinger/<int:pk>/utbetalt/", projects.payment_made, name="payment_made"),
    path("kontor/utbetalinger/<int:pk>/fjern/", projects.payment_remove, name="payment_remove"),
    path("kontor/studenter/<int:pk>/fjern/", projects.student_remove, name="student_remove"),
    path("kontor/resultater/<int:pk>/fjern/", projects.output_remove, name="output_remove"),
    path("kontor/rapporter/", projects.report_list, name="report_list"),
    path("kontor/rapporter/<int:pk>/", projects.report_detail, name="report_detail"),
]
