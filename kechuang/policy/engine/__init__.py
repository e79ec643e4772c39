"""The policy rules engine: pure Python + NumPy, no Django.

* `lang` — tokenizer, parser and type checker of the expression language;
* `evaluate` — vectorised (NumPy int64) and scalar (with trace) evaluators;
* `policy` — policy definitions, parameters with effective dates, `compile_policy`;
* `rules` — YAML policy files and their test cases;
* `allocation` — pro-rating and 从优从高不重复.
"""

from kechuang.policy.engine.lang import DefinitionError  # noqa: F401
from kechuang.policy.engine.policy import (  # noqa: F401
    ELIGIBLE,
    INELIGIBLE,
    NOT_COMPUTABLE,
    STATUS_NAMES,
    Policy,
    compile_policy,
    parse_quantity,
)
