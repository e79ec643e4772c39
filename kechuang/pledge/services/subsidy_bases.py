"""Subsidy bases published for the policy engine."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from kechuang.audit.services import record
from kechuang.permissions import require
from kechuang.permissions.pledge import can_configure
from kechuang.pledge.models import LoanApplication
from kechuang.registry.models import Organisation


@dataclass(frozen=True)
class BasesPublished:
    enterprises: int
    values_written: int


@transaction.atomic
def do_publish_subsidy_bases(year: int, *, acting_user, enterprise_ids=None) -> BasesPublished:
    """Write each enterprise's yearly subsidy bases from its loan records as registry indicators
    (pledge_interest_paid, …) so that the policy engine computes and pays the subsidies. A changed figure
    supersedes the old one (kept in the registry's history); an unchanged one writes nothing."""
    from kechuang.pledge.subsidies import policy_inputs
    from kechuang.registry.models import IndicatorSource
    from kechuang.registry.services import do_record_indicator

    require(can_configure(acting_user), "pledge.config:manage")
    loans = LoanApplication.objects.filter(
        Q(repayments__paid_on__year=year) | Q(valued_on__year=year) | Q(approved_on__year=year)
    )
    if enterprise_ids is not None:
        loans = loans.filter(enterprise_id__in=list(enterprise_ids))
    ids = sorted(set(loans.values_list("enterprise_id", flat=True)))
    written = 0
    for org in Organisation.objects.filter(pk__in=ids).order_by("pk"):
        for code, value in policy_inputs(org.pk, year).items():
            change = do_record_indicator(
                org,
                code,
                year,
                value,
                source=IndicatorSource.PLATFORM,
                reference=f"质押融资贷款记录（{year}）",
                acting_user=None,
            )
            written += int(change.created)
    record(
        "pledge.subsidy_bases.publish",
        ("pledge.year", str(year), str(year)),
        acting_user=acting_user,
        changes={"enterprises": [None, len(ids)], "values_written": [None, written]},
    )
    return BasesPublished(len(ids), written)
