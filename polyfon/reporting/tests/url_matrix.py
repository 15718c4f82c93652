"""Who may open each URL of reporting (see polyfon.core.testing)."""

from polyfon.core.testing import COORDINATORS, LOGGED_IN, OWN_PARTICIPANT, POST_ONLY, PUBLIC, REGISTER_READERS

MATRIX = {
    # Public
    "reporting:public_report_list": ({}, PUBLIC),
    "reporting:public_report": ({"year": "published_year"}, PUBLIC),
    "reporting:public_report_pdf": ({"year": "published_year"}, PUBLIC),
    "reporting:public_report_xlsx": ({"year": "published_year"}, PUBLIC),
    # The participant's own pages
    "reporting:mine_reports": ({}, LOGGED_IN),
    "reporting:mine_report": ({"round_pk": "reporting_round", "participant_pk": "member"}, OWN_PARTICIPANT),
    "reporting:mine_report_correct": ({"round_pk": "reporting_round", "participant_pk": "member"}, OWN_PARTICIPANT),
    # The office: indicators
    "reporting:indicator_list": ({}, REGISTER_READERS),
    "reporting:indicator_create": ({}, COORDINATORS),
    "reporting:indicator_detail": ({"pk": "indicator"}, REGISTER_READERS),
    "reporting:indicator_edit": ({"pk": "indicator"}, COORDINATORS),
    # The office: reporting rounds
    "reporting:round_list": ({}, REGISTER_READERS),
    "reporting:round_create": ({}, COORDINATORS),
    "reporting:round_detail": ({"pk": "reporting_round"}, REGISTER_READERS),
    "reporting:round_edit": ({"pk": "reporting_round"}, COORDINATORS),
    "reporting:round_remind": ({"pk": "reporting_round"}, POST_ONLY),
    "reporting:round_answers": ({"pk": "reporting_round"}, REGISTER_READERS),
    "reporting:round_move": ({"pk": "reporting_round", "move": '"close"'}, COORDINATORS),
    "reporting:submission_detail": ({"pk": "submission"}, REGISTER_READERS),
    "reporting:submission_correct": ({"pk": "submission"}, COORDINATORS),
    # The office: imports
    "reporting:import_list": ({}, COORDINATORS),
    "reporting:import_detail": ({"pk": "indicator_import"}, COORDINATORS),
    "reporting:import_move": ({"pk": "indicator_import", "move": '"discard"'}, POST_ONLY),
    # The office: annual reports
    "reporting:report_list": ({}, REGISTER_READERS),
    "reporting:report_create": ({}, COORDINATORS),
    "reporting:report_detail": ({"pk": "annual_report"}, REGISTER_READERS),
    "reporting:report_edit": ({"pk": "annual_report"}, COORDINATORS),
    "reporting:report_preview": ({"pk": "annual_report"}, REGISTER_READERS),
    "reporting:report_pdf": ({"pk": "annual_report"}, REGISTER_READERS),
    "reporting:report_xlsx": ({"pk": "annual_report"}, REGISTER_READERS),
    "reporting:report_move": ({"pk": "annual_report", "move": '"freeze"'}, COORDINATORS),
    "reporting:section_create": ({"pk": "annual_report"}, COORDINATORS),
    "reporting:section_edit": ({"pk": "report_section"}, COORDINATORS),
    "reporting:section_delete": ({"pk": "report_section"}, POST_ONLY),
    "reporting:section_move": ({"pk": "report_section"}, POST_ONLY),
}


def world(base):
    """An open round for 2025 in which `member` has submitted, an uploaded file, a draft report
    for 2025 and a published one for 2024 (each with one short section, so the PDFs are quick)."""
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from polyfon.members.models import Participant
    from polyfon.reporting import services
    from polyfon.reporting.models import Indicator, ReportingRound, RoundStatus

    member = Participant.objects.get(pk=base["member"])
    indicator = Indicator.objects.get(code="mt_positions")
    reporting_round = services.round_create(actor=None, year=2025, deadline=date(2099, 1, 31), indicators=[indicator])
    ReportingRound.objects.filter(pk=reporting_round.pk).update(status=RoundStatus.OPEN)
    reporting_round.refresh_from_db()
    submission = services.report_submit(
        reporting_round=reporting_round, participant=member, actor=None, answers={(indicator.pk, None): 2}
    )
    source_import = services.import_upload(
        uploaded=SimpleUploadedFile("npr.csv", "År;Helseregion;Kontakter\n2024;Helse Vest;10\n".encode()), actor=None
    )

    def short_report(year):
        report = services.annual_report_create(actor=None, year=year)
        sections = list(report.sections.order_by("position"))
        for section in sections[2:]:
            section.delete()
        return report, sections[1]

    draft, section = short_report(2025)
    published, _section = short_report(2024)
    services.annual_report_publish(report=published, actor=None)
    return {
        "reporting_round": reporting_round.pk,
        "submission": submission.pk,
        "indicator": Indicator.objects.get(code="participants").pk,
        "indicator_import": source_import.pk,
        "annual_report": draft.pk,
        "report_section": section.pk,
        "published_year": published.year,
    }
