"""JSON API of the agricultural expert service teams and 科技特派员: teams with their counties and members, yearly
plans, the activity log with the county's confirmation, the yearly appraisal and the totals per county or team.
The same services and permission rules as the pages."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from ninja import Field, Router, Schema, Status

from kechuang.bounds import Code, Count, Date, Id, IdList, Line, Name, Text, Year
from kechuang.fieldwork import services
from kechuang.fieldwork.models import Activity, TeamMember
from kechuang.permissions.core import has_cap
from kechuang.permissions.fieldwork import (
    FieldCap,
    access_team_by_id,
    can_confirm,
    can_manage,
    can_open_fieldwork,
    can_record,
    visible_teams,
)
from kechuang.registry.models import Organisation, Region

router = Router(tags=["fieldwork"])


class FieldTeamOut(Schema):
    id: int
    name: str
    industry: str
    lead_organisation_id: int
    counties: list[str]
    is_active: bool


def _team_out(team) -> dict:
    return {
        "id": team.pk,
        "name": team.name,
        "industry": team.industry,
        "lead_organisation_id": team.lead_organisation_id,
        "counties": [c.code for c in team.counties.all()],
        "is_active": team.is_active,
    }


class FieldActivityOut(Schema):
    id: int
    team_id: int
    kind: str
    date: dt.date
    county: str
    title: str
    venue: str
    capacity: int
    attendees: int
    handouts: int
    demonstration_base: str
    signin_evidence: str
    state: str
    confirm_note: str


def _activity_out(a: Activity) -> dict:
    return {
        "id": a.pk,
        "team_id": a.team_id,
        "kind": a.kind,
        "date": a.date,
        "county": a.county.code,
        "title": a.title,
        "venue": a.venue,
        "capacity": a.capacity,
        "attendees": a.attendees,
        "handouts": a.handouts,
        "demonstration_base": a.demonstration_base,
        "signin_evidence": a.signin_evidence,
        "state": a.state,
        "confirm_note": a.confirm_note,
    }


class FieldTeamDetailOut(FieldTeamOut):
    members: list[dict]
    plans: list[dict]
    activities: list[FieldActivityOut]
    appraisals: list[dict]


def _team_detail(team) -> dict:
    return {
        **_team_out(team),
        "members": list(team.members.values("id", "name", "title", "expertise", "commissioner")),
        "plans": list(team.plans.order_by("-year").values("year", "trainings", "trainees", "bases", "note")),
        "activities": [_activity_out(a) for a in team.activities.select_related("county")[:200]],
        "appraisals": list(team.appraisals.order_by("-year").values("year", "score", "grade", "explanation")),
    }


@router.get("/teams", response=list[FieldTeamOut])
def list_teams(request):
    if not can_open_fieldwork(request.auth):
        raise PermissionDenied(FieldCap.VIEW)
    return [_team_out(t) for t in visible_teams(request.auth).prefetch_related("counties")[:500]]


@router.get("/teams/{team_id}", response=FieldTeamDetailOut)
def get_team(request, team_id: Id):
    return _team_detail(access_team_by_id(request.auth, team_id))


class FieldMemberIn(Schema):
    name: Name
    organisation_id: Id | None = None
    title: Name = ""
    expertise: Name = ""
    commissioner: bool = False


class FieldTeamIn(Schema):
    name: Name
    industry: Name
    lead_organisation_id: Id
    counties: list[Code] = Field(max_length=200)
    members: list[FieldMemberIn] = Field(default=[], max_length=500)


@router.post("/teams", response={201: FieldTeamDetailOut})
def create_team(request, payload: FieldTeamIn):
    """A team with its industry, the county-level regions it serves (by code) and its members."""
    if not can_manage(request.auth):
        raise PermissionDenied(FieldCap.MANAGE)
    lead = Organisation.objects.filter(pk=payload.lead_organisation_id).first()
    counties = list(Region.objects.filter(code__in=payload.counties))
    if lead is None or len(counties) != len(set(payload.counties)):
        raise Http404
    orgs = Organisation.objects.in_bulk([m.organisation_id for m in payload.members if m.organisation_id])
    members = []
    for m in payload.members:
        if m.organisation_id and m.organisation_id not in orgs:
            raise Http404
        members.append({**m.dict(), "organisation": orgs.get(m.organisation_id)})
    team = services.do_create_team(
        acting_user=request.auth,
        name=payload.name,
        industry=payload.industry,
        lead_organisation=lead,
        counties=counties,
        members=members,
    )
    return Status(201, _team_detail(team))


class FieldPlanIn(Schema):
    year: Year
    trainings: Count
    trainees: Count
    bases: Count = 0
    note: Text = ""


@router.post("/teams/{team_id}/plans", response=FieldTeamDetailOut)
def set_plan(request, team_id: Id, payload: FieldPlanIn):
    team = access_team_by_id(request.auth, team_id)
    if not can_record(request.auth, team):
        raise PermissionDenied(FieldCap.RECORD)
    services.do_set_plan(team, acting_user=request.auth, **payload.dict())
    return _team_detail(team)


class FieldActivityIn(Schema):
    kind: Code
    date: Date
    county: Code
    title: Name
    venue: Name
    capacity: Count
    attendees: Count
    handouts: Count = 0
    demonstration_base: Name = ""
    signin_evidence: Name = ""
    experts: IdList = []


@router.post("/teams/{team_id}/activities", response={201: FieldActivityOut})
def record_activity(request, team_id: Id, payload: FieldActivityIn):
    """An activity of the team; refused with its reason when over the venue's capacity, outside the team's
    counties, without sign-in evidence for a training, or in the future."""
    team = access_team_by_id(request.auth, team_id)
    if not can_record(request.auth, team):
        raise PermissionDenied(FieldCap.RECORD)
    county = Region.objects.filter(code=payload.county).first()
    if county is None:
        raise Http404
    experts = list(TeamMember.objects.filter(pk__in=payload.experts))
    if len(experts) != len(set(payload.experts)):
        raise Http404
    values = payload.dict(exclude={"date", "county", "experts"})
    activity = services.do_record_activity(
        team, acting_user=request.auth, day=payload.date, county=county, experts=experts, **values
    )
    return Status(201, _activity_out(activity))


@router.get("/activities/to-confirm", response=list[FieldActivityOut])
def to_confirm(request):
    """The activities waiting for the caller's confirmation (their county or its city)."""
    user = request.auth
    if not has_cap(user, FieldCap.CONFIRM) or not user.city_id:
        raise PermissionDenied(FieldCap.CONFIRM)
    qs = Activity.objects.filter(
        Q(county_id=user.city_id) | Q(county__parent_id=user.city_id), state=Activity.State.RECORDED
    ).select_related("county")
    return [_activity_out(a) for a in qs[:500]]


