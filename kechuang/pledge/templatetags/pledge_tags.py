from django import template

from kechuang.pledge.money import percent_text

register = template.Library()


@register.filter
def bp_percent(bp):
    """Basis points as a percentage: 385 → 3.85%."""
    if bp is None or bp == "":
        return "—"
    return percent_text(int(bp))
