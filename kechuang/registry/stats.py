import datetime as dt

from django.db.models import Count
from django.utils import timezone

from kechuang.registry.models import Certification, CertificationKind, Organisation


def registry_overview(orgs, on: dt.date | None = None) -> dict:
    """Counts by kind and by city of the organisations in `orgs` (already permission-scoped). High-tech
    enterprises are those holding a certificate valid on `on` (today by default), not every organisation that
    ever held one."""
    on = on or timezone.localdate()
    by_kind = dict(orgs.values_list("kind").annotate(n=Count("id")).order_by())
    by_city = list(orgs.values("city__name").annotate(n=Count("id")).order_by("city_id"))
    hightech = (
        Certification.objects.filter(
            organisation__in=orgs.values("id"),
            kind=CertificationKind.HIGH_TECH,
            valid_from__lte=on,
            valid_to__gte=on,
        )
        .values("organisation")
        .distinct()
        .count()
    )
    return {
        "total": sum(by_kind.values()),
        "by_kind": [
            {"kind": dict(Organisation._meta.get_field("kind").choices).get(k, k), "n": n}
            for k, n in by_kind.items()
        ],
        "by_city": [{"city": row["city__name"], "n": row["n"]} for row in by_city],
        "hightech": hightech,
        "on": on,
    }
