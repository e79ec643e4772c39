"""Read-only admin views: every change goes through the audited services, never through the admin."""

from django.contrib import admin

from kechuang.policy.models import (
    Candidate,
    LedgerEntry,
    ParameterChange,
    Payment,
    PaymentBatch,
    PolicyVersion,
    Round,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyAdmin):
    list_display = ("code", "version", "name", "document_no", "effective_from", "created_at")
    list_filter = ("code",)


@admin.register(ParameterChange)
class ParameterChangeAdmin(ReadOnlyAdmin):
    list_display = (
        "policy_code",
        "param",
        "value",
        "effective_from",
        "verified",
        "document_no",
        "created_by",
    )


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ("name", "fund", "year", "mode", "status", "budget_fen")
    list_filter = ("status", "mode")


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyAdmin):
    list_display = ("round", "organisation", "policy_code", "computed_fen", "awarded_fen", "status")
    list_filter = ("status", "policy_code")
    raw_id_fields = ("organisation",)


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ReadOnlyAdmin):
    list_display = ("reference", "round", "status", "total_fen", "created_at")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("batch", "organisation", "amount_fen", "status", "bank_reference", "paid_at")
    list_filter = ("status",)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ("fund", "kind", "amount_fen", "note", "created_at")
