"""Demo events on top of `seed_demo`: a technology matchmaking event with participants, requests, a meeting
plan, a roadshow call and outcomes. Everything goes through the services."""

import contextlib
import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from kechuang.accounts.models import Role
from kechuang.accounts.services import do_create_user
from kechuang.errors import DomainError
from kechuang.events import services
from kechuang.events.models import Event, EventKind, Outcome, Session
from kechuang.registry.demo import DEMO_PASSWORD
from kechuang.registry.models import Organisation, OrganisationKind


class Command(BaseCommand):
    help = "Create demo matchmaking events (needs seed_demo's accounts)."

    def add_arguments(self, parser):
        parser.add_argument("--participants", type=int, default=60)
        parser.add_argument("--seed", type=int, default=5)

    @transaction.atomic
    def handle(self, *args, participants, seed, **options):
        rng = random.Random(seed)
        day = timezone.localdate() + dt.timedelta(days=30)

        def at(hour, minute=0):
            return dt.datetime(day.year, day.month, day.day, hour, minute)

        User = get_user_model()
        admin = User.objects.get(username="admin")
        organiser = (
            admin.organisation or Organisation.objects.filter(kind=OrganisationKind.GOVERNMENT).first()
        )
        event = services.do_create_event(
            acting_user=admin,
            kind=EventKind.TECH_MATCH,
            title="中国—东盟技术转移对接会",
            description="面向东盟国家的技术转移与成果转化对接：主旨报告、项目路演、一对一洽谈、现场签约。",
            timezone="Asia/Shanghai",
            starts_at=at(8, 30),
            ends_at=at(18, 0),
            venue="南宁国际会展中心 B 区",
            city="450100",
            organiser=organiser,
            languages=["zh-hans", "en", "vi", "id"],
            status=Event.Status.PUBLISHED,
            requires_approval=False,
            quota=500,
        )
        services.do_set_translation(
            event,
            "en",
            title="China–ASEAN Technology Transfer Matchmaking",
            acting_user=admin,
            description="Keynotes, project roadshows, one-to-one meetings and signings.",
        )
        services.do_add_session(
            event,
            acting_user=admin,
            title="开幕式及主旨报告",
            room="主会场",
            starts_at=at(9, 0),
            ends_at=at(10, 0),
        )
        roadshow_session = services.do_add_session(
            event,
            acting_user=admin,
            title="先进制造项目路演",
            room="路演厅",
            kind=Session.Kind.ROADSHOW,
            starts_at=at(10, 30),
            ends_at=at(12, 0),
        )
        services.do_add_session(
            event,
            acting_user=admin,
            title="一对一洽谈",
            room="洽谈区",
            kind=Session.Kind.MEETINGS,
            starts_at=at(14, 0),
            ends_at=at(17, 20),
        )
        services.do_add_meeting_slots(
            event, acting_user=admin, starts_at=at(14, 0), minutes=20, count=10, tables=12
        )
        demo_users = list(
            User.objects.filter(
                username__in=["enterprise", "bank", "university", "expert", "insurer", "guarantor"]
            )
        )
        orgs = list(
            Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE).order_by("id")[:participants]
        )
        zones = ["Asia/Shanghai"] * 6 + [
            "Asia/Jakarta",
            "Asia/Ho_Chi_Minh",
            "Asia/Bangkok",
            "Asia/Kuala_Lumpur",
        ]
        people = []
        for user in demo_users:
            people.append(services.do_register(event, acting_user=user, timezone_name="Asia/Shanghai"))
        for i, org in enumerate(orgs):
            user = User.objects.filter(username=f"demo-p{i:03d}").first() or do_create_user(
                f"demo-p{i:03d}",
                DEMO_PASSWORD,
                organisation=org,
                role=Role.ORG_ADMIN,
                display_name=f"{org.name[:8]}代表",
                acting_user=None,
                check_password=False,
            )
            people.append(services.do_register(event, acting_user=user, timezone_name=rng.choice(zones)))
        for reg in people:
            for target in rng.sample(people, 6):
                if target.pk != reg.pk:
                    with contextlib.suppress(DomainError):  # duplicates are refused; the demo skips them
                        services.do_request_meeting(reg, target, acting_user=reg.user)
        stats = services.do_apply_schedule(event, acting_user=admin)
        call = services.do_open_roadshow_call(
            event,
            acting_user=admin,
            title="先进制造与新材料项目征集",
            minutes_per_project=10,
            closes_at=at(7, 0),
        )
        for reg in people[6:14]:
            app = services.do_apply_roadshow(
                call,
                acting_user=reg.user,
                title=f"{reg.organisation.name[:10]}产业化项目",
                techmarket_listing_id=rng.randint(1, 500),
            )
            services.do_select_application(
                app, selected=rng.random() < 0.8, score=rng.randint(60, 95), acting_user=admin
            )
        services.do_schedule_roadshow(call, roadshow_session, acting_user=admin)
        for reg in people[:20]:
            services.do_check_in(event, services.badge_token(reg), acting_user=admin)
        meetings = list(
            event.meetings.filter(status="scheduled").select_related(
                "low__organisation", "high__organisation"
            )[:12]
        )
        for i, m in enumerate(meetings):
            services.do_record_outcome(
                event,
                acting_user=admin,
                kind=Outcome.Kind.SIGNING if i % 3 == 0 else Outcome.Kind.INTENTION,
                deal_type=rng.choice(["tech_transfer", "licence", "joint_rd", "loan"]),
                title=f"{m.low.organisation.name[:6]}—{m.high.organisation.name[:6]}合作",
                parties=[m.low.organisation, m.high.organisation],
                meeting=m,
                amount_fen=rng.randint(50, 3000) * 1_000_000 if i % 3 == 0 else 0,
            )
        self.stdout.write(f"event #{event.pk}: {len(people)} participants, plan {stats}")
