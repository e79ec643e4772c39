"""The pledge subsidy policies (kechuang/policy/rules/pledge_*.yaml) run on the policy engine and give the same
amounts as subsidies.py."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from kechuang.pledge import services, subsidies
from kechuang.pledge.subsidies import POLICY_VARIABLES
from kechuang.pledge.tests.conftest import run_to_disbursed
from kechuang.policy.engine.rules import RULES_DIR
from kechuang.registry.models import IndicatorValue

RULES_GLOB = "pledge_*_subsidy.yaml"
KIND_OF = {v: k for k, v in POLICY_VARIABLES.items()}


def test_pledge_policies_compile_and_agree_with_subsidies(application, banker, picc):
    from kechuang.policy.engine import compile_policy
    from kechuang.policy.engine.rules import read_yaml

    year = dt.date.today().year
    app = run_to_disbursed(application, banker, picc)
    services.do_record_repayment(app, acting_user=banker, principal_fen=0, interest_fen=123_457)
    expected = {r.kind: r.amount_fen for r in subsidies.compute_subsidies(app.enterprise_id, year)}
    inputs = subsidies.policy_inputs(app.enterprise_id, year)
    assert expected["interest"] == 61_728 and expected["valuation"] == 15_000_00
    paths = sorted(RULES_DIR.glob(RULES_GLOB))
    assert len(paths) == 4
    for path in paths:
        policy = compile_policy(read_yaml(path))
        result = policy.evaluate_one(
            year, {("is_enterprise", 0): 1, **{(k, 0): v for k, v in inputs.items()}}
        )
        assert result.status_name in ("eligible", "ineligible"), (path.name, result.reason)
        variable = next(v for v in POLICY_VARIABLES.values() if v in path.read_text(encoding="utf-8"))
        assert result.amount == expected[KIND_OF[variable]], path.name


def test_publishing_the_bases_writes_registry_indicators(
    application, banker, picc, approver, reviewer, login
):
    from kechuang.jobs.queue import run_pending

    year = dt.date.today().year
    run_to_disbursed(application, banker, picc)
    with pytest.raises(PermissionDenied):
        services.do_publish_subsidy_bases(year, acting_user=reviewer)
    response = login(approver).post("/pledge/subsidies/publish/", {"year": year})
    assert response.status_code == 302 and "/jobs/" in response["Location"]
    [job] = run_pending(kinds=["pledge.subsidy_bases"])
    assert job.status == "succeeded" and job.result["enterprises"] == 1
    values = dict(
        IndicatorValue.objects.filter(
            organisation_id=application.enterprise_id,
            year=year,
            is_current=True,
            indicator__code__startswith="pledge_",
        ).values_list("indicator_id", "value")
    )
    assert values["pledge_valuation_fee"] == 30_000_00 and values["pledge_insurance_premium"] == 20_000_00
    # running again writes nothing new; a changed base supersedes
    assert services.do_publish_subsidy_bases(year, acting_user=approver).values_written == 0
    assert login(reviewer).post("/pledge/subsidies/publish/", {"year": year}).status_code == 403
