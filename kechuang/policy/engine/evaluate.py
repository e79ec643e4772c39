"""Two evaluators of the same AST: vectorised over NumPy int64 arrays, and scalar with a trace.

Both follow the same rules, so they agree on every input (a property test checks this):

* a missing or negative input makes an expression "not computable" with that reason, unless `has()` or
  `coalesce()` looks at it, or it sits in a branch that `if`/`and`/`or` does not take;
* operands are judged left to right: the first not-computable operand gives the reason;
* division by zero is "not computable: division by zero in <expression>" for that enterprise only;
* results of magnitude ≥ 2^62 are "not computable: overflow", so int64 never wraps. The test is exact
  (integer arithmetic, never a float product that rounds near the limit).

The vectorised evaluation runs in two passes. `FastEvaluator` computes values and "not computable" masks only,
and carries for every integer value an interval [lo, hi] (Python integers, exact) that holds for every row still
computable: inputs give theirs from one min/max, constants are exact, and + − × ÷ min max if abs combine them.
When an interval proves that a sum or product stays below 2^62 — the usual case — no element-wise overflow
test is run at all; otherwise the exact test runs on that operation only. Division of non-negative operands uses
a single floor division. Then `VectorEvaluator`, which also tracks the reason of every not-computable value, runs
again on the not-computable rows alone to name their reasons. Both passes implement the rules above, and every row
is evaluated independently, so the result is the same as one tracing pass over everything.
"""

from __future__ import annotations

import numpy as np

from kechuang.policy.engine.lang import BinOp, Bool, Call, Name, Neg, Node, Num

LIMIT = 2**62
ROUNDING_MODES = ("half_up", "down", "up")


class Reasons:
    """The table of not-computable reasons of one compiled policy; arrays hold their ids (0 = none)."""

    def __init__(self):
        self.items: list[tuple] = [("ok",)]
        self.ids: dict[tuple, int] = {("ok",): 0}

    def id(self, *reason) -> int:
        if reason not in self.ids:
            self.ids[reason] = len(self.items)
            self.items.append(reason)
        return self.ids[reason]

    def __getitem__(self, rid: int) -> tuple:
        return self.items[rid]


# ---- scalar helpers shared in spirit with the vector ones ---------------------------------------------------


def div_int(a: int, b: int, mode: str) -> int:
    negative = (a < 0) != (b < 0)
    q, r = divmod(abs(a), abs(b))
    if mode == "half_up":
        q += 2 * r >= abs(b)
    elif mode == "up":
        q += r > 0
    return -q if negative else q


def div_vec(a, b, mode: str):
    negative = (a < 0) ^ (b < 0)
    q, r = np.divmod(np.abs(a), np.abs(b))
    if mode == "half_up":
        q = q + (2 * r >= np.abs(b))
    elif mode == "up":
        q = q + (r > 0)
    return np.where(negative, -q, q)


