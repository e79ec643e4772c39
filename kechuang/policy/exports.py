"""Excel exports: the public-notice list (公示名单) and the payment file (拨付文件)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from kechuang.money import yuan
from kechuang.permissions.core import area_q
from kechuang.policy.explain import label
from kechuang.policy.models import Candidate, Payment
from kechuang.spreadsheets import write_xlsx


def notice_export(round_, user=None) -> bytes:
    """The 公示 list; for an official with an area, only that area's organisations."""
    headers = [
        _("序号"),
        _("统一社会信用代码"),
        _("单位名称"),
        _("所在城市"),
        _("政策"),
        _("政策版本"),
        _("文号"),
        _("测算金额（元）"),
        _("拟奖补金额（元）"),
        _("状态"),
    ]
    listed = (
        Candidate.objects.filter(
            round=round_,
            status__in=[
                Candidate.Status.LISTED,
                Candidate.Status.APPROVED,
                Candidate.Status.PAID,
                Candidate.Status.WITHDRAWN,
            ],
        )
        .filter(area_q(user, "organisation__") if user is not None else Q())
        .select_related("organisation", "organisation__city", "policy_version")
        .order_by("organisation__city_id", "organisation__name", "id")
    )
    rows = (
        [
            i,
            c.organisation.credit_code,
            c.organisation.name,
            c.organisation.city.name,
            label({"zh": c.policy_version.name, "en": c.policy_version.name_en}),
            c.policy_version.version,
            c.policy_version.document_no,
            yuan(c.computed_fen),
            yuan(c.awarded_fen),
            c.get_status_display(),
        ]
        for i, c in enumerate(listed.iterator(chunk_size=2000), 1)
    )
    return write_xlsx(headers, rows, _("公示名单"))


def payment_export(batch) -> bytes:
    """The payment file for the bank: one row per payment with its reference (支付指令号), which the bank's
    return file must echo with the account, the amount and the status."""
    headers = [
        _("拨付批次"),
        _("支付指令号"),
        _("统一社会信用代码"),
        _("收款单位"),
        _("收款账号"),
        _("金额（元）"),
        _("政策"),
        _("状态"),
        _("银行流水号"),
    ]
    payments = batch.payments.select_related("organisation", "candidate").order_by("id")
    rows = (
        [
            batch.reference,
            p.reference,
            p.organisation.credit_code,
            p.organisation.name,
            p.account,
            yuan(p.amount_fen),
            p.candidate.policy_code,
            p.get_status_display(),
            p.bank_reference,
        ]
        for p in payments.iterator(chunk_size=2000)
    )
    return write_xlsx(headers, rows, _("拨付文件"))


__all__ = ["notice_export", "payment_export", "Payment"]
