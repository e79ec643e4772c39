from django.core.management.base import BaseCommand
from django.utils import timezone

from kechuang.kpi.services import do_refresh_snapshot, ensure_templates


class Command(BaseCommand):
    help = "Compute a KPI snapshot now (cron: at least as often as KECHUANG_KPI_MAX_AGE_SECONDS / 2)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None)

    def handle(self, *args, year=None, **options):
        ensure_templates()
        snapshot = do_refresh_snapshot(year or timezone.localdate().year)
        self.stdout.write(f"snapshot {snapshot.pk} for {snapshot.year}: {snapshot.duration_ms} ms")
