from django import template

from kechuang.money import percent_text

register = template.Library()


@register.filter
def bp_percent(bp):
    """Basis points as a percentage: 385 → 3.85%."""
    if bp is None or bp == "":
        return "—"
    return percent_text(int(bp))


@register.filter
def org_name(org):
    """An organisation's name in the page's language when it has one (English), else its registered name."""
    from django.utils import translation

    if org is None:
        return "—"
    if (translation.get_language() or "").startswith("en") and getattr(org, "name_en", ""):
        return org.name_en
    return org.name


@register.filter
def model_labels(values):
    """Cooperation-model codes as their translated labels."""
    from kechuang.pledge.models import CooperationModel

    labels = dict(CooperationModel.choices)
    return "、".join(str(labels.get(v, v)) for v in values or [])
