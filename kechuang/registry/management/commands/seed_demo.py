import importlib
import time

from django.apps import apps
from django.core.management.base import BaseCommand

from kechuang.registry.demo import DEMO_PASSWORD, create_demo_accounts, generate_province
from kechuang.registry.models import Organisation, OrganisationKind


def domain_seeders():
    """Each installed domain app may ship `demo.seed_demo(seed=...)`; they run after the province exists, in the
    order of INSTALLED_APPS (so an app's demo can use the demo of the apps it builds on)."""
    for config in apps.get_app_configs():
        if not config.name.startswith("kechuang.") or config.name == "kechuang.registry":
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        if hasattr(module, "seed_demo"):
            yield config.label, module.seed_demo


class Command(BaseCommand):
    help = "Generate a seeded synthetic province (enterprises, R&D figures, institutions, demo accounts)."

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", type=int, default=3000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--years", default="2021-2024", help="first-last year of indicators")
        parser.add_argument("--if-empty", action="store_true", help="do nothing if enterprises already exist")
        parser.add_argument("--no-accounts", action="store_true")

    def handle(self, *args, enterprises, seed, years, if_empty, no_accounts, **options):
        fresh = not (if_empty and Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE).exists())
        if fresh:
            first, last = (int(y) for y in years.split("-"))
            started = time.perf_counter()
            generate_province(
                enterprises=enterprises,
                seed=seed,
                years=range(first, last + 1),
                with_accounts=False,
                progress=lambda done, total: self.stdout.write(f"  {done}/{total} enterprises"),
            )
            self.stdout.write(f"generated {enterprises} enterprises in {time.perf_counter() - started:.1f}s")
        else:
            self.stdout.write("demo data already present")
        if no_accounts:
            return
        accounts = create_demo_accounts()
        if fresh:
            for label, seed_app in domain_seeders():
                started = time.perf_counter()
                summary = seed_app(seed=seed)
                self.stdout.write(f"{label}: {summary or 'done'} ({time.perf_counter() - started:.1f}s)")
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for account in accounts:
            city = f" [{account.city}]" if account.city else ""
            self.stdout.write(f"  {account.username:<11} {account.role:<10} {account.organisation}{city}")
