"""A PromQL parser: the part of the language Watcher's Prometheus datasource and a human at
the simulator's Prometheus port use (selectors with = != =~ !~ matchers, range selectors,
subqueries, offset, function calls, aggregations with by/without, binary operators with
on/ignoring and group_left/group_right, ``bool`` comparisons). ``parse`` returns the AST that
``promql_eval`` evaluates; unsupported syntax (``@``) is a ``ParseError``.
"""

import math
import re
from dataclasses import dataclass, field


class ParseError(ValueError):
    """A query Prometheus would answer with ``bad_data``."""


@dataclass(frozen=True)
class Matcher:
    name: str
    op: str  # one of = != =~ !~
    value: str
    regex: re.Pattern | None = field(default=None, compare=False)

    @classmethod
    def make(cls, name: str, op: str, value: str) -> "Matcher":
        regex = None
        if op in ("=~", "!~"):
            try:
                # Prometheus anchors label regexes at both ends.
                regex = re.compile(f"^(?:{value})$", re.DOTALL)
            except re.error as err:
                raise ParseError(f"invalid regular expression in matcher {name}: {err}") from err
        return cls(name, op, value, regex)

    def matches(self, value: str) -> bool:
        if self.op == "=":
            return value == self.value
        if self.op == "!=":
            return value != self.value
        found = self.regex.match(value) is not None
        return found if self.op == "=~" else not found


@dataclass
class Number:
    value: float


@dataclass
class String:
    value: str


@dataclass
class VectorSelector:
    name: str | None
    matchers: list[Matcher]
    offset: float = 0.0


@dataclass
class MatrixSelector:
    vector: VectorSelector
    range: float


@dataclass
class Subquery:
    """``expr[range:step]``: ``expr`` evaluated at every multiple of ``step`` in the range."""
    expr: object
    range: float
    step: float
    offset: float = 0.0


@dataclass
class Call:
    func: str
    args: list


@dataclass
class Aggregate:
    op: str
    expr: object
    param: object | None
    grouping: list[str]
    without: bool


@dataclass
class Binary:
    op: str
    lhs: object
    rhs: object
    return_bool: bool = False
    on: bool = False
    labels: list[str] = field(default_factory=list)  # on(...) or ignoring(...)
    card: str = "one-to-one"  # or many-to-one (group_left), one-to-many (group_right)
    include: list[str] = field(default_factory=list)


@dataclass
class Unary:
    op: str
    expr: object


AGGREGATIONS = {"sum", "avg", "min", "max", "count", "stddev", "stdvar", "group", "topk",
                "bottomk", "quantile"}
_PARAM_AGGREGATIONS = {"topk", "bottomk", "quantile"}
COMPARISONS = {"==", "!=", ">", "<", ">=", "<="}
SET_OPS = {"and", "or", "unless"}
# Binding power of each binary operator, low to high; ^ is the only right-associative one.
_PRECEDENCE = {"or": 1, "and": 2, "unless": 2, "==": 3, "!=": 3, ">": 3, "<": 3, ">=": 3,
               "<=": 3, "+": 4, "-": 4, "*": 5, "/": 5, "%": 5, "atan2": 5, "^": 6}
_UNARY_PRECEDENCE = 5.5
# ``expr[5m:]`` steps at Prometheus' default global evaluation interval.
DEFAULT_SUBQUERY_STEP = 60.0

_DURATION_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800,
                   "y": 31536000}
_DURATION = re.compile(r"(\d+)(ms|s|m|h|d|w|y)")

_TOKEN = re.compile(r"""
    (?P<space>\s+|\#[^\n]*)
  | (?P<duration>(?:\d+(?:ms|s|m|h|d|w|y))+(?![\w.]))
  | (?P<number>0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<ident>[a-zA-Z_:][a-zA-Z0-9_:]*)
  | (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)
  | (?P<op>=~|!~|==|!=|<=|>=|[-+*/%^<>=(){}\[\],@:])
""", re.VERBOSE)


def parse_duration(text: str) -> float:
    """``5m``, ``300s``, ``1h30m`` in seconds; a plain number counts as seconds."""
    text = text.strip()
    try:
        return float(text)
    except ValueError:
        pass
    pos, total = 0, 0.0
    for found in _DURATION.finditer(text):
        if found.start() != pos:
            break
        total += int(found.group(1)) * _DURATION_UNITS[found.group(2)]
        pos = found.end()
    if pos != len(text) or not text:
        raise ParseError(f'bad duration "{text}"')
    return total


