from ninja import Router, Schema

router = Router(tags=["accounts"])


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    role: str
    organisation_id: int | None
    city_id: str | None


@router.get("/me", response=MeOut, summary="The authenticated user")
def me(request):
    user = request.auth
    return MeOut(
        id=user.pk,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        organisation_id=user.organisation_id,
        city_id=user.city_id,
    )
