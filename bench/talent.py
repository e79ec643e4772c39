"""Talent and institution figures (issue 16):

1. The yearly compliance check and the benefit hand-over over 10,000 recognised talents at 1,000 employers: every
   pending report judged (5% fail and their later instalments are cancelled), then the benefits due next year summed
   per employer and written as the registry figure the payout rule pays. Target ≤ 10 s.
2. The classified evaluation of 1,000 institutions (five categories) with every point explained: reports, platform
   data (platforms hosted, talents recognised) and expert scores read, scored, graded and stored. Target ≤ 5 s.
   The pure scoring of the same 1,000 rows is given on its own.

Setup (organisations, recognitions, schedules, reports) is bulk-written and not timed. SQLite in a temporary directory:

    python -m bench.talent
"""

import datetime as dt
import os
import random
import tempfile
import time

N_TALENTS = int(os.environ.get("BENCH_TALENTS", "10000"))
N_INSTITUTIONS = int(os.environ.get("BENCH_INSTITUTIONS", "1000"))


def setup_django():
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["KECHUANG_DATA_DIR"] = tempfile.mkdtemp(prefix="kc-bench-")
    os.environ.setdefault("DEBUG", "1")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def official():
    from kechuang.accounts.models import Role
    from kechuang.accounts.services import do_create_user
    from kechuang.registry.models import Organisation

    department = Organisation.objects.get(name="广西壮族自治区科学技术厅")
    return do_create_user(
        "bench-official",
        None,
        organisation=department,
        role=Role.ADMIN,
        display_name="bench",
        acting_user=None,
        check_password=False,
    )


def seed_talents(employers, year: int, rng) -> None:
    """10,000 recognised talents (certified last year) with their level's schedules and this year's reports."""
    from kechuang.accounts.models import User
    from kechuang.talent import benefits, catalogue
    from kechuang.talent.models import (
        BenefitSchedule,
        ComplianceReport,
        Instalment,
        Person,
        Status,
        TalentApplication,
    )

    user = User.objects.get(username="bench-official")
    recognised_on = dt.date(year, 3, 1)
    rules = catalogue.in_force(recognised_on)
    Person.objects.bulk_create(
        [
            Person(name=f"人才{i}", id_key=f"bench-{i:064d}"[-64:], id_tail=f"{i % 10000:04d}")
            for i in range(N_TALENTS)
        ],
        batch_size=2000,
    )
    people = list(Person.objects.order_by("id"))
    levels = ["A", "B", "C", "D", "E"]
    TalentApplication.objects.bulk_create(
        [
            TalentApplication(
                person=p,
                employer=employers[i % len(employers)],
                level=levels[i % 5],
                credential="x",
                contract_start=recognised_on - dt.timedelta(days=30),
                contract_end=recognised_on.replace(year=year + 5),
                evidence={"contract": "x", "social_insurance": "x", "tax": "x"},
                status=Status.RECOGNISED,
                rules_version=rules.version,
                recognised_on=recognised_on,
                certificate_no=f"B-{i}",
                created_by=user,
            )
            for i, p in enumerate(people)
        ],
        batch_size=2000,
    )
    apps = list(
        TalentApplication.objects.order_by("id").values_list("pk", "person_id", "employer_id", "level")
    )
    schedules = []
    for pk, person, employer, level in apps:
        for kind, b in rules.levels[level].benefits.items():
            schedules.append(
                BenefitSchedule(
                    person_id=person,
                    employer_id=employer,
                    programme="talent",
                    application_id=pk,
                    kind=kind,
                    total_fen=b.total_fen,
                    years=b.years,
                    explanation="bench",
                )
            )
    BenefitSchedule.objects.bulk_create(schedules, batch_size=5000)
    instalments = []
    for s in BenefitSchedule.objects.values("pk", "total_fen", "years"):
        for line in benefits.schedule(s["total_fen"], s["years"], year):
            instalments.append(
                Instalment(
                    schedule_id=s["pk"],
                    index=line.index,
                    year=line.year,
                    amount_fen=line.amount_fen,
                    state="paid" if line.year == year else "scheduled",
                )
            )
    Instalment.objects.bulk_create(instalments, batch_size=10000)
    ComplianceReport.objects.bulk_create(
        [
            ComplianceReport(
                application_id=pk,
                year=year,
                employed=True,
                social_insurance_months=12 if rng.random() > 0.05 else 3,
                tax_months=12,
            )
            for pk, *_rest in apps
        ],
        batch_size=5000,
    )


def measure_compliance(year: int) -> dict:
    from kechuang.accounts.models import User
    from kechuang.talent import services
    from kechuang.talent.models import Instalment

    user = User.objects.get(username="bench-official")
    started = time.perf_counter()
    checked = services.do_run_compliance(year, acting_user=user, today=dt.date(year + 1, 1, 15))
    check_s = time.perf_counter() - started
    published = services.do_publish_benefits(year + 1, acting_user=user)
    total_s = time.perf_counter() - started
    return {
        "talents": N_TALENTS,
        "instalments": Instalment.objects.count(),
        "passed": checked["passed"],
        "failed": checked["failed"],
        "instalments_cancelled": checked["cancelled"],
        "employers_published": published["employers"],
        "instalments_published": published["instalments"],
        "published_total_yuan": published["total_fen"] // 100,
        "check_seconds": round(check_s, 2),
        "check_and_hand_over_seconds": round(total_s, 2),
        "target_seconds": 10,
    }


