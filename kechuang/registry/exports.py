from django.utils.translation import gettext as _

from kechuang.money import yuan
from kechuang.spreadsheets import write_xlsx

EXPORT_LIMIT = 200_000


def organisation_export(queryset) -> bytes:
    headers = [
        _("统一社会信用代码"),
        _("名称"),
        _("英文名称"),
        _("机构类型"),
        _("所在城市"),
        _("行政区划代码"),
        _("行业代码"),
        _("企业规模"),
        _("注册资本（元）"),
        _("成立日期"),
        _("地址"),
    ]
    rows = (
        [
            o.credit_code,
            o.name,
            o.name_en,
            o.get_kind_display(),
            o.city.name,
            o.region_id,
            o.industry_id or "",
            o.get_size_display(),
            yuan(o.registered_capital_fen) if o.registered_capital_fen is not None else "",
            o.established_on.isoformat() if o.established_on else "",
            o.address,
        ]
        for o in queryset[:EXPORT_LIMIT].iterator(chunk_size=2000)
    )
    return write_xlsx(headers, rows, _("机构"))
