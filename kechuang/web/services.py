"""Organisation self-registration: a request from anyone, an official's decision, the account after it."""

import secrets

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.accounts.models import Role, User
from kechuang.accounts.services import do_create_user
from kechuang.audit.services import record
from kechuang.codes import (
    CodeError,
    check_credit_code,
    check_registration_number,
    normalise_name,
    region_code_of,
)
from kechuang.errors import DomainError, ErrorCode, StateError
from kechuang.permissions import Cap
from kechuang.permissions.registry import visible_registration_requests
from kechuang.registry.models import Organisation, Region
from kechuang.web.models import OrganisationRequest


def check_registration(fields: dict) -> dict:
    """Normalise and validate a request; DomainError names the field and what is wrong."""
    cleaned = dict(fields)
    for name in ("name", "name_en", "contact_name"):
        if cleaned.get(name) is not None:
            try:
                cleaned[name] = normalise_name(cleaned[name])
            except CodeError as exc:
                raise DomainError(ErrorCode.INVALID, exc.message, {"field": name})
    if cleaned.get("country", "CN") == "CN":
        try:
            cleaned["credit_code"] = check_credit_code(cleaned.get("credit_code", ""))
        except CodeError as exc:
            raise DomainError(ErrorCode.INVALID_CREDIT_CODE, exc.message, {"field": "credit_code"})
        if Organisation.objects.filter(credit_code=cleaned["credit_code"]).exists():
            raise DomainError(
                ErrorCode.DUPLICATE_CREDIT_CODE,
                _("该统一社会信用代码已登记，请由本机构管理员为您开通账号。"),
                {"field": "credit_code"},
                status=409,
            )
        region = cleaned.get("region")
        if region is None:
            region = Region.objects.filter(pk=region_code_of(cleaned["credit_code"])).first()
        if region is None:
            raise DomainError(ErrorCode.UNKNOWN_REGION, _("请选择所在地区。"), {"field": "region"})
        cleaned["region"] = region
        cleaned["registration_number"] = ""
        cleaned["registration_type"] = ""
    else:
        # an ASEAN organisation: its own registration number, of a type that country issues, checked by its rules
        try:
            number = check_registration_number(
                cleaned["country"],
                cleaned.get("registration_type", ""),
                cleaned.get("registration_number", ""),
            )
        except CodeError as exc:
            field = "registration_type" if exc.reason == "type" else "registration_number"
            raise DomainError(ErrorCode.INVALID, exc.message, {"field": field})
        if Organisation.objects.filter(
            country=cleaned["country"],
            registration_type=cleaned["registration_type"],
            registration_number=number,
        ).exists():
            raise DomainError(
                ErrorCode.CONFLICT,
                _("该登记号已登记，请由本机构管理员为您开通账号。"),
                {"field": "registration_number"},
                status=409,
            )
        cleaned["registration_number"] = number
        cleaned["credit_code"] = ""
        cleaned["region"] = Region.objects.filter(pk=cleaned["country"]).first()
    username = (cleaned.get("username") or "").strip()
    if (
        User.objects.filter(username__iexact=username).exists()
        or OrganisationRequest.objects.filter(
            username__iexact=username, status=OrganisationRequest.Status.PENDING
        ).exists()
    ):
        raise DomainError(
            ErrorCode.CONFLICT, _("该登录名已被使用，请换一个。"), {"field": "username"}, status=409
        )
    cleaned["username"] = username
    return cleaned


@transaction.atomic
def do_request_registration(*, password: str, acting_user=None, **fields) -> OrganisationRequest:
    """Anyone may ask; nothing becomes active until an official approves."""
    cleaned = check_registration(fields)
    try:
        validate_password(password, User(username=cleaned["username"], email=cleaned.get("email", "")))
    except ValidationError as exc:
        raise DomainError(ErrorCode.INVALID, " ".join(exc.messages), {"field": "password"})
    req = OrganisationRequest(**cleaned, password_hash=make_password(password))
    req.full_clean(exclude=["password_hash"])
    req.save()
    record(
        "web.registration.request",
        req,
        acting_user=acting_user,
        changes={"status": [None, req.status], "country": [None, req.country]},
    )
    return req


@transaction.atomic
def do_decide_registration(
    req: OrganisationRequest, *, approve: bool, note: str = "", acting_user
) -> OrganisationRequest:
    """Approve: create the organisation (Chinese ones by credit code, ASEAN ones by country and their own
    registration number) and its administrator's account."""
    if not visible_registration_requests(acting_user).filter(pk=req.pk).exists():
        raise PermissionDenied(Cap.ORG_CREATE)
    req = OrganisationRequest.objects.select_for_update().get(pk=req.pk)
    if req.status != OrganisationRequest.Status.PENDING:
        raise StateError(_("该申请已处理。"))
    if not approve and not note.strip():
        raise DomainError(ErrorCode.INVALID, _("请写明不通过的理由，申请人会看到它。"), {"field": "note"})
    before = req.status
    if approve:
        from kechuang.registry.services import do_create_organisation

        identity = (
            {"credit_code": req.credit_code, "region": req.region}
            if req.country == "CN"
            else {
                "country": req.country,
                "registration_type": req.registration_type,
                "registration_number": req.registration_number,
                "region": req.region or req.country,
            }
        )
        org = do_create_organisation(
            acting_user=acting_user,
            name=req.name,
            name_en=req.name_en,
            kind=req.kind,
            contact_name=req.contact_name,
            contact_phone=req.contact_phone,
            **identity,
        )
        user = do_create_user(
            req.username,
            secrets.token_urlsafe(24),
            organisation=org,
            role=Role.ORG_ADMIN if org else Role.MEMBER,
            display_name=req.contact_name,
            email=req.email,
            acting_user=acting_user,
            check_password=False,
        )
        user.password = req.password_hash  # the password the applicant chose, stored only as its hash
        user.language = req.language
        user.phone = req.contact_phone
        user.save(update_fields=["password", "language", "phone"])
        req.organisation, req.user = org, user
        req.status = OrganisationRequest.Status.APPROVED
    else:
        req.status = OrganisationRequest.Status.REJECTED
    req.review_note = note.strip()[:300]
    req.reviewed_by, req.reviewed_at = acting_user, timezone.now()
    req.save()
    record(
        "web.registration.decide",
        req,
        acting_user=acting_user,
        changes={"status": [before, req.status]},
        note=req.review_note,
        organisation_id=req.organisation_id,
    )
    return req