def seed_institutions(orgs, year: int, rng) -> dict:
    from kechuang.platforms import rules
    from kechuang.platforms.models import IndicatorReport, Institution

    categories = ["basic_research", "innovation_transfer", "public_interest", "new_rd", "transfer"]
    Institution.objects.bulk_create(
        [
            Institution(
                organisation=o,
                kind="institute" if categories[i % 5] not in ("new_rd", "transfer") else categories[i % 5],
                category=categories[i % 5],
                number=f"BENCH-{i:05d}",
                recognised_on=dt.date(year - 1, 6, 1),
            )
            for i, o in enumerate(orgs[:N_INSTITUTIONS])
        ],
        batch_size=2000,
    )
    spec = rules.evaluation()["categories"]
    reports = []
    institutions = list(Institution.objects.all())
    for inst in institutions:
        figures = {}
        for ind in spec[inst.category]["indicators"]:
            if ind["source"] == "self" and rng.random() > 0.03:
                figures[ind["code"]] = rng.randint(0, ind["full"] * 12 // 10)
        reports.append(IndicatorReport(institution=inst, year=year, figures=figures))
    IndicatorReport.objects.bulk_create(reports, batch_size=2000)
    return {inst.pk: rng.randint(4, 10) for inst in institutions}


def seed_expert_review(year: int, marks: dict) -> None:
    """The year's expert review on the review engine: the submissions through the service, then three experts'
    submitted reviews per institution written in bulk (setup only: what is measured is the evaluation reading the
    engine's results, not 3,000 experts typing)."""
    from decimal import Decimal

    from kechuang.accounts.models import Role, User
    from kechuang.platforms import services
    from kechuang.platforms.models import ExpertReview
    from kechuang.review.models import Assignment, AssignmentStatus, Review
    from kechuang.review.services import do_register_expert
    from kechuang.testing import make_org, make_user

    user = User.objects.get(username="bench-official")
    services.do_open_expert_review(year, acting_user=user)
    process = ExpertReview.objects.get(year=year).process
    stage = process.stages.get()
    experts = []
    for i in range(3):  # experts of organisations outside the evaluated ones: no conflict
        org = make_org(f"评审专家单位{i}")
        expert = make_user(f"bench-expert{i}", org=org, role=Role.EXPERT)
        experts.append(do_register_expert(expert, acting_user=None, organisation=org, disciplines=[]))
    submissions = list(process.submissions.values_list("pk", "subject_id"))
    Assignment.objects.bulk_create(
        [
            Assignment(stage=stage, submission_id=pk, expert=e, status=AssignmentStatus.SUBMITTED)
            for pk, _subject in submissions
            for e in experts
        ],
        batch_size=2000,
    )
    rows = Assignment.objects.filter(stage=stage).values_list("pk", "submission__subject_id")
    Review.objects.bulk_create(
        [
            Review(assignment_id=pk, scores={}, total=Decimal(marks[subject] * 10 - k % 3))
            for k, (pk, subject) in enumerate(rows)
        ],
        batch_size=2000,
    )


def measure_evaluation(year: int) -> dict:
    from kechuang.accounts.models import User
    from kechuang.platforms import evaluation, rules, services
    from kechuang.platforms.models import Evaluation, IndicatorReport

    user = User.objects.get(username="bench-official")
    started = time.perf_counter()
    summary = services.do_evaluate(year, acting_user=user)
    total_s = time.perf_counter() - started
    spec = rules.evaluation()
    rows = [
        {**r.figures, "expert": 80} for r in IndicatorReport.objects.filter(institution__category="new_rd")
    ]
    started = time.perf_counter()
    evaluation.evaluate_many(
        spec["categories"]["new_rd"], spec["grades"], rows * (N_INSTITUTIONS // max(len(rows), 1))
    )
    pure_s = time.perf_counter() - started
    sample = Evaluation.objects.order_by("id").first()
    return {
        "institutions": summary["evaluated"],
        "grades": summary["grades"],
        "explanation_lines": sum(len(e) for e in Evaluation.objects.values_list("explanation", flat=True)),
        "seconds": round(total_s, 2),
        "pure_scoring_seconds_1000_rows": round(pure_s, 3),
        "sample_explanation": sample.explanation[-1]["text"] if sample else "",
        "target_seconds": 5,
    }


def run() -> dict:
    setup_django()
    from kechuang.registry.demo import generate_province
    from kechuang.registry.models import Organisation, OrganisationKind

    rng = random.Random(16)
    year = 2025
    started = time.perf_counter()
    generate_province(enterprises=max(N_INSTITUTIONS, 1000), seed=16, years=[year], with_accounts=False)
    official()
    orgs = list(Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE).order_by("id"))
    seed_talents(orgs[:1000], year, rng)
    marks = seed_institutions(orgs, year, rng)
    seed_expert_review(year, marks)
    setup_s = round(time.perf_counter() - started, 1)
    return {
        "setup_seconds_not_timed": setup_s,
        "compliance_and_benefits": measure_compliance(year),
        "evaluation": measure_evaluation(year),
        "load_average": os.getloadavg()[0],
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), ensure_ascii=False, indent=2))
