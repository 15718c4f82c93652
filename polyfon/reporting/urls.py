from django.urls import path

from .views import mine, office, public

app_name = "reporting"

urlpatterns = [
    # Public
    path("arsmelding/", public.public_report_list, name="public_report_list"),
    path("arsmelding/<int:year>/", public.public_report, name="public_report"),
    path("arsmelding/<int:year>/pdf/", public.public_report_pdf, name="public_report_pdf"),
    path("arsmelding/<int:year>/data/", public.public_report_xlsx, name="public_report_xlsx"),
    # The participant's own pages
    path("min-side/rapportering/", mine.mine_reports, name="mine_reports"),
    path("min-side/rapportering/<int:round_pk>/<int:participant_pk>/", mine.mine_report, name="mine_report"),
    path(
        "min-side/rapportering/<int:round_pk>/<int:participant_pk>/korriger/",
        mine.mine_report_correct,
        name="mine_report_correct",
    ),
    # The office: indicators
    path("kontor/indikatorer/", office.indicator_list, name="indicator_list"),
    path("kontor/indikatorer/ny/", office.indicator_create, name="indicator_create"),
    path("kontor/indikatorer/<int:pk>/", office.indicator_detail, name="indicator_detail"),
    path("kontor/indikatorer/<int:pk>/endre/", office.indicator_edit, name="indicator_edit"),
    # The office: reporting rounds
    path("kontor/rapportering/", office.round_list, name="round_list"),
    path("kontor/rapportering/ny/", office.round_create, name="round_create"),
    path("kontor/rapportering/<int:pk>/", office.round_detail, name="round_detail"),
    path("kontor/rapportering/<int:pk>/endre/", office.round_edit, name="round_edit"),
    path("kontor/rapportering/<int:pk>/purring/", office.round_remind, name="round_remind"),
    path("kontor/rapportering/<int:pk>/svar/", office.round_answers, name="round_answers"),
    path("kontor/rapportering/<int:pk>/<slug:move>/", office.round_move, name="round_move"),
    path("kontor/rapportering/innsendinger/<int:pk>/", office.submission_detail, name="submission_detail"),
    path("kontor/rapportering/innsendinger/<int:pk>/korriger/", office.submission_correct, name="submission_correct"),
    # The office: imports
    path("kontor/import/indikatorer/", office.import_list, name="import_list"),
    path("kontor/import/indikatorer/<int:pk>/", office.import_detail, name="import_detail"),
    path("kontor/import/indikatorer/<int:pk>/<slug:move>/", office.import_move, name="import_move"),
    # The office: annual reports
    path("kontor/arsmeldinger/", office.report_list, name="report_list"),
    path("kontor/arsmeldinger/ny/", office.report_create, name="report_create"),
    path("kontor/arsmeldinger/<int:pk>/", office.report_detail, name="report_detail"),
    path("kontor/arsmeldinger/<int:pk>/endre/", office.report_edit, name="report_edit"),
    path("kontor/arsmeldinger/<int:pk>/forhandsvisning/", office.report_preview, name="report_preview"),
    path("kontor/arsmeldinger/<int:pk>/pdf/", office.report_pdf_download, name="report_pdf"),
    path("kontor/arsmeldinger/<int:pk>/data/", office.report_xlsx_download, name="report_xlsx"),
    path("kontor/arsmeldinger/<int:pk>/seksjoner/ny/", office.section_create, name="section_create"),
    path("kontor/arsmeldinger/<int:pk>/<slug:move>/", office.report_move, name="report_move"),
    path("kontor/arsmeldinger/seksjoner/<int:pk>/", office.section_edit, name="section_edit"),
    path("kontor/arsmeldinger/seksjoner/<int:pk>/slett/", office.section_delete, name="section_delete"),
    path("kontor/arsmeldinger/seksjoner/<int:pk>/flytt/", office.section_move, name="section_move"),
]
