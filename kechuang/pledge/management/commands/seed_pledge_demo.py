from django.core.management.base import BaseCommand

from kechuang.pledge.demo import seed_pledge_demo


class Command(BaseCommand):
    help = "Demo patents, loan products, financing needs and loans through the pledge services (after seed_demo)."

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", type=int, default=60)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--first-year", type=int, default=2023)

    def handle(self, *args, enterprises, seed, first_year, **options):
        made = seed_pledge_demo(enterprises=enterprises, seed=seed, first_year=first_year)
        self.stdout.write(f"pledge demo: {made}")
