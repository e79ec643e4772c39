"""The expression language and the policy compiler: pure Python, no database."""

import datetime as dt

import numpy as np
import pytest

from kechuang.policy.engine import DefinitionError, compile_policy, parse_quantity
from kechuang.policy.engine.allocation import best_in_group, prorate
from kechuang.policy.engine.evaluate import div_int, div_vec
from kechuang.policy.engine.lang import DefinitionReason, check, parse, tokenize
from kechuang.policy.engine.policy import ELIGIBLE, INELIGIBLE, NOT_COMPUTABLE


def spec(**overrides):
    base = {
        "code": "demo",
        "name": {"zh": "示例", "en": "Demo"},
        "document": "测试〔2026〕1号",
        "effective_from": "2020-01-01",
        "rounding": "half_up",
        "params": {
            "rate_bp": {"unit": "bp", "values": [{"value": "10%"}]},
            "cap": {"unit": "fen", "values": [{"value": "1万"}]},
        },
        "conditions": [{"key": "positive", "expr": "rd_spending > 0"}],
        "formula": [{"key": "reward", "expr": "rd_spending * rate_bp / 10000"}],
        "cap": "cap",
    }
    base.update(overrides)
    return base


def test_tokenizer_and_parser_build_a_tree_without_eval():
    assert [t.text for t in tokenize("min(a, 3) >= b[-1]")][:-1] == [
        "min",
        "(",
        "a",
        ",",
        "3",
        ")",
        ">=",
        "b",
        "[",
        "-",
        "1",
        "]",
    ]
    node = parse("1 + 2 * 3")
    assert node.op == "+" and node.right.op == "*"
    with pytest.raises(DefinitionError):
        parse("__import__('os')")  # no strings, no attribute access, unknown function
    with pytest.raises(DefinitionError):
        parse("1 +")
    with pytest.raises(DefinitionError):
        parse("a.b")
    with pytest.raises(DefinitionError):
        parse("rd_spending[-9]")


def test_checker_rejects_unknown_names_and_type_errors():
    scope = {"x": "var:int", "flag": "var:bool", "p": "param:int"}
    assert check(parse("x > p and flag"), scope) == "bool"
    for bad in ("y > 1", "x + flag", "if(x, 1, 2)", "not x", "p[-1] > 0", "has(p)", "min(flag, 1)"):
        with pytest.raises(DefinitionError):
            check(parse(bad), scope)


def test_compile_reports_definition_errors_clearly():
    with pytest.raises(DefinitionError) as exc:
        compile_policy(spec(conditions=[{"key": "x", "expr": "made_up_indicator > 0"}]))
    assert exc.value.reason == DefinitionReason.UNKNOWN_NAME
    with pytest.raises(DefinitionError) as exc:
        compile_policy(
            spec(
                params={
                    "rate_bp": {
                        "unit": "bp",
                        "values": [
                            {"value": 100, "from": "2020-01-01", "to": "2022-12-31"},
                            {"value": 200, "from": "2022-06-01"},
                        ],
                    },
                    "cap": {"unit": "fen", "values": [{"value": 1}]},
                }
            )
        )
    assert exc.value.reason == DefinitionReason.PERIODS_OVERLAP
    with pytest.raises(DefinitionError) as exc:
        compile_policy(
            spec(
                params={
                    "rate_bp": {"unit": "bp", "values": [{"value": 100, "from": "2021-01-01"}]},
                    "cap": {"unit": "fen", "values": [{"value": 1}]},
                }
            )
        )
    assert exc.value.reason == DefinitionReason.PERIOD_GAP
    with pytest.raises(DefinitionError) as exc:
        compile_policy(spec(rounding="banker"))
    assert exc.value.reason == DefinitionReason.ROUNDING
    with pytest.raises(DefinitionError) as exc:
        compile_policy(spec(document=""))
    assert exc.value.reason == DefinitionReason.NO_DOCUMENT
    with pytest.raises(DefinitionError) as exc:
        compile_policy(spec(conditions=[{"key": "x", "expr": "rd_spending + 1"}]))
    assert exc.value.reason == DefinitionReason.WRONG_TYPE


def test_quantities_are_exact():
    assert parse_quantity("500万", "fen") == 500_000_000
    assert parse_quantity("12.34元", "fen") == 1234
    assert parse_quantity("20%", "bp") == 2000
    assert parse_quantity("1.5亿", "fen") == 15_000_000_000
    with pytest.raises(DefinitionError):
        parse_quantity("0.001元", "fen")
    with pytest.raises(DefinitionError):
        parse_quantity("20%", "fen")


@pytest.mark.parametrize(
    ("a", "b", "mode", "expected"),
    [
        (5, 10, "half_up", 1),
        (4, 10, "half_up", 0),
        (-5, 10, "half_up", -1),
        (15, 10, "down", 1),
        (11, 10, "up", 2),
        (-11, 10, "up", -2),
        (10, 10, "up", 1),
        (-15, 10, "down", -1),
    ],
)
def test_rounding_modes_scalar_and_vector_agree(a, b, mode, expected):
    assert div_int(a, b, mode) == expected
    assert int(div_vec(np.array([a]), np.array([b]), mode)[0]) == expected


