from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """One unit of background work in the database-backed queue, with its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("运行中")
        SUCCEEDED = "succeeded", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("任务类型"), max_length=80, db_index=True)
    label = models.CharField(_("名称"), max_length=200, blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    message = models.CharField(_("进度说明"), max_length=255, blank=True)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    worker = models.CharField(max_length=80, blank=True)
    # The running worker holds a lease renewed by its heartbeat; an expired lease means the worker died, and the
    # job is then retried (up to max_attempts) or failed, releasing what it held.
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("最多尝试次数"), default=3)
    lease_expires_at = models.DateTimeField(_("租约到期"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"#{self.pk} {self.label or self.kind} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, int(self.progress_done * 100 / self.progress_total))

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    def report_progress(self, done: int, total: int | None = None, message: str = "") -> None:
        """Publish progress so the page can show it.

        Written at once; inside a transaction other connections see it only at commit, so handlers validate and
        compute in autocommit mode and keep their final atomic write short.
        """
        self.progress_done = done
        if total is not None:
            self.progress_total = total
        if message:
            self.message = str(message)[:255]
        from kechuang.jobs.queue import lease_until

        Job.objects.filter(pk=self.pk, attempts=self.attempts).update(
            progress_done=self.progress_done,
            progress_total=self.progress_total,
            message=self.message,
            lease_expires_at=lease_until(),
        )
