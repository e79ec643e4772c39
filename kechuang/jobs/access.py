"""Authorisation rules of the background jobs' pages. The world's job was started by 甲's administrator: 甲 and
the officials whose area covers 南宁 follow it. See docs/permissions.md."""

from kechuang.permissions.matrix import ENT_A, NANNING_AREA, SIGNED_IN, allow

ROUTES = {
    "jobs:list": allow(SIGNED_IN),
    "jobs:detail": allow(ENT_A, NANNING_AREA),
    "GET /api/jobs/{job_id}": allow(ENT_A, NANNING_AREA),
}


def objects(world):
    from kechuang.jobs.models import Job

    job = Job.objects.create(kind="registry.import", label="甲的导入", created_by=world.users["ent_a"])
    return {"job": job.pk}
