from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.core.management.base import BaseCommand

from polyfon.core.scheduler import enqueue_if_due, scheduled_jobs


class Command(BaseCommand):
    help = "Run the scheduled jobs of settings.SCHEDULED_JOBS (reminders, clean-ups) until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", metavar="JOB", help="Enqueue one job now and exit.")
        parser.add_argument("--list", action="store_true", help="List the jobs and their schedules.")

    def handle(self, *args, **options):
        if options["list"]:
            for name, job in scheduled_jobs().items():
                self.stdout.write(f"{name}: {job['task']} {job['cron']}")
            return
        if options["once"]:
            enqueued = enqueue_if_due(options["once"])
            self.stdout.write("enqueued" if enqueued else "already enqueued this minute")
            return
        scheduler = BlockingScheduler(timezone=settings.TIME_ZONE)
        for name, job in scheduled_jobs().items():
            scheduler.add_job(
                enqueue_if_due,
                CronTrigger(timezone=settings.TIME_ZONE, **job["cron"]),
                args=[name],
                id=name,
                coalesce=True,
                misfire_grace_time=3600,
            )
        self.stdout.write(f"Scheduler running {len(scheduled_jobs())} jobs (Ctrl+C stops).")
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            pass
