"""Demo: the shipped definitions and report templates, and this year's snapshot queued for the worker (which
`make run` starts) — not computed here, so it counts every module's demo data, whatever order they are seeded in."""

from django.utils import timezone


def seed_demo(*, seed: int) -> str:
    from kechuang.kpi import services

    services.ensure_definitions()
    services.ensure_templates()
    job = services.request_refresh(timezone.localdate().year)
    return f"snapshot queued (job {job.pk})"
