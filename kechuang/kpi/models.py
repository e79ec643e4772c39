"""KPI definitions and report templates as versioned data, and the precomputed snapshots the pages read.

A definition or a template is never edited in place: a change adds a new version (with who, when and why, and an
audit entry in the same transaction); the figures and reports name the version they used.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class KpiDefinition(models.Model):
    """One version of one KPI's definition. `content` is the parsed YAML (see `kpi.definitions`), `text` the YAML
    as written, so an official reads exactly what is counted."""

    code = models.CharField(_("指标代码"), max_length=60)
    version = models.PositiveIntegerField(_("版本"))
    name = models.CharField(_("指标名称"), max_length=200)
    effective_from = models.DateField(_("生效日期"))
    text = models.TextField(_("定义（YAML）"))
    content = models.JSONField(_("定义内容"))
    content_sha = models.CharField(max_length=64)
    note = models.CharField(_("修改说明"), max_length=255, blank=True)
    origin = models.CharField(_("来源"), max_length=20, default="file")  # "file" (shipped) or "edit"
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("指标定义")
        verbose_name_plural = _("指标定义")
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="kpi_definition_version")]

    def __str__(self):
        return f"{self.name} v{self.version}"

    @staticmethod
    def audit_changes(changes: dict) -> list[tuple[str, str, str]]:
        """The audit log shows a new version's changes field by field, in words (see `kpi.describe`)."""
        from kechuang.kpi.describe import definition_changes

        return definition_changes(changes)


class ReportTemplate(models.Model):
    """One version of a report template (YAML: title, sections of paragraphs with {{ figure }} placeholders)."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", _("年度答复（提案/建议答复）")
        CITY = "city", _("城市报告")

    code = models.CharField(_("模板代码"), max_length=60)
    version = models.PositiveIntegerField(_("版本"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("模板名称"), max_length=200)
    text = models.TextField(_("模板（YAML）"))
    content = models.JSONField(_("模板内容"))
    content_sha = models.CharField(max_length=64)
    note = models.CharField(_("修改说明"), max_length=255, blank=True)
    origin = models.CharField(_("来源"), max_length=20, default="file")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("报告模板")
        verbose_name_plural = _("报告模板")
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="kpi_template_version")]

    def __str__(self):
        return f"{self.name} v{self.version}"

    @staticmethod
    def audit_changes(changes: dict) -> list[tuple[str, str, str]]:
        """The audit log shows the parts of the template that changed, placeholders in words."""
        from kechuang.kpi.describe import template_changes

        old, new = (list(changes.get("text") or []) + [None, None])[:2]
        return template_changes(old, new)


class Snapshot(models.Model):
    """Precomputed figures for one year: every KPI (per city and month) and every module's headline figures, for
    the province and each city. The pages read the newest one and say when it was computed."""

    year = models.PositiveSmallIntegerField(_("年度"))
    payload = models.JSONField(_("数据"))
    computed_at = models.DateTimeField(_("计算时间"), db_index=True)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), default=0)
    definitions = models.JSONField(_("所用定义版本"), default=dict)
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("指标快照")
        verbose_name_plural = _("指标快照")
        ordering = ["-computed_at", "-id"]
        indexes = [models.Index(fields=["year", "-computed_at"], name="kpi_snapshot_year_recent")]

    def __str__(self):
        return f"{self.year} @ {self.computed_at:%Y-%m-%d %H:%M}"
