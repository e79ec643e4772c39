from django.db.models import Count

from kechuang.registry.models import Certification, Organisation


def registry_overview(orgs) -> dict:
    """Counts by kind and by city of the organisations in `orgs` (already permission-scoped)."""
    by_kind = dict(orgs.values_list("kind").annotate(n=Count("id")).order_by())
    by_city = list(orgs.values("city__name").annotate(n=Count("id")).order_by("city_id"))
    hightech = (
        Certification.objects.filter(organisation__in=orgs.values("id"), kind="hightech")
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
    }
