"""Reading what the command line and the proxy config linter are given: bounded, and safe to quote.

A header dict or a LiteLLM proxy config is a few kilobytes; a file of more than ``MAX_BYTES`` is
refused before it is parsed, as is a YAML file nested deeper than ``MAX_DEPTH`` or whose aliases
expand it to more than ``MAX_NODES`` nodes (a "billion laughs" file of 29 KB expands to
billions). An error never quotes the text read: a YAML error says the line, the column and
the problem, not the line itself, which may hold a key.
"""

from __future__ import annotations

import dataclasses
import os
import re
import sys
from pathlib import Path
from typing import Any

from helicone_headers._exceptions import HeliconeHeadersError

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NODES",
    "ConfigFile",
    "read_config",
    "read_text",
    "yaml_module",
]

MAX_BYTES = 1 << 20
"""The most bytes read from one file or from stdin: 1 MiB."""
MAX_DEPTH = 100
"""The deepest nesting of a YAML config read."""
MAX_NODES = 100_000
"""The most nodes of a YAML config read, counting each alias as the nodes it stands for."""

_YAML_MISSING = (
    "writing and reading YAML needs PyYAML: install the yaml extra (pip install -e '.[yaml]' in "
    "a checkout of helicone-headers) or pyyaml, or use the dict and write it yourself"
)
# A lone surrogate: what a JSON "\ud800" or YAML "\ud800" escape gives, and no header can carry.
_SURROGATE = re.compile("[\ud800-\udfff]")
# A quoted fragment of a PyYAML problem ("found undefined alias 'x'"): shown only when it is one
# character or a token kind ('<scalar>'), never when it is text from the file.
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_SHOWN_QUOTE = re.compile(r"(?s)[\"'](?:.|\\.|\\x[0-9a-f]{2}|\\u[0-9a-f]{4}|<[a-z ]+>)[\"']")


def yaml_module() -> Any:
    """PyYAML, or an error that names the extra to install."""
    try:
        import yaml
    except ImportError:
        raise HeliconeHeadersError(_YAML_MISSING) from None
    return yaml


def read_text(path: str | os.PathLike[str], what: str) -> str:
    """The UTF-8 text of *path* (``-`` for stdin), at most ``MAX_BYTES`` of it.

    Raises:
        HeliconeHeadersError: the file cannot be read, is larger, or is not UTF-8; the message
            starts ``cannot read <what> from <path>``.
    """
    name = os.fspath(path)
    start = f"cannot read {what} from {name!r}"
    try:
        if name == "-":
            buffer = getattr(sys.stdin, "buffer", None)
            data: bytes = (
                buffer.read(MAX_BYTES + 1)
                if buffer is not None
                else sys.stdin.read(MAX_BYTES + 1).encode("utf-8", "surrogatepass")
            )
        else:
            with Path(name).open("rb") as file:
                data = file.read(MAX_BYTES + 1)
    except OSError as exc:
        msg = f"{start}: {exc.strerror}"
        raise HeliconeHeadersError(msg) from exc
    if len(data) > MAX_BYTES:
        msg = (
            f"{start}: it is larger than 1 MiB ({MAX_BYTES} bytes), the most helicone-headers "
            "reads; a header dict or a proxy config is far smaller"
        )
        raise HeliconeHeadersError(msg)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        msg = f"{start}: byte {exc.start + 1} (0x{data[exc.start]:02x}) is not UTF-8 text"
        raise HeliconeHeadersError(msg) from None


def surrogate_problem(text: str) -> str | None:
    """Say where *text* holds a lone surrogate, which no header can carry; else None."""
    found = _SURROGATE.search(text)
    if found is None:
        return None
    return f"it holds a lone surrogate (\\u{ord(found.group()):04x}), which is not text"


@dataclasses.dataclass(frozen=True)
class ConfigFile:
    """A YAML config as read: its data, and the line of each key along each path."""

    name: str
    data: object
    lines: dict[tuple[str, str], int]
    """(path of a mapping, key) -> line of the key, from 1; paths as ``model_list[0].x``."""

    def line(self, path: str, key: str | None = None) -> int | None:
        """The line of *key* in the mapping at *path*, or of *path* itself."""
        if key is not None and (path, key) in self.lines:
            return self.lines[path, key]
        parent, _, last = path.rpartition(".")
        return self.lines.get((parent, last))


