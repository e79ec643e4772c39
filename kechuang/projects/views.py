"""Pages of the programme projects: the applications a user may see, and one application with its budget lines,
formal-check reasons and the similar passages 查重 found (managers run the formal check from here)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kechuang.errors import DomainError
from kechuang.permissions.projects import access_application_by_id, can_manage_call, visible_applications
from kechuang.projects import rules, services


@login_required
def home(request):
    applications = visible_applications(request.user).order_by("-created_at")[:200]
    return render(request, "projects/home.html", {"applications": applications})


@login_required
def application(request, pk):
    app = access_application_by_id(request.user, pk)
    names = rules.categories()
    lines = [(names.get(b.category, b.category), b.amount_fen) for b in app.budget_lines.all()]
    return render(
        request,
        "projects/application.html",
        {"application": app, "lines": lines, "manager": can_manage_call(request.user, app.call)},
    )


@login_required
@require_POST
def formal_check(request, pk):
    app = access_application_by_id(request.user, pk)
    if not can_manage_call(request.user, app.call):
        raise PermissionDenied("projects.call:manage")
    try:
        services.do_formal_check(app, acting_user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("projects:application", pk=pk)
