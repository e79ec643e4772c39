"""Demo events for `manage.py seed_demo` (the seeder itself is the `seed_events_demo` command)."""

from django.core.management import call_command


def seed_demo(*, seed: int) -> str:
    call_command("seed_events_demo", seed=seed, stdout=_Quiet())
    return "matchmaking event with participants, a meeting plan, a roadshow and outcomes"


class _Quiet:
    def write(self, *_args, **_kwargs):
        pass

    def flush(self):
        pass
