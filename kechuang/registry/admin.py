from django.contrib import admin

from kechuang.admin_readonly import ReadOnlyAdmin
from kechuang.registry.models import (
    IDENTITY_FIELDS,
    Certification,
    Indicator,
    IndicatorValue,
    Industry,
    Organisation,
    OrganisationChangeRequest,
    Region,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    search_fields = ("code", "name")
    list_filter = ("level",)


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "section")
    search_fields = ("code", "name")
    list_filter = ("level",)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "unit", "sort_order")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "kind", "city", "size")
    list_filter = ("kind", "size", "city")
    search_fields = ("name", "credit_code")
    raw_id_fields = ("region", "industry")
    readonly_fields = ("city", "industry_section", "created_at", "updated_at")

    def get_readonly_fields(self, request, obj=None):
        # identity fields change through reviewed change requests (audited old/new), not here
        fields = super().get_readonly_fields(request, obj)
        return (*fields, *IDENTITY_FIELDS) if obj is not None else fields

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OrganisationChangeRequest)
class OrganisationChangeRequestAdmin(ReadOnlyAdmin):  # decided on the review page, so the change is audited
    list_display = ("organisation", "status", "requested_by", "requested_at", "decided_by", "decided_at")
    list_filter = ("status",)
    raw_id_fields = ("organisation",)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ("organisation", "indicator", "year", "value", "is_current", "source", "recorded_at")
    list_filter = ("indicator", "year", "is_current", "source")
    raw_id_fields = ("organisation",)

    def has_add_permission(self, request):
        return False  # figures come through the service, with the writer's source

    def has_change_permission(self, request, obj=None):
        return False  # corrections go through the service so the old value is kept and audited


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ("organisation", "kind", "valid_from", "valid_to")
    list_filter = ("kind",)
    raw_id_fields = ("organisation",)
