from django import template

register = template.Library()


@register.filter
def audit_display(entry):
    from kechuang.audit.display import describe

    return describe(entry)
