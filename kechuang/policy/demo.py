"""Demo payout programmes for `manage.py seed_demo` (the seeder itself is the `seed_policy_demo` command)."""

import io

from django.core.management import call_command


def seed_demo(*, seed: int) -> str:
    out = io.StringIO()
    call_command("seed_policy_demo", stdout=out)
    return out.getvalue().strip().splitlines()[-1] if out.getvalue().strip() else "programmes and rounds"
