"""The registry's to-dos for the workbench (`kechuang.web.workbench`): registrations and changes of
identity waiting for an official."""

from django.urls import reverse
from django.utils.translation import gettext as _

from kechuang.permissions import has_cap


def registry_todos(user, todo, limit: int = 8) -> list:
    from kechuang.permissions import Cap

    todos: list = []
    if has_cap(user, Cap.ORG_CREATE):
        from kechuang.permissions.registry import visible_registration_requests
        from kechuang.web.models import OrganisationRequest

        pending = visible_registration_requests(user).filter(status=OrganisationRequest.Status.PENDING)
        n = pending.count()
        if n:
            todos.append(
                todo(
                    "registry",
                    _("%(n)s 个机构注册申请待审核") % {"n": n},
                    reverse("web:registration_list"),
                    n,
                )
            )
    if has_cap(user, Cap.ORG_EDIT_ANY):
        from kechuang.permissions.registry import visible_change_requests
        from kechuang.registry.models import OrganisationChangeRequest

        changes = visible_change_requests(user).filter(status=OrganisationChangeRequest.Status.PENDING)
        n = changes.count()
        if n:
            todos.append(
                todo(
                    "registry",
                    _("%(n)s 个机构信息变更申请待审核") % {"n": n},
                    reverse("registry:change_requests"),
                    n,
                )
            )
    return todos