class FieldConfirmIn(Schema):
    confirmed: bool
    note: Line = ""


@router.post("/activities/{activity_id}/confirm", response=FieldActivityOut)
def confirm(request, activity_id: Id, payload: FieldConfirmIn):
    activity = Activity.objects.filter(pk=activity_id).select_related("county").first()
    if activity is None or not can_confirm(request.auth, activity):
        raise Http404
    activity = services.do_confirm_activity(
        activity, acting_user=request.auth, confirmed=payload.confirmed, note=payload.note
    )
    return _activity_out(activity)


class FieldYearIn(Schema):
    year: Year


class FieldAppraisalOut(Schema):
    year: int
    score: int
    grade: str
    explanation: list


@router.post("/teams/{team_id}/appraisals", response={201: FieldAppraisalOut})
def appraise(request, team_id: Id, payload: FieldYearIn):
    team = access_team_by_id(request.auth, team_id)
    a = services.do_appraise(team, acting_user=request.auth, year=payload.year)
    return Status(201, {"year": a.year, "score": a.score, "grade": a.grade, "explanation": a.explanation})


class FieldTotalOut(Schema):
    key: int
    label: str
    activities: int
    trainings: int
    trainees: int
    attendees: int
    handouts: int
    bases: int


@router.get("/totals", response=list[FieldTotalOut])
def totals(request, year: Year, by: Code = "county"):
    """Confirmed activities summed per county or per team, over the teams visible to the caller."""
    if not can_open_fieldwork(request.auth):
        raise PermissionDenied(FieldCap.VIEW)
    if by not in ("county", "team"):
        raise Http404
    return services.totals(year, by=by, teams=visible_teams(request.auth))