def mul_overflows(a, b):
    """Exact element-wise |a × b| ≥ 2^62 for int64 arrays whose values are below 2^62 in magnitude."""
    abs_a, abs_b = np.abs(a), np.abs(b)
    nonzero = abs_b != 0
    # |a| × |b| ≥ LIMIT  ⇔  |a| > (LIMIT − 1) // |b|   (integers, b ≠ 0)
    return nonzero & (abs_a > (LIMIT - 1) // np.where(nonzero, abs_b, 1))


# ---- vectorised ----------------------------------------------------------------------------------------------


class V:
    """A vector value: `val` (int64 or bool), `bad` (not computable), `why` (reason id where bad)."""

    __slots__ = ("val", "bad", "why")

    def __init__(self, val, bad=None, why=None):
        self.val = val
        self.bad = np.False_ if bad is None else bad
        self.why = np.int32(0) if why is None else why


def _join(*vs: V):
    bad = vs[0].bad
    why = vs[0].why
    for v in vs[1:]:
        why = np.where(bad, why, v.why)
        bad = bad | v.bad
    return bad, why


class VectorEvaluator:
    def __init__(self, data: dict, params: dict, reasons: Reasons, rounding: str, n: int):
        self.data, self.params, self.reasons, self.rounding, self.n = data, params, reasons, rounding, n
        self.steps: dict[str, V] = {}
        self._vars: dict[tuple, V] = {}

    def var(self, name: str, offset: int, typ: str) -> V:
        key = (name, offset)
        if key not in self._vars:
            values, present = self.data[key]
            values = np.asarray(values, dtype=np.int64)
            present = np.asarray(present, dtype=bool)
            negative = present & (values < 0)
            huge = present & (values >= LIMIT)
            bad = ~present | negative | huge
            why = np.where(
                ~present,
                self.reasons.id("missing", name, offset),
                np.where(
                    negative,
                    self.reasons.id("negative", name, offset),
                    self.reasons.id("range", name, offset),
                ),
            ).astype(np.int32)
            why = np.where(bad, why, 0).astype(np.int32)
            safe = np.where(bad, 0, values)
            self._vars[key] = V(safe != 0 if typ == "bool" else safe, bad, why)
        return self._vars[key]

    def eval(self, node: Node) -> V:
        if isinstance(node, Num):
            return V(np.int64(node.value))
        if isinstance(node, Bool):
            return V(np.bool_(node.value))
        if isinstance(node, Name):
            if node.kind == "param":
                return V(np.int64(self.params[node.name]))
            if node.kind == "step":
                return self.steps[node.name]
            return self.var(node.name, node.offset, node.type)
        if isinstance(node, Neg):
            v = self.eval(node.operand)
            return V(-v.val, v.bad, v.why)
        if isinstance(node, BinOp):
            return self.binop(node)
        return self.call(node)

    def binop(self, node: BinOp) -> V:
        a, b = self.eval(node.left), self.eval(node.right)
        bad, why = _join(a, b)
        op = node.op
        if op in ("+", "-", "*"):
            # values of rows that are already not computable are never read again, so they are left as they are
            if op == "*":
                over = mul_overflows(np.asarray(a.val, dtype=np.int64), np.asarray(b.val, dtype=np.int64))
                val = a.val * b.val
            else:
                val = a.val + b.val if op == "+" else a.val - b.val
                over = np.abs(val) >= LIMIT
            if not np.any(over):
                return V(val, bad, why)
            fresh = over & ~bad
            why = np.where(fresh, self.reasons.id("overflow", node.text), why)
            return V(val, bad | over, why)
        if op == "/":
            is_zero = b.val == 0
            val = div_vec(a.val, np.where(is_zero, 1, b.val), self.rounding)
            if not np.any(is_zero):
                return V(val, bad, why)
            zero = is_zero & ~bad
            why = np.where(zero, self.reasons.id("div0", node.text), why)
            return V(val, bad | zero, why)
        cmp = {
            "<": np.less,
            "<=": np.less_equal,
            ">": np.greater,
            ">=": np.greater_equal,
            "==": np.equal,
            "!=": np.not_equal,
        }[op]
        return V(cmp(a.val, b.val), bad, why)

    def call(self, node: Call) -> V:
        fn, args = node.fn, node.args
        if fn == "if":
            c = self.eval(args[0])
            x, y = self.eval(args[1]), self.eval(args[2])
            val = np.where(c.val, x.val, y.val)
            bad = c.bad | (~c.bad & np.where(c.val, x.bad, y.bad))
            why = np.where(c.bad, c.why, np.where(c.val, x.why, y.why))
            return V(val, bad, why)
        if fn in ("and", "or"):
            result = self.eval(args[0])
            for arg in args[1:]:
                b = self.eval(arg)
                a = result
                decided = a.val if fn == "or" else ~a.val  # a settles the answer where decided & ~a.bad
                take_b = ~a.bad & ~decided
                bad = a.bad | (take_b & b.bad)
                why = np.where(a.bad, a.why, np.where(take_b, b.why, 0))
                val = np.where(take_b, b.val, a.val)
                result = V(val, bad, why)
            return result
        if fn == "not":
            v = self.eval(args[0])
            return V(~v.val, v.bad, v.why)
        if fn == "has":
            v = self.eval(args[0])
            return V(~np.asarray(v.bad) if np.ndim(v.bad) else np.bool_(not v.bad))
        if fn == "coalesce":
            x, d = self.eval(args[0]), self.eval(args[1])
            val = np.where(x.bad, d.val, x.val)
            bad = x.bad & d.bad
            why = np.where(x.bad, d.why, 0)
            return V(val, bad, why)
        if fn in ("min", "max"):
            vs = [self.eval(a) for a in args]
            bad, why = _join(*vs)
            reduce = np.minimum if fn == "min" else np.maximum
            val = vs[0].val
            for v in vs[1:]:
                val = reduce(val, v.val)
            return V(val, bad, why)
        if fn == "abs":
            v = self.eval(args[0])
            return V(np.abs(v.val), v.bad, v.why)
        if fn in ("div_down", "div_up"):
            a, b = self.eval(args[0]), self.eval(args[1])
            bad, why = _join(a, b)
            is_zero = b.val == 0
            val = div_vec(a.val, np.where(is_zero, 1, b.val), "down" if fn == "div_down" else "up")
            zero = is_zero & ~bad
            why = np.where(zero, self.reasons.id("div0", node.text), why)
            return V(val, bad | zero, why)
        raise AssertionError(fn)

    def full(self, v: V, dtype=np.int64):
        """Broadcast a value (possibly a scalar) to arrays of length n."""
        return (
            np.broadcast_to(np.asarray(v.val, dtype=dtype), (self.n,)),
            np.broadcast_to(np.asarray(v.bad, dtype=bool), (self.n,)),
            np.broadcast_to(np.asarray(v.why, dtype=np.int32), (self.n,)),
        )


# ---- scalar, with the values it used -------------------------------------------------------------------------


class Bad(Exception):
    """Raised inside the scalar evaluator; carries the reason tuple. Caught by if/and/or/has/coalesce."""

    def __init__(self, reason: tuple):
        super().__init__(reason)
        self.reason = reason


class ScalarEvaluator:
    def __init__(self, inputs: dict, params: dict, rounding: str):
        self.inputs, self.params, self.rounding = inputs, params, rounding
        self.steps: dict[str, object] = {}
        self.used: dict[
            tuple, object
        ] = {}  # ("var", name, offset) / ("param", name) / ("step", name) -> value

    def var(self, name, offset, typ):
        value = self.inputs.get((name, offset))
        self.used[("var", name, offset)] = value
        if value is None:
            raise Bad(("missing", name, offset))
        value = int(value)
        if value < 0:
            raise Bad(("negative", name, offset))
        if value >= LIMIT:
            raise Bad(("range", name, offset))
        return value != 0 if typ == "bool" else value

    def eval(self, node: Node):
        if isinstance(node, Num | Bool):
            return node.value
        if isinstance(node, Name):
            if node.kind == "param":
                self.used[("param", node.name)] = self.params[node.name]
                return self.params[node.name]
            if node.kind == "step":
                value = self.steps[node.name]
                if isinstance(value, Bad):
                    raise value
                self.used[("step", node.name)] = value
                return value
            return self.var(node.name, node.offset, node.type)
        if isinstance(node, Neg):
            return -self.eval(node.operand)
        if isinstance(node, BinOp):
            a = self.eval(node.left)
            b = self.eval(node.right)
            op = node.op
            if op == "*":
                value = a * b
                if abs(value) >= LIMIT:
                    raise Bad(("overflow", node.text))
                return value
            if op in ("+", "-"):
                value = a + b if op == "+" else a - b
                if abs(value) >= LIMIT:
                    raise Bad(("overflow", node.text))
                return value
            if op == "/":
                if b == 0:
                    raise Bad(("div0", node.text))
                return div_int(a, b, self.rounding)
            return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a == b, "!=": a != b}[op]
        fn, args = node.fn, node.args
        if fn == "if":
            return self.eval(args[1]) if self.eval(args[0]) else self.eval(args[2])
        if fn == "and":
            return all(self.eval(a) for a in args)  # all() stops at the first False, like the vector rule
        if fn == "or":
            return any(self.eval(a) for a in args)
        if fn == "not":
            return not self.eval(args[0])
        if fn == "has":
            try:
                self.eval(args[0])
                return True
            except Bad:
                return False
        if fn == "coalesce":
            try:
                return self.eval(args[0])
            except Bad:
                return self.eval(args[1])
        if fn in ("min", "max"):
            values = [self.eval(a) for a in args]
            return min(values) if fn == "min" else max(values)
        if fn == "abs":
            return abs(self.eval(args[0]))
        if fn in ("div_down", "div_up"):
            a, b = self.eval(args[0]), self.eval(args[1])
            if b == 0:
                raise Bad(("div0", node.text))
            return div_int(a, b, "down" if fn == "div_down" else "up")
        raise AssertionError(fn)


