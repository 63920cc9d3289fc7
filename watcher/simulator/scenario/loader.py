"""Read a scenario (YAML file, YAML text or dict), validate it and report every problem.

A problem names the field path (``compute.servers[12].flavor``) and, when the scenario came
from YAML, the line it is on, so a broken file can be fixed without guessing.
"""

import os
from collections.abc import Callable, Iterable

import jsonschema
import yaml

from watcher.simulator.scenario import schema as schema_mod

Path = tuple


class ScenarioError(ValueError):
    """A scenario that cannot be loaded; ``problems`` holds one line per fault."""

    def __init__(self, problems: list[str], source: str = "scenario") -> None:
        self.problems = problems
        self.source = source
        shown = problems[:20]
        more = len(problems) - len(shown)
        text = f"{source} is invalid:\n  " + "\n  ".join(shown)
        if more:
            text += f"\n  ... and {more} more"
        super().__init__(text)


Checker = Callable[[dict, "Scenario"], Iterable[tuple[Path, str]]]
_CHECKERS: list[Checker] = []


def register_checker(checker: Checker) -> Checker:
    """Add a cross-reference check; it yields ``(path, message)`` for each fault found."""
    _CHECKERS.append(checker)
    return checker


def format_path(path: Iterable) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


class Scenario:
    """A validated scenario document plus where it came from."""

    def __init__(self, doc: dict, source: str = "scenario", base_dir: str | None = None,
                 node: yaml.Node | None = None) -> None:
        self.doc = doc
        self.source = source
        self.base_dir = base_dir or os.getcwd()
        self._node = node

    def resolve(self, relative: str) -> str:
        """Trace files are named relative to the scenario file."""
        return relative if os.path.isabs(relative) else os.path.join(self.base_dir, relative)

    def line_of(self, path: Path) -> int | None:
        """1-based YAML line of the deepest node along ``path`` (None for dict input)."""
        node = self._node
        line = None
        for part in path:
            if node is None:
                break
            line = node.start_mark.line + 1
            node = _child(node, part)
        if node is not None:
            line = node.start_mark.line + 1
        return line

    def describe(self, path: Path, message: str) -> str:
        text = f"{format_path(path)}: {message}"
        line = self.line_of(path)
        if line is not None:
            text += f" ({self.source}, line {line})"
        return text


def _child(node: yaml.Node, part) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                return value
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
        if 0 <= part < len(node.value):
            return node.value[part]
    return None


def load(source: str | dict, validate: bool = True) -> Scenario:
    """Load a scenario from a path, YAML text or an already-built dict."""
    if isinstance(source, dict):
        scenario = Scenario(source, source="scenario")
    else:
        if "\n" not in source and os.path.exists(source):
            with open(source, encoding="utf-8") as handle:
                text = handle.read()
            name, base_dir = source, os.path.dirname(os.path.abspath(source))
        elif "\n" in source or ":" in source:
            text, name, base_dir = source, "scenario", None
        else:
            raise ScenarioError([f"no such scenario file: {source}"], source)
        scenario = _parse_yaml(text, name, base_dir)
    if validate:
        check(scenario)
    return scenario


def _parse_yaml(text: str, name: str, base_dir: str | None) -> Scenario:
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        doc = loader.construct_document(node) if node is not None else {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise ScenarioError([f"not valid YAML: {getattr(err, 'problem', err)}{where}"],
                            name) from err
    finally:
        loader.dispose()
    if not isinstance(doc, dict):
        raise ScenarioError(["(top level): a scenario is a mapping of sections"], name)
    return Scenario(doc, source=name, base_dir=base_dir, node=node)


def check(scenario: Scenario) -> None:
    """Schema first; cross references only once the shapes are right."""
    validator = jsonschema.Draft202012Validator(schema_mod.scenario_schema())
    problems = []
    for error in sorted(validator.iter_errors(scenario.doc), key=lambda e: list(e.path)):
        problems.append(scenario.describe(tuple(error.absolute_path), _schema_message(error)))
    if problems:
        raise ScenarioError(problems, scenario.source)
    for checker in _CHECKERS:
        for path, message in checker(scenario.doc, scenario):
            problems.append(scenario.describe(path, message))
    if problems:
        raise ScenarioError(problems, scenario.source)


def _schema_message(error: jsonschema.ValidationError) -> str:
    if error.validator == "additionalProperties":
        return error.message.replace("Additional properties are not allowed", "unknown field")
    if error.validator == "oneOf" and error.context:
        best = jsonschema.exceptions.best_match(error.context)
        return best.message
    return error.message
