import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from kechuang.jobs.queue import run_pending


class Command(BaseCommand):
    help = "Run background jobs from the database-backed queue (several workers may run at once)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run what is queued, then exit")

    def handle(self, *args, once=False, **options):
        self.stdout.write("kechuang job worker started")
        self.stdout.flush()
        while True:
            for job in run_pending(heartbeat=True):
                self.stdout.write(f"job {job.pk} {job.kind}: {job.status}")
                self.stdout.flush()
            if once:
                return
            close_old_connections()
            time.sleep(settings.KECHUANG_JOBS_POLL_SECONDS)
