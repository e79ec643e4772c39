"""Who may do what with the agricultural expert service teams.

Province-wide officials set up teams, their counties and members, and run the yearly appraisal. The lead
organisation's administrators record the team's plans and activities. An official whose area is the activity's
county (or its city) confirms or refuses it. Every official may read the log and the totals.
"""

from django.http import Http404

from kechuang.accounts.models import Role
from kechuang.permissions.core import ALL_OFFICIALS, grant, has_cap


class FieldCap:
    VIEW = "fieldwork.view"
    CONFIRM = "fieldwork.confirm"
    MANAGE = "fieldwork.manage"
    RECORD = "fieldwork.record"


grant([FieldCap.VIEW, FieldCap.CONFIRM, FieldCap.MANAGE], ALL_OFFICIALS)
grant([FieldCap.RECORD], (Role.ORG_ADMIN,))


def can_manage(user) -> bool:
    return has_cap(user, FieldCap.MANAGE) and (user.role == Role.ADMIN or user.city_id is None)


def can_record(user, team) -> bool:
    return can_manage(user) or (
        has_cap(user, FieldCap.RECORD) and user.organisation_id == team.lead_organisation_id
    )


def can_confirm(user, activity) -> bool:
    """The county's own official, or its city's (never the team that recorded it)."""
    if not has_cap(user, FieldCap.CONFIRM) or not user.city_id:
        return False
    return user.city_id in (activity.county_id, activity.county.parent_id)


def can_open_fieldwork(user) -> bool:
    if has_cap(user, FieldCap.VIEW):
        return True
    if has_cap(user, FieldCap.RECORD) and user.organisation_id:
        from kechuang.fieldwork.models import ServiceTeam

        return ServiceTeam.objects.filter(lead_organisation_id=user.organisation_id).exists()
    return False


def visible_teams(user):
    from kechuang.fieldwork.models import ServiceTeam

    if has_cap(user, FieldCap.VIEW):
        return ServiceTeam.objects.all()
    if has_cap(user, FieldCap.RECORD) and user.organisation_id:
        return ServiceTeam.objects.filter(lead_organisation_id=user.organisation_id)
    return ServiceTeam.objects.none()


def access_team_by_id(user, pk):
    from kechuang.fieldwork.models import ServiceTeam

    try:
        return visible_teams(user).get(pk=pk)
    except (ServiceTeam.DoesNotExist, ValueError, TypeError):
        raise Http404
