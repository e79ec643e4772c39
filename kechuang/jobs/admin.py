from django.contrib import admin

from kechuang.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "label", "status", "progress_done", "progress_total", "created_at")
    list_filter = ("status", "kind")
