"""Read-only queries shared by the HTML list, the Excel export and the API, so all three filter alike."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone

from kechuang.permissions import visible_organisations
from kechuang.registry.models import Certification, Organisation

SORTS = {"name": ("name", "id"), "-created": ("-created_at", "-id"), "credit_code": ("credit_code",)}


@dataclass
class OrganisationFilter:
    q: str = ""
    city: str = ""
    kind: str = ""
    industry_section: str = ""
    size: str = ""
    certification: str = ""
    sort: str = "name"

    @classmethod
    def from_params(cls, params) -> "OrganisationFilter":
        return cls(**{name: (params.get(name) or "").strip() for name in cls.__dataclass_fields__})

    def as_params(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v}


def filtered_organisations(user, flt: OrganisationFilter):
    qs = visible_organisations(user).select_related("city", "region", "industry")
    if flt.q:
        qs = qs.filter(search_text__contains=flt.q.lower())
    if flt.city:
        qs = qs.filter(city_id=flt.city)
    if flt.kind:
        qs = qs.filter(kind=flt.kind)
    if flt.industry_section:
        qs = qs.filter(industry_section=flt.industry_section)
    if flt.size:
        qs = qs.filter(size=flt.size)
    if flt.certification:
        today = timezone.localdate()
        valid = Certification.objects.filter(
            organisation=OuterRef("pk"), kind=flt.certification, valid_from__lte=today, valid_to__gte=today
        )
        qs = qs.filter(Exists(valid))
    return qs.order_by(*SORTS.get(flt.sort, SORTS["name"]))


def all_organisation_kinds():
    return Organisation._meta.get_field("kind").choices
