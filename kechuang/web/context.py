from django.conf import settings
from django.utils import translation

from kechuang.permissions import Cap, has_cap
from kechuang.web.navigation import nav_items


def _native_languages() -> list[tuple[str, str]]:
    """Each language named in itself (the names in settings are written that way; never translate them)."""
    with translation.override(None):
        return [(code, str(name)) for code, name in settings.LANGUAGES]


def navigation(request):
    user = getattr(request, "user", None)
    context = {"native_languages": _native_languages()}
    if user is None or not user.is_authenticated:
        return {**context, "nav_items": []}
    from kechuang.web.workbench import counts_by_area

    # The to-do counts cost a few queries; pages that have not computed them load them after the page
    # (the navigation fetches itself once with HTMX), so no page waits for them.
    todos = getattr(request, "_kc_todos", None)
    counts = counts_by_area(todos) if todos is not None else {}
    return {
        **context,
        "nav_items": nav_items(user, request.path, counts),
        "nav_counts_pending": todos is None,
        "todo_count": sum(counts.values()),
        "can_admin_site": has_cap(user, Cap.ADMIN_SITE),
    }
