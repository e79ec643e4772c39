"""Stable error codes of the KPIs (the API returns them; the UI shows the translated message)."""

from enum import StrEnum


class KpiError(StrEnum):
    # no snapshot of the year yet: its first computation is queued or running (details: job id and percent)
    BEING_COMPUTED = "kpi_being_computed"
