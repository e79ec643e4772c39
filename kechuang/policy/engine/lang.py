"""A small, safe expression language for policy conditions and amount formulas.

Text is tokenised and parsed into an AST (never `eval`-ed). Values are integers (fen, counts, basis points,
years) or booleans. Grammar, loosest binding first::

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | cmp
    cmp     := sum (("<"|"<="|">"|">="|"=="|"!=") sum)?
    sum     := term (("+"|"-") term)*
    term    := unary (("*"|"/") unary)*
    unary   := "-" unary | atom
    atom    := INT | "true" | "false" | NAME ["[" "-" INT "]"] | NAME "(" args ")" | "(" expr ")"

`NAME[-1]` is the value of an indicator one period earlier. `/` divides with the policy's declared rounding;
`div_down(a, b)` and `div_up(a, b)` round explicitly. Functions: min, max, if, and, or, not, abs, has,
coalesce, div_down, div_up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class DefinitionReason(StrEnum):
    """What is wrong with a policy text, as a stable code (the message says it in words)."""

    INVALID = "invalid"
    UNKNOWN_NAME = "unknown_name"
    WRONG_TYPE = "wrong_type"
    PERIODS_OVERLAP = "periods_overlap"
    PERIOD_GAP = "period_gap"
    ROUNDING = "rounding"
    NO_DOCUMENT = "no_document"


class DefinitionError(ValueError):
    """A policy text that cannot be accepted: reported when the policy is defined, never during a batch."""

    def __init__(self, message: str, reason: DefinitionReason = DefinitionReason.INVALID):
        super().__init__(message)
        self.reason = reason


TOKEN_RE = re.compile(
    r"\s*(?:(?P<int>\d[\d_]*)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op><=|>=|==|!=|[-+*/()<>,\[\]]))"
)
COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")
FUNCTIONS = {
    # name: (min args, max args)
    "min": (2, 16),
    "max": (2, 16),
    "if": (3, 3),
    "and": (2, 16),
    "or": (2, 16),
    "not": (1, 1),
    "abs": (1, 1),
    "has": (1, 1),
    "coalesce": (2, 2),
    "div_down": (2, 2),
    "div_up": (2, 2),
}
MAX_LOOKBACK = 5


@dataclass(frozen=True)
class Token:
    kind: str  # int | name | op | end
    text: str
    pos: int


def tokenize(text: str) -> list[Token]:
    tokens, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        match = TOKEN_RE.match(text, pos)
        if not match or match.end() == pos:
            raise DefinitionError(f"无法识别的字符（位置 {pos + 1}）：{text[pos : pos + 10]!r}")
        kind = match.lastgroup
        tokens.append(Token(kind, match.group(kind), match.start(kind)))
        pos = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


# ---- AST -----------------------------------------------------------------------------------------------------


@dataclass(eq=False)
class Node:
    text: str = field(default="", kw_only=True)
    type: str = field(default="", kw_only=True)  # "int" | "bool", filled by the checker


@dataclass(eq=False)
class Num(Node):
    value: int


@dataclass(eq=False)
class Bool(Node):
    value: bool


@dataclass(eq=False)
class Name(Node):
    """A variable (indicator, flag), a parameter or an earlier formula step; resolved by the checker."""

    name: str
    offset: int = 0
    kind: str = ""  # "var" | "param" | "step"


@dataclass(eq=False)
class Call(Node):
    fn: str
    args: list


@dataclass(eq=False)
class BinOp(Node):
    op: str
    left: Node
    right: Node


@dataclass(eq=False)
class Neg(Node):
    operand: Node


class Parser:
    def __init__(self, text: str):
        self.source = text
        self.tokens = tokenize(text)
        self.i = 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self, text: str | None = None, kind: str | None = None) -> Token:
        tok = self.tokens[self.i]
        if (text is not None and tok.text != text) or (kind is not None and tok.kind != kind):
            wanted = text or kind
            found = tok.text or "结尾"
            raise DefinitionError(
                f"表达式 {self.source!r} 第 {tok.pos + 1} 个字符处应为 {wanted!r}，实为 {found!r}"
            )
        self.i += 1
        return tok

    def span(self, start: Token) -> str:
        end = self.tokens[self.i - 1]
        return self.source[start.pos : end.pos + len(end.text)]

    def parse(self) -> Node:
        node = self.or_()
        if self.peek().kind != "end":
            raise DefinitionError(f"表达式 {self.source!r} 第 {self.peek().pos + 1} 个字符处有多余内容")
        return node

    def or_(self):
        start = self.peek()
        node = self.and_()
        while self.peek().text == "or":
            self.take()
            node = Call("or", [node, self.and_()])
            node.text = self.span(start)
        return node

    def and_(self):
        start = self.peek()
        node = self.not_()
        while self.peek().text == "and":
            self.take()
            node = Call("and", [node, self.not_()])
            node.text = self.span(start)
        return node

    def not_(self):
        start = self.peek()
        if start.text == "not" and self.tokens[self.i + 1].text != "(":
            self.take()
            node = Call("not", [self.not_()])
            node.text = self.span(start)
            return node
        return self.cmp()

    def cmp(self):
        start = self.peek()
        node = self.sum()
        if self.peek().text in COMPARISONS:
            op = self.take().text
            node = BinOp(op, node, self.sum())
            node.text = self.span(start)
        return node

    def sum(self):
        start = self.peek()
        node = self.term()
        while self.peek().text in ("+", "-"):
            op = self.take().text
            node = BinOp(op, node, self.term())
            node.text = self.span(start)
        return node

    def term(self):
        start = self.peek()
        node = self.unary()
        while self.peek().text in ("*", "/"):
            op = self.take().text
            node = BinOp(op, node, self.unary())
            node.text = self.span(start)
        return node

    def unary(self):
        start = self.peek()
        if start.text == "-":
            self.take()
            node = Neg(self.unary())
            node.text = self.span(start)
            return node
        return self.atom()

    def atom(self):
        tok = self.peek()
        if tok.kind == "int":
            self.take()
            return Num(int(tok.text.replace("_", "")), text=tok.text)
        if tok.text == "(":
            self.take()
            node = self.or_()
            self.take(")")
            return node
        if tok.kind == "name":
            self.take()
            if tok.text in ("true", "false"):
                return Bool(tok.text == "true", text=tok.text)
            if self.peek().text == "(":
                if tok.text not in FUNCTIONS:
                    raise DefinitionError(f"未知函数：{tok.text}")
                self.take("(")
                args = [self.or_()]
                while self.peek().text == ",":
                    self.take()
                    args.append(self.or_())
                self.take(")")
                low, high = FUNCTIONS[tok.text]
                if not low <= len(args) <= high:
                    raise DefinitionError(f"函数 {tok.text} 的参数个数应为 {low}–{high}，实为 {len(args)}")
                node = Call(tok.text, args)
                node.text = self.span(tok)
                return node
            if tok.text in FUNCTIONS or tok.text in ("and", "or", "not"):
                raise DefinitionError(f"{tok.text} 是函数或运算符，不能作为名称使用")
            offset = 0
            if self.peek().text == "[":
                self.take("[")
                self.take("-")
                offset = -int(self.take(kind="int").text)
                self.take("]")
                if not -MAX_LOOKBACK <= offset <= -1:
                    raise DefinitionError(f"{tok.text}[{offset}]：只能回溯 1–{MAX_LOOKBACK} 期")
            node = Name(tok.text, offset)
            node.text = self.span(tok)
            return node
        raise DefinitionError(
            f"表达式 {self.source!r} 第 {tok.pos + 1} 个字符处不应出现 {tok.text or '结尾'!r}"
        )


def parse(text) -> Node:
    if isinstance(text, bool):
        return Bool(text, text=str(text).lower())
    if isinstance(text, int):
        return Num(text, text=str(text))
    if not isinstance(text, str) or not text.strip():
        raise DefinitionError("表达式不能为空")
    return Parser(text.strip()).parse()


def check(node: Node, scope: dict[str, str]) -> str:
    """Resolve names against `scope` {name: "var:int" | "var:bool" | "param:int" | "step:int"} and type the tree.

    Raises DefinitionError for unknown names, offsets on non-variables and type errors.
    """
    if isinstance(node, Num):
        node.type = "int"
    elif isinstance(node, Bool):
        node.type = "bool"
    elif isinstance(node, Name):
        if node.name not in scope:
            raise DefinitionError(f"未知的指标、参数或步骤：{node.name}", DefinitionReason.UNKNOWN_NAME)
        kind, typ = scope[node.name].split(":")
        if node.offset and kind != "var":
            raise DefinitionError(f"{node.name} 不是指标，不能使用 [{node.offset}]")
        node.kind, node.type = kind, typ
    elif isinstance(node, Neg):
        _expect(node.operand, scope, "int", node)
        node.type = "int"
    elif isinstance(node, BinOp):
        if node.op in ("+", "-", "*", "/"):
            _expect(node.left, scope, "int", node)
            _expect(node.right, scope, "int", node)
            node.type = "int"
        elif node.op in ("==", "!="):
            left, right = check(node.left, scope), check(node.right, scope)
            if left != right:
                raise DefinitionError(f"{node.text}：比较的两边类型不同")
            node.type = "bool"
        else:
            _expect(node.left, scope, "int", node)
            _expect(node.right, scope, "int", node)
            node.type = "bool"
    elif isinstance(node, Call):
        fn, args = node.fn, node.args
        if fn in ("min", "max", "abs", "div_down", "div_up"):
            for arg in args:
                _expect(arg, scope, "int", node)
            node.type = "int"
        elif fn in ("and", "or", "not"):
            for arg in args:
                _expect(arg, scope, "bool", node)
            node.type = "bool"
        elif fn == "if":
            _expect(args[0], scope, "bool", node)
            a, b = check(args[1], scope), check(args[2], scope)
            if a != b:
                raise DefinitionError(f"{node.text}：if 的两个分支类型不同")
            node.type = a
        elif fn == "has":
            if not isinstance(args[0], Name):
                raise DefinitionError(f"{node.text}：has() 的参数必须是指标名称")
            check(args[0], scope)
            if args[0].kind != "var":
                raise DefinitionError(f"{node.text}：has() 的参数必须是指标名称")
            node.type = "bool"
        elif fn == "coalesce":
            a, b = check(args[0], scope), check(args[1], scope)
            if a != b:
                raise DefinitionError(f"{node.text}：coalesce 的两个参数类型不同")
            node.type = a
    else:  # pragma: no cover - the parser builds only the nodes above
        raise DefinitionError(f"unknown node {node!r}")
    return node.type


def _expect(node, scope, typ, parent):
    got = check(node, scope)
    if got != typ:
        wanted = "数值" if typ == "int" else "条件（真/假）"
        raise DefinitionError(f"{parent.text or node.text}：{node.text} 应为{wanted}")


def names_in(node: Node):
    """Every Name node in the tree, depth first."""
    if isinstance(node, Name):
        yield node
    elif isinstance(node, BinOp):
        yield from names_in(node.left)
        yield from names_in(node.right)
    elif isinstance(node, Neg):
        yield from names_in(node.operand)
    elif isinstance(node, Call):
        for arg in node.args:
            yield from names_in(arg)


def divisions_in(node: Node):
    if isinstance(node, BinOp):
        if node.op == "/":
            yield node
        yield from divisions_in(node.left)
        yield from divisions_in(node.right)
    elif isinstance(node, Neg):
        yield from divisions_in(node.operand)
    elif isinstance(node, Call):
        if node.fn in ("div_down", "div_up"):
            yield node
        for arg in node.args:
            yield from divisions_in(arg)