def read_config(path: str | os.PathLike[str]) -> ConfigFile:
    """Read a YAML config within the bounds above, with the line of every key.

    Raises:
        HeliconeHeadersError: PyYAML is missing, or the file cannot be read within the bounds;
            the message never quotes the file's text.
    """
    yaml = yaml_module()
    name = os.fspath(path)
    text = read_text(path, "a YAML config")
    start = f"cannot read a YAML config from {name!r}"
    try:
        _check_bounds(yaml, text)
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            lines = _walk(yaml, node)
            data = None if node is None else loader.construct_document(node)
        finally:
            loader.dispose()
    except _Refused as exc:
        raise HeliconeHeadersError(f"{start}: {exc}") from None
    except yaml.YAMLError as exc:
        # Not chained: PyYAML's own text quotes the line, which may hold a key.
        raise HeliconeHeadersError(f"{start}: {_problem(yaml, exc)}") from None
    except (ValueError, TypeError, OverflowError) as exc:  # a tagged value: !!timestamp 2020-13-45
        msg = f"{start}: a tagged value cannot be read ({type(exc).__name__})"
        raise HeliconeHeadersError(msg) from None
    return ConfigFile(name, data, lines)


class _Refused(Exception):  # noqa: N818 - internal, turned into HeliconeHeadersError
    """A bound was passed (the message says where and which)."""


def _at(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}"


def _check_bounds(yaml: Any, text: str) -> None:
    """Refuse nesting past MAX_DEPTH and alias expansion past MAX_NODES, from the event stream.

    PyYAML parses without recursion, so this holds for any depth; composing recurses, so it
    runs only on what passed.
    """
    expanded: dict[str, int] = {}  # anchor -> nodes it stands for
    open_nodes: list[list[Any]] = []  # [nodes inside, anchor] of each collection being read
    total = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        total += _nodes(yaml, event, open_nodes, expanded)
        if total > MAX_NODES:
            msg = (
                f"{_at(event.start_mark)}: its aliases expand it past {MAX_NODES} nodes; "
                "write the config with fewer aliases"
            )
            raise _Refused(msg)


def _nodes(yaml: Any, event: Any, open_nodes: list[list[Any]], expanded: dict[str, int]) -> int:
    """The nodes *event* adds (an alias: the nodes it stands for), counted into each open one."""
    if isinstance(event, yaml.CollectionEndEvent):
        nodes, anchor = open_nodes.pop()
        if anchor is not None:
            expanded[anchor] = nodes + 1
        return 0
    if isinstance(event, yaml.AliasEvent):
        if any(anchor == event.anchor for _, anchor in open_nodes):
            raise _Refused(f"{_at(event.start_mark)}: an alias stands for a node that holds it")
        size = expanded.get(event.anchor, 1)  # an undefined one: PyYAML says so next
    elif isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
        size = 1
    else:  # stream and document events
        return 0
    for each in open_nodes:
        each[0] += size
    if isinstance(event, yaml.CollectionStartEvent):
        if len(open_nodes) >= MAX_DEPTH:
            raise _Refused(f"{_at(event.start_mark)}: it nests deeper than {MAX_DEPTH} levels")
        open_nodes.append([0, event.anchor])
    elif isinstance(event, yaml.ScalarEvent) and event.anchor is not None:
        expanded[event.anchor] = 1
    return size


def _walk(yaml: Any, root: Any) -> dict[tuple[str, str], int]:
    """The line of every mapping key by path; a lone surrogate anywhere is refused."""
    lines: dict[tuple[str, str], int] = {}
    # Bounded: _check_bounds refused recursive aliases and counted each alias as its nodes.
    stack: list[tuple[Any, str]] = [] if root is None else [(root, "")]
    while stack:
        node, path = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            problem = surrogate_problem(node.value)
            if problem is not None:
                raise _Refused(f"{_at(node.start_mark)}: {problem}")
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, f"{path}[{index}]") for index, item in enumerate(node.value)]
        else:
            for key, value in node.value:
                stack.append((key, path))
                if isinstance(key, yaml.ScalarNode):
                    lines.setdefault((path, key.value), key.start_mark.line + 1)
                    stack.append((value, f"{path}.{key.value}" if path else key.value))
    return lines


def _problem(yaml: Any, exc: Exception) -> str:
    """What PyYAML found wrong, with where, and no text of the file but single characters."""
    if isinstance(exc, yaml.reader.ReaderError):  # a control character
        position: int = getattr(exc, "position", 0)
        return f"character {position + 1}: {getattr(exc, 'reason', 'not text')}"
    problem = getattr(exc, "problem", None) or "not YAML"
    mark = getattr(exc, "problem_mark", None)
    shown = _QUOTED.sub(
        lambda found: found.group() if _SHOWN_QUOTE.fullmatch(found.group()) else "(not shown)",
        problem,
    )
    return f"{_at(mark)}: {shown}" if mark is not None else shown
