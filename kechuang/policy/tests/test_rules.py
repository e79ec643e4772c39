"""Every encoded policy compiles and passes its YAML test cases, in both evaluators."""

import pytest

from kechuang.policy.engine.rules import RULES_DIR, load_cases, load_policies, load_specs, run_case

POLICIES = load_policies()
REQUIRED = {
    "rd_incremental",
    "rd_special",
    "rd_hightech_gazelle",
    "rd_super_deduction_estimate",
    "hightech_assessment",
    "fi_establishment",
    "equity_fund_manager",
    "equity_enterprise",
    "hightech_new_reward",
}
CASES = [(code, case) for code in sorted(POLICIES) for case in load_cases(code)]


def test_every_required_policy_is_encoded_with_document_and_cases():
    assert set(POLICIES) >= REQUIRED
    for code, policy in POLICIES.items():
        assert policy.document and policy.name["zh"] and policy.name.get("en"), code
        cases = load_cases(code)
        assert len(cases) >= 4, f"{code} needs edge cases"
        statuses = {c["expected"].get("status") for c in cases}
        assert {"eligible", "ineligible"} <= statuses, code
        assert "not_computable" in statuses, code


def test_unverified_parameters_are_flagged():
    assert "band_high_bp" in POLICIES["rd_incremental"].unverified_params
    assert "rate_high_bp" not in POLICIES["rd_incremental"].unverified_params


def test_exclusive_policies_share_a_group():
    assert POLICIES["rd_incremental"].group == POLICIES["rd_hightech_gazelle"].group != ""
    assert POLICIES["rd_special"].group == ""


def test_case_files_match_policy_files():
    assert {p.stem for p in (RULES_DIR / "tests").glob("*.yaml")} == set(load_specs())


@pytest.mark.parametrize(("code", "case"), CASES, ids=[f"{c}:{case['name']}" for c, case in CASES])
def test_policy_case(code, case):
    assert run_case(POLICIES[code], case) == []


def test_labels_are_plain_zh_en_strings():
    """A label with an unquoted comma in YAML flow style silently becomes extra keys; catch that."""

    def walk(node, where):
        if isinstance(node, dict):
            if "zh" in node:
                assert set(node) <= {"zh", "en"} and all(isinstance(v, str) for v in node.values()), (
                    where,
                    node,
                )
            for value in node.values():
                walk(value, where)
        elif isinstance(node, list):
            for value in node:
                walk(value, where)

    for code, spec in load_specs().items():
        walk(spec, code)