def test_batch_marks_bad_rows_and_keeps_going():
    policy = compile_policy(spec(formula=[{"key": "reward", "expr": "rd_spending * rate_bp / revenue"}]))
    data = {
        ("rd_spending", 0): (np.array([100, 200, 0, 50, -1]), np.array([True, True, True, False, True])),
        ("revenue", 0): (np.array([10, 0, 5, 5, 5]), np.array([True, True, True, True, True])),
    }
    result = policy.evaluate_batch(2024, data, 5)
    assert list(result.status) == [ELIGIBLE, NOT_COMPUTABLE, INELIGIBLE, NOT_COMPUTABLE, NOT_COMPUTABLE]
    assert int(result.amount[0]) == 100 * 1000 // 10
    assert policy.reason_of(result.reason[1])[0] == "div0"
    assert policy.reason_of(result.reason[3]) == ("missing", "rd_spending", 0)
    assert policy.reason_of(result.reason[4])[0] == "negative"


def test_single_evaluation_traces_inputs_params_steps_and_cap():
    policy = compile_policy(spec())
    result = policy.evaluate_one(2024, {("rd_spending", 0): 50_000_000}, {("rd_spending", 0): "税务局 2024"})
    assert result.status == ELIGIBLE and result.amount == 1_000_000 and result.capped
    kinds = [e["kind"] for e in result.trace]
    assert kinds == ["input", "param", "param", "condition", "step", "cap", "result"]
    assert result.trace[0]["source"] == "税务局 2024"
    param = result.trace[1]
    assert param["document"] == "测试〔2026〕1号" and param["verified"] is False
    cap = next(e for e in result.trace if e["kind"] == "cap")
    assert cap["before"] == 5_000_000 and cap["after"] == 1_000_000 and cap["applied"]


def test_parameters_change_on_their_effective_date():
    policy = compile_policy(
        spec(), overrides=[{"name": "rate_bp", "value": "20%", "from": "2025-01-01", "verified": True}]
    )
    assert policy.params_for(2024)["rate_bp"].value == 1000
    assert policy.params_for(2025)["rate_bp"].value == 2000
    assert policy.params["rate_bp"].values[0].end == dt.date(2024, 12, 31)
    windowed = compile_policy(
        spec(), overrides=[{"name": "rate_bp", "value": 1, "from": "2022-01-01", "to": "2022-12-31"}]
    )
    assert [v.value for v in windowed.params["rate_bp"].values] == [1000, 1, 1000]


def test_if_and_or_do_not_fail_on_the_branch_not_taken():
    policy = compile_policy(
        spec(
            conditions=[{"key": "c", "expr": "not above_scale or revenue > 0"}],
            formula=[{"key": "r", "expr": "if(above_scale, rd_spending * 100 / revenue, 7)"}],
            cap=None,
        )
    )
    data = {
        ("above_scale", 0): (np.array([0, 1]), np.array([True, True])),
        ("revenue", 0): (np.array([0, 0]), np.array([False, True])),
        ("rd_spending", 0): (np.array([1, 1]), np.array([True, True])),
    }
    batch = policy.evaluate_batch(2024, data, 2)
    assert list(batch.status) == [ELIGIBLE, INELIGIBLE] and int(batch.amount[0]) == 7
    one = policy.evaluate_one(2024, {("above_scale", 0): 0, ("rd_spending", 0): 1})
    assert one.status == ELIGIBLE and one.amount == 7


def test_overflow_is_not_computable_instead_of_wrapping():
    policy = compile_policy(spec(formula=[{"key": "r", "expr": "rd_spending * rd_spending"}], cap=None))
    big = 2**40
    batch = policy.evaluate_batch(2024, {("rd_spending", 0): (np.array([big, 3]), np.array([True, True]))}, 2)
    assert list(batch.status) == [NOT_COMPUTABLE, ELIGIBLE] and int(batch.amount[1]) == 9
    assert policy.evaluate_one(2024, {("rd_spending", 0): big}).reason[0] == "overflow"


def test_prorate_is_exact_and_deterministic():
    shares = prorate([("a", 100), ("b", 100), ("c", 100)], 200)
    assert sum(shares.values()) == 200
    assert shares == {"a": 67, "b": 67, "c": 66}  # 66.67 each; the two spare fen go to a and b (key order)
    assert prorate([("a", 10), ("b", 20)], 100) == {"a": 10, "b": 20}
    shares = prorate(
        [("x", 1), ("y", 2), ("z", 7)], 5
    )  # 0.5, 1.0, 3.5 → remainders .5 .0 .5 → z first (larger)
    assert shares == {"x": 0, "y": 1, "z": 4}
    assert sum(shares.values()) == 5


def test_best_in_group_takes_the_higher_award_then_priority():
    assert best_in_group({"rd_incremental": 300, "rd_hightech_gazelle": 500}).winner == "rd_hightech_gazelle"
    assert best_in_group({"b": 5, "a": 5}).winner == "a"
    assert best_in_group({"b": 5, "a": 5}, priority=["b", "a"]).winner == "b"
