from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db.utils import OperationalError
from django.urls import reverse
from django.utils import timezone, translation

from polyfon.core.dates import add_months
from polyfon.core.email import send_templated_email
from polyfon.core.formatting import format_nok
from polyfon.core.models import ScheduledJobRun
from polyfon.core.scheduler import enqueue_if_due
from polyfon.core.validators import clean_account_number, clean_mva_number, clean_org_number, clean_phone


def test_healthz_ok(client, db):
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(client, db):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")):
        response = client.get(reverse("core:healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.mark.parametrize(
    "language,expected",
    [("nb", "150\xa0000\xa0kr"), ("nn", "150\xa0000\xa0kr"), ("en", "NOK\xa0150,000")],
)
def test_money_in_the_users_language(language, expected):
    with translation.override(language):
        assert format_nok(Decimal("150000")) == expected
        assert format_nok(Decimal("75000.50")).endswith("50" + ("\xa0kr" if language != "en" else ""))


def test_money_is_never_a_float():
    with pytest.raises(TypeError):
        format_nok(150000.0)


def test_dates_in_norwegian():
    from django.utils.formats import date_format

    with translation.override("nb"):
        assert date_format(date(2027, 2, 1), "DATE_FORMAT") == "1. februar 2027"
    with translation.override("nn"):
        assert date_format(date(2027, 2, 1), "DATE_FORMAT") == "1. februar 2027"


def test_add_months_handles_month_ends():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2026, 6, 30), 12) == date(2027, 6, 30)


def test_norwegian_numbers():
    assert clean_org_number("995 525 828") == "995525828"
    with pytest.raises(ValidationError):
        clean_org_number("995525829")
    with pytest.raises(ValidationError):
        clean_org_number("12345")
    assert clean_account_number("8601.11.17947") == "86011117947"
    with pytest.raises(ValidationError):
        clean_account_number("8601.11.17948")
    assert clean_mva_number("995525828MVA") == "NO995525828MVA"
    assert clean_phone("971 69 746") == "+4797169746"
    with pytest.raises(ValidationError):
        clean_phone("123")


def test_email_is_sent_after_commit_in_the_recipients_language(db, django_capture_on_commit_callbacks):
    from polyfon.members.models import LetterOfIntent

    letter = LetterOfIntent(organisation_name="X", org_number="995525828", contact_name="Ola", participation_kind="single",
                            intended_fee_category="ordinary", submitted_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_templated_email(to="ola@example.no", template="members/email/letter_receipt", context={"letter": letter}, language="en")
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert mail.outbox[0].subject.endswith("We have received your letter of intent")


def test_the_database_worker_sends_queued_mail(transactional_db, settings):
    """The production path: enqueue in the database, `db_worker --batch` sends it.

    Transactional: the worker closes connections it finds inside a transaction, as it should
    between tasks, which would end a test wrapped in one (PostgreSQL shows it; SQLite's
    in-memory test database is never closed)."""
    from django.core.management import call_command

    use_task_backend(settings, "django_tasks_db.DatabaseBackend")
    send_templated_email(to="ola@example.no", template="members/email/letter_receipt",
                         context={"letter": None}, language="nb")
    assert mail.outbox == []
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", "--no-reload")
    assert [m.to for m in mail.outbox] == [["ola@example.no"]]


def use_task_backend(settings, backend):
    """Point django-tasks at another backend (it caches its backends like database connections)."""
    from asgiref.local import Local
    from django_tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": backend, "QUEUES": ["default", "email"]}}
    task_backends.__dict__.pop("settings", None)
    task_backends._connections = Local(task_backends.thread_critical)


@pytest.fixture(autouse=True)
def _restore_task_backend(settings):
    yield
    use_task_backend(settings, "django_tasks.backends.immediate.ImmediateBackend")


def test_scheduler_enqueues_each_firing_once(db, settings):
    settings.SCHEDULED_JOBS = {"test.job": {"task": "polyfon.core.tasks.prune_finished_task_results", "cron": {"minute": "*"}}}
    moment = timezone.now()
    assert enqueue_if_due("test.job", fire_time=moment) is True
    assert enqueue_if_due("test.job", fire_time=moment) is False
    assert ScheduledJobRun.objects.get(name="test.job").last_run_at == moment.replace(second=0, microsecond=0)


def test_production_settings_pass_check_deploy():
    """With production values from the environment, `check --deploy` reports nothing."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "polyfon.settings",
        "DEBUG": "false",
        "SECRET_KEY": "k3J9-vQ2_pL7xZ0aB5nR8tY1wE4uI6oP9sD2fG5hJ8kL1zX4cV7bN0mQ3",
        "ALLOWED_HOSTS": "polyfon.example.no",
        "DATABASE_URL": "sqlite:////tmp/polyfon-check-deploy.sqlite3",
    }
    for name in ["SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "REQUIRE_STAFF_MFA",
                 "DJANGO_ALLOW_ASYNC_UNSAFE"]:
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_bokmal_by_default_and_the_switcher_changes_it(client, db):
    response = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="nb"' in response.content.decode()
    client.post(reverse("set_language"), {"language": "nn", "next": "/"})
    assert '<html lang="nn"' in client.get(reverse("core:home")).content.decode()


def test_html_is_printed_as_pdf_with_local_logo_and_fonts():
    from polyfon.core.pdf import font_urls, html_to_pdf, logo_data_uri

    assert logo_data_uri().startswith("data:image/svg+xml;base64,")
    assert all(url.startswith("file://") for url in font_urls().values())
    pdf = html_to_pdf("<html lang='nb'><title>Prøve</title><h1>Årsmelding</h1></html>", variant="pdf/ua-1")
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
