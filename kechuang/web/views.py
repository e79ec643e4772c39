from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render

from kechuang.permissions import visible_organisations
from kechuang.registry.stats import registry_overview


@login_required
def home(request):
    orgs = visible_organisations(request.user)
    return render(request, "web/home.html", {"overview": registry_overview(orgs)})


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
