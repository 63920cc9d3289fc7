"""Option types that reject bad values when the option is read, with a message that names
the problem, instead of letting a service fail later in the middle of an audit."""

from oslo_config import types


class Microversion(types.String):
    """A ``MAJOR.MINOR`` API microversion, optionally with a lowest accepted version."""

    def __init__(self, minimum: str | None = None):
        super().__init__(type_name="microversion value")
        self.minimum = parse_microversion(minimum) if minimum else None
        self._minimum_text = minimum

    def __call__(self, value):
        value = super().__call__(value)
        parsed = parse_microversion(value)
        if self.minimum is not None and parsed < self.minimum:
            raise ValueError(
                f"microversion {value} is lower than the minimum supported {self._minimum_text}"
            )
        return value

    def __repr__(self) -> str:
        return f"Microversion(minimum={self._minimum_text!r})"

    def __eq__(self, other) -> bool:
        return type(self) is type(other) and self.minimum == other.minimum

    __hash__ = None


def parse_microversion(value: str) -> tuple[int, int]:
    """``"2.56"`` -> ``(2, 56)``; anything else raises ValueError."""
    major, sep, minor = str(value).strip().partition(".")
    if not sep or not major.isdigit() or not minor.isdigit():
        raise ValueError(f"{value!r} is not a microversion of the form MAJOR.MINOR")
    return int(major), int(minor)


class UniqueValueDict(types.Dict):
    """A dict whose values must all differ (planner weights decide an order, so ties are
    ambiguous)."""

    def __call__(self, value):
        result = super().__call__(value)
        seen: dict = {}
        for key, item in result.items():
            if item in seen:
                raise ValueError(
                    f"{key!r} and {seen[item]!r} have the same value {item!r}; values must be "
                    "unique"
                )
            seen[item] = key
        return result


class DatasourceList(types.List):
    """Ordered datasource names: each known, none repeated, and never both ``prometheus``
    and ``aetos`` (they read the same metrics through different endpoints)."""

    def __call__(self, value):
        result = super().__call__(value)
        if len(set(result)) != len(result):
            raise ValueError(f"datasources are listed more than once in {result}")
        if "prometheus" in result and "aetos" in result:
            raise ValueError("the prometheus and aetos datasources cannot be enabled together")
        return result
