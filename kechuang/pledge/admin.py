"""Read-only admin: every change goes through the services (permission, audit), never through the admin."""

from django.contrib import admin

from kechuang.admin_readonly import ReadOnlyAdmin
from kechuang.permissions import Cap, has_cap
from kechuang.pledge.models import (
    FinancingNeed,
    LoanApplication,
    LoanProduct,
    Patent,
    Pledge,
    RiskShare,
    RiskSharingScheme,
)


class ReadOnly(ReadOnlyAdmin):
    def has_module_permission(self, request):
        return has_cap(request.user, Cap.ADMIN_SITE)

    def has_view_permission(self, request, obj=None):
        return has_cap(request.user, Cap.ADMIN_SITE)


@admin.register(Patent)
class PatentAdmin(ReadOnly):
    list_display = (
        "application_number",
        "title",
        "patent_type",
        "owner",
        "legal_status",
        "expiry_date",
        "fee_paid_until",
    )
    list_filter = ("patent_type", "legal_status")
    search_fields = ("application_number", "title")


@admin.register(FinancingNeed)
class NeedAdmin(ReadOnly):
    list_display = (
        "id",
        "enterprise",
        "amount_fen",
        "term_months",
        "preferred_model",
        "status",
        "created_at",
    )
    list_filter = ("status", "preferred_model")


@admin.register(LoanProduct)
class ProductAdmin(ReadOnly):
    list_display = (
        "id",
        "bank",
        "rate_bp",
        "min_amount_fen",
        "max_amount_fen",
        "max_term_months",
        "is_active",
    )
    list_filter = ("is_active",)


@admin.register(LoanApplication)
class LoanAdmin(ReadOnly):
    list_display = (
        "id",
        "enterprise",
        "bank",
        "cooperation_model",
        "status",
        "approved_amount_fen",
        "balance_fen",
        "registered_on",
    )
    list_filter = ("status", "cooperation_model")


@admin.register(Pledge)
class PledgeAdmin(ReadOnly):
    list_display = ("patent", "application", "registration_number", "registered_on", "active", "released_on")
    list_filter = ("active",)


@admin.register(RiskSharingScheme)
class SchemeAdmin(ReadOnly):
    list_display = (
        "cooperation_model",
        "bank_bp",
        "insurer_bp",
        "guarantor_bp",
        "fund_bp",
        "effective_from",
        "document_number",
        "verified",
    )


@admin.register(RiskShare)
class ShareAdmin(ReadOnly):
    list_display = (
        "application",
        "party",
        "organisation",
        "ratio_bp",
        "amount_fen",
        "paid_on",
        "recovered_fen",
    )
