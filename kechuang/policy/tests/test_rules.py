"""Every encoded policy compiles and passes its YAML test cases, in both evaluators."""

import pytest

from kechuang.policy.engine.lang import names_in
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


def test_every_rule_cites_document_and_article_and_every_case_names_its_clause():
    for code, policy in POLICIES.items():
        assert policy.document and policy.article, code
        assert isinstance(policy.reference_verified, bool), code
        if not policy.reference_verified:
            assert policy.reference_note, f"{code}: say why the reference is unverified"
        for case in load_cases(code):
            assert str(case.get("clause") or "").strip(), f"{code}: case {case['name']} names no clause"


def test_rd_rewards_cite_the_implementing_measures():
    for code in ("rd_incremental", "rd_special", "rd_hightech_gazelle"):
        assert POLICIES[code].document == "桂政发〔2019〕69号", code
        assert not POLICIES[code].reference_verified, code  # article numbers not checked against the text
    assert "特别奖补" in POLICIES["rd_special"].name["zh"]
    assert "专项" not in POLICIES["rd_special"].name["zh"]


def test_gazelle_reward_needs_a_gazelle_not_a_hightech_certificate():
    names = {n.name for node in POLICIES["rd_hightech_gazelle"].all_nodes() for n in names_in(node)}
    assert "is_hightech" not in names
    assert {"is_gazelle", "gazelle_year", "rd_self_funded"} <= names


def test_hightech_new_reward_is_not_marked_verified():
    policy = POLICIES["hightech_new_reward"]
    assert not policy.reference_verified
    assert set(policy.unverified_params) == set(policy.params)


def test_hightech_assessment_checks_all_eight_conditions():
    keys = [c.key for c in POLICIES["hightech_assessment"].conditions if c.key != "applies_to"]
    assert keys == [
        "age",
        "ip",
        "field",
        "st_staff",
        "rd_ratio",
        "domestic_rd",
        "hightech_revenue",
        "score",
        "no_incident",
    ]  # (五) is two tests: the ratio and the domestic share


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
