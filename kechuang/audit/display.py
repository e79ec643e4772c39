"""Audit entries as people read them: what was done to which kind of thing, field names as labels, money in 元,
choices by their names — never action codes, field names, fen or dictionaries.

The entry itself keeps the stable codes (they are what queries and exports filter on); only the screen changes.
"""

import logging
import re
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

VERBS = {
    "create": gettext_lazy("新建"),
    "update": gettext_lazy("修改"),
    "delete": gettext_lazy("删除"),
    "publish": gettext_lazy("发布"),
    "close": gettext_lazy("关闭"),
    "approve": gettext_lazy("批准"),
    "reject": gettext_lazy("退回"),
    "review": gettext_lazy("审核"),
    "apply": gettext_lazy("申请"),
    "register": gettext_lazy("登记"),
    "record": gettext_lazy("录入"),
    "value": gettext_lazy("评估"),
    "disburse": gettext_lazy("放款"),
    "repay": gettext_lazy("还款"),
    "default": gettext_lazy("违约"),
    "share_risk": gettext_lazy("风险分担"),
    "pay": gettext_lazy("支付"),
    "configure": gettext_lazy("配置"),
    "set": gettext_lazy("设置"),
    "translate": gettext_lazy("翻译"),
    "text": gettext_lazy("修改文本"),
    "request": gettext_lazy("请求"),
    "schedule": gettext_lazy("排期"),
    "check_in": gettext_lazy("签到"),
    "open": gettext_lazy("开放"),
    "select": gettext_lazy("选定"),
    "add": gettext_lazy("添加"),
    "start": gettext_lazy("开始"),
    "finish": gettext_lazy("完成"),
    "load": gettext_lazy("载入"),
    "screen": gettext_lazy("筛查"),
    "candidates": gettext_lazy("生成名单"),
    "city_review": gettext_lazy("市级审核"),
    "city_review_all": gettext_lazy("市级审核"),
    "joint_review": gettext_lazy("联合评审"),
    "reconcile": gettext_lazy("对账"),
    "issue": gettext_lazy("签发"),
    "revoke": gettext_lazy("吊销"),
    "withdraw": gettext_lazy("撤回"),
    "renew": gettext_lazy("续期"),
    "cancel": gettext_lazy("取消"),
    "decide": gettext_lazy("审核"),
    "read": gettext_lazy("已读"),
    "version": gettext_lazy("新版本"),
}


def _model(target_type: str):
    try:
        return apps.get_model(target_type)
    except (LookupError, ValueError):
        return None


def _field(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _field_anywhere(model, name: str):
    """The field on the target's model, or on another model of the same app (for nested values)."""
    field = _field(model, name)
    if field is not None or model is None:
        return field
    for other in apps.get_app_config(model._meta.app_label).get_models():
        field = _field(other, name)
        if field is not None:
            return field
    return None


def _choice_anywhere(model, value: str) -> str | None:
    """A stored choice value inside a list (e.g. the cooperation models a product supports), by its name."""
    own = list(apps.get_app_config(model._meta.app_label).get_models())
    others = [m for m in apps.get_models() if m.__module__.startswith("kechuang.") and m not in own]
    for other in own + others:
        for f in other._meta.get_fields():
            choices = getattr(f, "flatchoices", None) if getattr(f, "choices", None) else None
            if choices:
                labels = dict(choices)
                if value in labels:
                    return str(labels[value])
    return None


def _clean_label(text: str) -> str:
    return str(text).replace("（分）", "").replace("（基点）", "")


def field_label(model, name: str) -> str:
    field = _field_anywhere(model, name)
    if field is not None and getattr(field, "verbose_name", None):
        label = _clean_label(field.verbose_name)
        if label and label != name.replace("_", " "):
            return label
    return _("其他信息")


def value_text(model, name: str, value) -> str:
    from kechuang.formats import money

    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        return "；".join(_nested(model, str(k), v) for k, v in value.items()) or "—"
    if isinstance(value, list):
        return "、".join(value_text(model, name, v) for v in value) or "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if name.endswith("_fen"):
        try:
            return money(int(Decimal(str(value))))
        except (ArithmeticError, ValueError):
            return str(value)
    if name.endswith("_bp"):
        try:
            return f"{Decimal(int(value)) / 100:.2f}%"
        except (ArithmeticError, ValueError, TypeError):
            return str(value)
    field = _field_anywhere(model, name)
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, str) and model is not None:
        label = _choice_anywhere(model, value)
        if label is not None:
            return label
    if isinstance(value, str) and CODE.match(value) and model is not None:
        named = _named_by_code(model, value)
        if named is not None:
            return named
    if isinstance(field, models.ForeignKey) and field.related_model is not None:
        try:
            obj = field.related_model._default_manager.filter(pk=value).first()
        except (ValueError, TypeError, ValidationError):
            obj = None  # a value recorded under the same name for another purpose: show it as it is
        return str(obj) if obj is not None else str(value)
    return str(value)


CODE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")  # a stored code (snake_case), never shown as it is


def _named_by_code(model, value: str) -> str | None:
    """A code that names a row of the target's model (an indicator, a policy): that row's name."""
    if _field(model, "code") is None:
        return None
    row = model._default_manager.filter(code=value).first()
    return str(getattr(row, "name", "") or row) if row is not None else None


def _nested(model, key: str, value) -> str:
    """One entry of a recorded dictionary: its label when the field is known, else the value alone (a row of
    "其他信息" labels says nothing)."""
    shown = value_text(model, key, value)
    label = field_label(model, key)
    return shown if label == _("其他信息") else f"{label} {shown}"


def describe(entry) -> dict:
    """{"action": "...", "kind": "...", "changes": [(label, old, new), ...]} for the screen."""
    model = _model(entry.target_type)
    kind = _clean_label(model._meta.verbose_name) if model is not None else ""
    verb = VERBS.get(entry.action.rsplit(".", 1)[-1])
    action = f"{kind} · {verb}" if kind and verb else (str(verb) if verb else kind or _("操作"))
    changes = []
    # a model whose changes are documents rather than fields (e.g. a KPI definition) describes them itself
    custom = getattr(model, "audit_changes", None)
    if callable(custom) and isinstance(entry.changes, dict):
        try:
            return {"action": action, "kind": kind, "changes": list(custom(entry.changes))}
        except Exception:  # noqa: BLE001 — one odd value must not take the whole log down
            logger.exception("audit entry %s: cannot describe its changes", entry.pk)
            return {"action": action, "kind": kind, "changes": [(_("其他信息"), "—", _("（无法显示）"))]}
    items = entry.changes.items() if isinstance(entry.changes, dict) else []
    for name, change in items:
        old, new = (change + [None, None])[:2] if isinstance(change, list) else (None, change)
        try:
            changes.append(
                (
                    field_label(model, str(name)),
                    value_text(model, str(name), old),
                    value_text(model, str(name), new),
                )
            )
        except Exception:  # noqa: BLE001 — one odd value must not take the whole log down
            logger.exception("audit entry %s: cannot describe %r", entry.pk, name)
            changes.append((_("其他信息"), "—", _("（无法显示）")))
    return {"action": action, "kind": kind, "changes": changes}