# ---- vectorised, first pass: values, masks and exact intervals, no reasons ------------------------------------


class F:
    """A value of the first pass: `val` (int64 or bool, array or scalar), `bad` (False or a bool array) and, for
    integers, `lo`/`hi`: exact bounds that hold on every row where `bad` is false."""

    __slots__ = ("val", "bad", "lo", "hi")

    def __init__(self, val, bad=False, lo=None, hi=None):
        self.val, self.bad, self.lo, self.hi = val, bad, lo, hi


def _or(a, b):
    if a is False:
        return b
    if b is False:
        return a
    return a | b


def _and(a, b):
    if a is False or b is False:
        return False
    return a & b


def _select(cond, x, y):
    """`np.where` that keeps False masks cheap."""
    if x is False and y is False:
        return False
    return np.where(cond, x, y)


def _fits(lo, hi) -> bool:
    return lo is not None and lo > -LIMIT and hi < LIMIT


_COMPARE = {
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
    "==": np.equal,
    "!=": np.not_equal,
}


class FastEvaluator:
    """Values and "not computable" masks of an AST over NumPy arrays; see the module docstring."""

    def __init__(self, data: dict, params: dict, rounding: str, n: int, checked: dict | None = None):
        self.data, self.params, self.rounding, self.n = data, params, rounding, n
        self.steps: dict[str, F] = {}
        # checked inputs, shareable between policies evaluated on the same arrays (see Policy.evaluate_batch)
        self._vars: dict[tuple, tuple] = {} if checked is None else checked

    def var(self, name: str, offset: int, typ: str) -> F:
        raw_values, raw_present = self.data[(name, offset)]
        key = (name, offset, typ)
        cached = self._vars.get(key)
        if cached is None or cached[0] is not raw_values or cached[1] is not raw_present:
            values, present = raw_values, raw_present
            values = np.asarray(values, dtype=np.int64)
            present = np.asarray(present, dtype=bool)
            lo, hi = (int(values.min()), int(values.max())) if values.size else (0, 0)
            if lo >= 0 and hi < LIMIT:
                bad = False if present.all() else ~present
            else:
                bad = ~present | (values < 0) | (values >= LIMIT)
                values = np.where(bad, 0, values)
                lo, hi = (int(values.min()), int(values.max())) if values.size else (0, 0)
            value = F(values != 0, bad) if typ == "bool" else F(values, bad, lo, hi)
            cached = self._vars[key] = (raw_values, raw_present, value)
        return cached[2]

    def eval(self, node: Node) -> F:
        if isinstance(node, Num):
            return F(np.int64(node.value), False, node.value, node.value)
        if isinstance(node, Bool):
            return F(np.bool_(node.value))
        if isinstance(node, Name):
            if node.kind == "param":
                value = self.params[node.name]
                return F(np.int64(value), False, value, value)
            if node.kind == "step":
                return self.steps[node.name]
            return self.var(node.name, node.offset, node.type)
        if isinstance(node, Neg):
            v = self.eval(node.operand)
            return F(-v.val, v.bad, -v.hi, -v.lo)
        if isinstance(node, BinOp):
            return self.binop(node)
        return self.call(node)

    def _checked(self, val, bad, lo, hi, over_test) -> F:
        """A sum or product: if its interval proves it fits, done; otherwise test each row exactly."""
        if _fits(lo, hi):
            return F(val, bad, lo, hi)
        over = over_test()
        if np.ndim(over) == 0:
            over = np.full(self.n, bool(over))
        return F(val, _or(bad, over), max(lo, -LIMIT + 1), min(hi, LIMIT - 1))

    def binop(self, node: BinOp) -> F:
        a, b = self.eval(node.left), self.eval(node.right)
        bad = _or(a.bad, b.bad)
        op = node.op
        if op == "+":
            val = a.val + b.val
            return self._checked(val, bad, a.lo + b.lo, a.hi + b.hi, lambda: np.abs(val) >= LIMIT)
        if op == "-":
            val = a.val - b.val
            return self._checked(val, bad, a.lo - b.hi, a.hi - b.lo, lambda: np.abs(val) >= LIMIT)
        if op == "*":
            corners = (a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi)
            return self._checked(
                a.val * b.val,
                bad,
                min(corners),
                max(corners),
                lambda: mul_overflows(np.asarray(a.val, dtype=np.int64), np.asarray(b.val, dtype=np.int64)),
            )
        if op == "/":
            return self._divide(a, b, bad, self.rounding)
        return F(_COMPARE[op](a.val, b.val), bad)

    def _divide(self, a: F, b: F, bad, mode: str) -> F:
        if b.bad is False and (b.lo > 0 or b.hi < 0):  # no row has a zero divisor
            divisor, zero = b.val, False
        else:
            is_zero = b.val == 0
            divisor, zero = np.where(is_zero, 1, b.val), is_zero
        bad = _or(bad, zero)
        m = max(abs(a.lo), abs(a.hi))
        if b.lo < 0:
            return F(div_vec(a.val, divisor, mode), bad, -m, m)
        # the divisor is at least 1 where it counts: round |a| / d with one floor division, then put the sign back
        signed = a.lo < 0
        size = np.abs(a.val) if signed else a.val
        if mode == "down":
            q = size // divisor
        elif mode == "up":
            q = (size + (divisor - 1)) // divisor  # |a| + d − 1 < 2^63 as both are below 2^62
        elif np.ndim(divisor) == 0 and int(divisor) % 2 == 0:
            q = (size + int(divisor) // 2) // divisor  # half up: ⌊|a|/d + ½⌋
        elif 2 * m + b.hi < 2**63:
            q = (2 * size + divisor) // (2 * divisor)  # half up: ⌊(2|a| + d) / 2d⌋
        else:
            q, r = np.divmod(size, divisor)
            q = q + (2 * r >= divisor)
        if signed:
            return F(np.sign(a.val) * q, bad, -m, m)
        return F(q, bad, 0, m)

    def call(self, node: Call) -> F:
        fn, args = node.fn, node.args
        if fn == "if":
            c = self.eval(args[0])
            x, y = self.eval(args[1]), self.eval(args[2])
            val = np.where(c.val, x.val, y.val)
            bad = _or(c.bad, _select(c.val, x.bad, y.bad))
            if x.lo is None:
                return F(val, bad)
            return F(val, bad, min(x.lo, y.lo), max(x.hi, y.hi))
        if fn == "and":
            result = self.eval(args[0])
            for arg in args[1:]:
                b = self.eval(arg)
                # where a is computable and true, the answer is b's; where false, false
                result = F(result.val & b.val, _or(result.bad, _and(result.val, b.bad)))
            return result
        if fn == "or":
            result = self.eval(args[0])
            for arg in args[1:]:
                b = self.eval(arg)
                result = F(result.val | b.val, _or(result.bad, _and(~result.val, b.bad)))
            return result
        if fn == "not":
            v = self.eval(args[0])
            return F(~v.val, v.bad)
        if fn == "has":
            v = self.eval(args[0])
            return F(np.bool_(True) if v.bad is False else ~v.bad)
        if fn == "coalesce":
            x, d = self.eval(args[0]), self.eval(args[1])
            if x.bad is False:
                return x
            val = np.where(x.bad, d.val, x.val)
            lo = None if x.lo is None else min(x.lo, d.lo)
            hi = None if x.hi is None else max(x.hi, d.hi)
            return F(val, _and(x.bad, d.bad), lo, hi)
        if fn in ("min", "max"):
            vs = [self.eval(a) for a in args]
            bad = False
            reduce = np.minimum if fn == "min" else np.maximum
            pick = min if fn == "min" else max
            val = vs[0].val
            for v in vs[1:]:
                val = reduce(val, v.val)
            for v in vs:
                bad = _or(bad, v.bad)
            return F(val, bad, pick(v.lo for v in vs), pick(v.hi for v in vs))
        if fn == "abs":
            v = self.eval(args[0])
            if v.lo >= 0:
                return v
            m = max(abs(v.lo), abs(v.hi))
            return F(np.abs(v.val), v.bad, 0 if v.hi >= 0 else -v.hi, m)
        if fn in ("div_down", "div_up"):
            a, b = self.eval(args[0]), self.eval(args[1])
            return self._divide(a, b, _or(a.bad, b.bad), "down" if fn == "div_down" else "up")
        raise AssertionError(fn)

    def full(self, v: F, dtype=np.int64):
        """Broadcast a value (possibly a scalar) and its mask to arrays of length n."""
        bad = np.zeros(self.n, dtype=bool) if v.bad is False else np.broadcast_to(v.bad, (self.n,))
        return np.broadcast_to(np.asarray(v.val, dtype=dtype), (self.n,)), bad
