"""`manage.py techmarket index [--full]` queues an index update; `manage.py techmarket expire` queues the daily
expiry/renewal reminder (schedule it from cron); `manage.py techmarket eval` prints the evaluation table."""

from django.core.management.base import BaseCommand

from kechuang.jobs.queue import enqueue


class Command(BaseCommand):
    help = "Technology market maintenance: index, expire, eval"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["index", "expire", "eval"])
        parser.add_argument("--full", action="store_true", help="rebuild the whole index")

    def handle(self, *args, action, full=False, **options):
        if action == "index":
            from kechuang.techmarket.indexing import enqueue_index

            job = enqueue_index(full=True) if full else enqueue_index([], full=False)
            self.stdout.write(f"queued job {job.pk}")
        elif action == "expire":
            job = enqueue("techmarket.expire", label="技术市场到期检查")
            self.stdout.write(f"queued job {job.pk}")
        else:
            from kechuang.techmarket.eval.harness import evaluate

            self.stdout.write(evaluate().table())
