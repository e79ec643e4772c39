"""The policy rules engine: pure Python + NumPy, no Django.

* `lang` — tokenizer, parser and type checker of the expression language;
* `evaluate` — vectorised (NumPy int64) and scalar (with trace) evaluators;
* `params` — parameters with effective dates and exact quantities;
* `definition` — `compile_policy`: a definition checked completely and compiled;
* `policy` — the compiled policy and its batch and single evaluation;
* `rules` — YAML policy files and their test cases;
* `allocation` — pro-rating and 从优从高不重复.
"""

from kechuang.policy.engine.definition import compile_policy  # noqa: F401
from kechuang.policy.engine.lang import DefinitionError  # noqa: F401
from kechuang.policy.engine.params import parse_quantity  # noqa: F401
from kechuang.policy.engine.policy import (  # noqa: F401
    ELIGIBLE,
    INELIGIBLE,
    NOT_COMPUTABLE,
    STATUS_NAMES,
    Policy,
)
