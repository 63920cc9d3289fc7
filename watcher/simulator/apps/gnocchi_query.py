"""Gnocchi's resource search filters: the JSON query (``{"=": {"attr": value}}`` with
``and``/``or``/``not``) and the text ``filter`` form (``host='cn1' and not display_name like
'web%'``), which is parsed into the JSON one so both are evaluated by ``matches``."""

import re
from collections.abc import Callable


def matches(query: dict, doc: dict) -> bool:
    """Gnocchi's JSON search filter (``{"=": {"attr": value}}``, ``and``/``or``/``not``...)."""
    if not isinstance(query, dict) or len(query) != 1:
        raise ValueError(f"Invalid filter: {query}")
    op, arg = next(iter(query.items()))
    op = _OP_ALIASES.get(op, op)
    if op in ("and", "or"):
        if not isinstance(arg, list):
            raise ValueError(f"Invalid filter: {query}")
        results = (matches(sub, doc) for sub in arg)
        return all(results) if op == "and" else any(results)
    if op == "not":
        return not matches(arg, doc)
    if op not in _COMPARE or not isinstance(arg, dict) or len(arg) != 1:
        raise ValueError(f"Invalid filter: {query}")
    attribute, value = next(iter(arg.items()))
    if attribute not in doc:
        raise ValueError(f"Invalid filter: unknown attribute {attribute}")
    try:
        return _COMPARE[op](doc[attribute], value)
    except TypeError:
        return False


def _like(actual, pattern) -> bool:
    regex = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    return actual is not None and re.fullmatch(regex, str(actual), re.DOTALL) is not None


_OP_ALIASES = {"==": "=", "eq": "=", "lt": "<", "gt": ">", "le": "<=", "≤": "<=", "ge": ">=",
               "≥": ">=", "ne": "!=", "≠": "!=", "∧": "and", "∨": "or", "¬": "not"}
_COMPARE: dict[str, Callable] = {
    "=": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
    ">": lambda a, b: a > b, "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b,
    "in": lambda a, b: a in b, "like": _like,
}


_FILTER_TOKEN = re.compile(r"""\s*(?:
    (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
  | (?P<op>==|!=|<=|>=|[=<>≠≤≥()\[\],])
  | (?P<word>[^\s=!<>≠≤≥()\[\],'"]+))""", re.VERBOSE)
_WORD_OPS = {"eq", "ne", "lt", "gt", "le", "ge", "like", "in"}


def parse_filter(text: str) -> dict:
    """Gnocchi's text filter (``filter=`` on search, e.g. ``host='cn1' and not
    display_name like 'web%'``) as the JSON query ``matches`` evaluates."""
    tokens, pos = [], 0
    text = text.strip()
    while pos < len(text):
        found = _FILTER_TOKEN.match(text, pos)
        if found is None or found.end() == pos:
            raise ValueError(f"Invalid filter: {text}")
        tokens.append((found.lastgroup, found.group(found.lastgroup)))
        pos = found.end()
    parser = _FilterParser(tokens)
    query = parser.disjunction()
    if parser.pos != len(tokens):
        raise ValueError(f"Invalid filter: {text}")
    return query


class _FilterParser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens, self.pos = tokens, 0

    def peek(self) -> str | None:
        return self.tokens[self.pos][1] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        if self.pos >= len(self.tokens):
            raise ValueError("Invalid filter: unexpected end")
        self.pos += 1
        return self.tokens[self.pos - 1]

    def disjunction(self) -> dict:
        parts = [self.conjunction()]
        while (self.peek() or "").lower() == "or":
            self.take()
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else {"or": parts}

    def conjunction(self) -> dict:
        parts = [self.negation()]
        while (self.peek() or "").lower() == "and":
            self.take()
            parts.append(self.negation())
        return parts[0] if len(parts) == 1 else {"and": parts}

    def negation(self) -> dict:
        if (self.peek() or "").lower() == "not":
            self.take()
            return {"not": self.negation()}
        if self.peek() == "(":
            self.take()
            inner = self.disjunction()
            if self.take()[1] != ")":
                raise ValueError("Invalid filter: missing )")
            return inner
        kind, attribute = self.take()
        if kind != "word":
            raise ValueError(f"Invalid filter: expected an attribute, got {attribute}")
        kind, op = self.take()
        if kind != "op" and op.lower() not in _WORD_OPS:
            raise ValueError(f"Invalid filter: unknown operator {op}")
        op = op.lower()
        value = self.list_value() if op == "in" else self.value()
        return {op: {attribute: value}}

    def list_value(self) -> list:
        opening = self.take()[1]
        if opening not in ("[", "("):
            raise ValueError("Invalid filter: 'in' needs a list")
        values = []
        while self.peek() not in ("]", ")"):
            values.append(self.value())
            if self.peek() == ",":
                self.take()
        self.take()
        return values

    def value(self):
        kind, text = self.take()
        if kind == "string":
            return re.sub(r"\\(.)", r"\1", text[1:-1])
        if kind != "word":
            raise ValueError(f"Invalid filter: unexpected {text}")
        constants = {"null": None, "none": None, "true": True, "false": False}
        if text.lower() in constants:
            return constants[text.lower()]
        try:
            return float(text) if any(c in text for c in ".eE") else int(text)
        except ValueError:
            return text