def _unquote(text: str) -> str:
    if text[0] == "`":
        return text[1:-1]
    body = text[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1),
                                                                         m.group(1)), body)


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens, pos = [], 0
    while pos < len(text):
        found = _TOKEN.match(text, pos)
        if found is None:
            raise ParseError(f"1:{pos + 1}: unexpected character: {text[pos]!r}")
        kind = found.lastgroup
        if kind != "space":
            tokens.append((kind, found.group(), pos))
        pos = found.end()
    tokens.append(("eof", "", pos))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.pos = 0

    def peek(self, offset: int = 0) -> tuple[str, str, int]:
        return self.tokens[min(self.pos + offset, len(self.tokens) - 1)]

    def next(self) -> tuple[str, str, int]:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def error(self, message: str) -> ParseError:
        return ParseError(f"1:{self.peek()[2] + 1}: parse error: {message}")

    def expect(self, value: str) -> None:
        token = self.next()
        if token[1] != value:
            self.pos -= 1
            shown = token[1] or "end of input"
            raise self.error(f'unexpected "{shown}", expected "{value}"')

    def accept(self, value: str) -> bool:
        if self.peek()[1] == value and self.peek()[0] in ("op", "ident"):
            self.pos += 1
            return True
        return False

    def parse(self) -> object:
        if self.peek()[0] == "eof":
            raise ParseError("no expression found in input")
        node = self.expression(0)
        if self.peek()[0] != "eof":
            raise self.error(f'unexpected "{self.peek()[1]}"')
        return node

    def binary_op(self) -> str | None:
        kind, value, _ = self.peek()
        if kind == "op" and value in _PRECEDENCE:
            return value
        if kind == "ident" and value.lower() in ("and", "or", "unless", "atan2"):
            return value.lower()
        return None

    def expression(self, min_prec: float) -> object:
        lhs = self.unary()
        while True:
            op = self.binary_op()
            if op is None or _PRECEDENCE[op] < min_prec:
                return lhs
            self.next()
            node = Binary(op, lhs, None)
            self.modifiers(node)
            # Left-associative operators bind the right side one notch tighter.
            node.rhs = self.expression(_PRECEDENCE[op] + (0 if op == "^" else 0.1))
            lhs = node

    def modifiers(self, node: Binary) -> None:
        if self.accept("bool"):
            if node.op not in COMPARISONS:
                raise self.error("bool modifier can only be used on comparison operators")
            node.return_bool = True
        word = self.peek()[1].lower()
        if word in ("on", "ignoring") and self.peek()[0] == "ident":
            self.next()
            node.on = word == "on"
            node.labels = self.label_list()
            word = self.peek()[1].lower()
            if word in ("group_left", "group_right") and self.peek()[0] == "ident":
                self.next()
                node.card = "many-to-one" if word == "group_left" else "one-to-many"
                if self.peek()[1] == "(":
                    node.include = self.label_list()
        if node.op in SET_OPS and node.card != "one-to-one":
            raise self.error(f"no grouping allowed for \"{node.op}\" operation")

    def label_list(self) -> list[str]:
        self.expect("(")
        labels = []
        while self.peek()[1] != ")":
            kind, value, _ = self.next()
            if kind != "ident":
                raise self.error(f'unexpected "{value}" in grouping opts, expected label')
            labels.append(value)
            if not self.accept(","):
                break
        self.expect(")")
        return labels

    def unary(self) -> object:
        kind, value, _ = self.peek()
        if kind == "op" and value in ("-", "+"):
            self.next()
            inner = self.expression(_UNARY_PRECEDENCE)
            if value == "+":
                return inner
            if isinstance(inner, Number):
                return Number(-inner.value)
            return Unary("-", inner)
        return self.postfix(self.primary())

    def postfix(self, node: object) -> object:
        while True:
            value = self.peek()[1]
            if value == "[" and self.peek()[0] == "op":
                self.next()
                window = parse_duration(self.next()[1])
                # Names may hold colons, so ":1m" comes as one identifier token.
                if self.peek()[1].startswith(":"):
                    step_text = self.next()[1][1:]
                    if not step_text and self.peek()[1] != "]":
                        step_text = self.next()[1]
                    step = parse_duration(step_text) if step_text else DEFAULT_SUBQUERY_STEP
                    if step <= 0:
                        raise self.error("subquery step must be positive")
                    self.expect("]")
                    node = Subquery(node, window, step)
                    continue
                if not isinstance(node, VectorSelector):
                    raise self.error("ranges only allowed for vector selectors")
                self.expect("]")
                node = MatrixSelector(node, window)
            elif value.lower() == "offset" and self.peek()[0] == "ident":
                self.next()
                negative = self.accept("-")
                offset = parse_duration(self.next()[1]) * (-1 if negative else 1)
                target = node.vector if isinstance(node, MatrixSelector) else node
                if not isinstance(target, (VectorSelector, Subquery)):
                    raise self.error("offset modifier must be preceded by a selector")
                target.offset = offset
            elif value == "@" and self.peek()[0] == "op":
                raise self.error("the @ modifier is not supported by the simulator")
            else:
                return node

    def primary(self) -> object:
        kind, value, at = self.next()
        if kind == "number":
            return Number(float(int(value, 16)) if value.lower().startswith("0x")
                          else float(value))
        if kind == "duration":
            return Number(parse_duration(value))
        if kind == "string":
            return String(_unquote(value))
        if kind == "op" and value == "(":
            inner = self.expression(0)
            self.expect(")")
            return inner
        if kind == "op" and value == "{":
            self.pos -= 1
            return self.selector(None)
        if kind == "ident":
            lower = value.lower()
            if lower in ("inf", "nan") and self.peek()[1] != "{":
                return Number(math.inf if lower == "inf" else math.nan)
            if lower in AGGREGATIONS and self.peek()[1] in ("(", "by", "without"):
                return self.aggregation(lower)
            if self.peek()[1] == "(":
                return self.call(value)
            return self.selector(value)
        raise ParseError(f'1:{at + 1}: parse error: unexpected "{value or "end of input"}"')

    def selector(self, name: str | None) -> VectorSelector:
        matchers: list[Matcher] = []
        if self.accept("{"):
            while self.peek()[1] != "}":
                kind, label, _ = self.next()
                if kind != "ident":
                    raise self.error(f'unexpected "{label}" in label matching, expected label')
                op = self.next()[1]
                if op not in ("=", "!=", "=~", "!~"):
                    raise self.error(f'unexpected "{op}" in label matching, expected '
                                     "label matching operator")
                kind, text, _ = self.next()
                if kind != "string":
                    raise self.error(f'unexpected "{text}" in label matching, expected string')
                matchers.append(Matcher.make(label, op, _unquote(text)))
                if not self.accept(","):
                    break
            self.expect("}")
        if name is not None:
            if any(m.name == "__name__" for m in matchers):
                raise self.error("metric name must not be set twice")
            matchers.insert(0, Matcher.make("__name__", "=", name))
        if not any(not m.matches("") for m in matchers):
            raise self.error("vector selector must contain at least one non-empty matcher")
        metric = next((m.value for m in matchers if m.name == "__name__" and m.op == "="), None)
        return VectorSelector(metric, matchers)

    def call(self, name: str) -> Call:
        self.expect("(")
        args = []
        while self.peek()[1] != ")":
            args.append(self.expression(0))
            if not self.accept(","):
                break
        self.expect(")")
        return Call(name, args)

    def aggregation(self, op: str) -> Aggregate:
        grouping, without = [], False
        word = self.peek()[1].lower()
        if word in ("by", "without"):
            self.next()
            without = word == "without"
            grouping = self.label_list()
        self.expect("(")
        param = None
        if op in _PARAM_AGGREGATIONS:
            param = self.expression(0)
            self.expect(",")
        expr = self.expression(0)
        self.expect(")")
        word = self.peek()[1].lower()
        if word in ("by", "without") and self.peek()[0] == "ident":
            self.next()
            without = word == "without"
            grouping = self.label_list()
        return Aggregate(op, expr, param, grouping, without)


def parse(text: str) -> object:
    """Parse one PromQL expression; raises ``ParseError`` with Prometheus' wording."""
    return _Parser(text).parse()
