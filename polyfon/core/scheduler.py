"""Scheduled jobs: each entry of settings.SCHEDULED_JOBS (and of an app's schedule.py JOBS) enqueues a background task on a cron
schedule (Europe/Oslo). `manage.py run_scheduler` runs them; any number of schedulers may run,
ScheduledJobRun makes sure each firing is enqueued once."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import ScheduledJobRun


def scheduled_jobs() -> dict:
    """settings.SCHEDULED_JOBS plus the JOBS of every app's `schedule.py`."""
    jobs = dict(settings.SCHEDULED_JOBS)
    for config in apps.get_app_configs():
        module_name = f"{config.name}.schedule"
        if config.name.startswith("polyfon.") and find_spec(module_name):
            jobs.update(import_module(module_name).JOBS)
    return jobs


def enqueue_if_due(name: str, *, fire_time=None) -> bool:
    """Enqueue job `name` for the firing at `fire_time` (this minute) unless it already was."""
    job = scheduled_jobs()[name]
    fire_time = (fire_time or timezone.now()).replace(second=0, microsecond=0)
    task = import_string(job["task"])
    with transaction.atomic():
        ScheduledJobRun.objects.get_or_create(name=name)
        run = ScheduledJobRun.objects.select_for_update().get(name=name)
        if run.last_run_at and run.last_run_at >= fire_time:
            return False
        run.last_run_at = fire_time
        run.save(update_fields=["last_run_at"])
        transaction.on_commit(lambda: task.enqueue(*job.get("args", [])))
    return True
