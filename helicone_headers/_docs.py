"""render_header_docs(): the header reference, generated from the models themselves."""

from __future__ import annotations

import json
import types
from typing import TYPE_CHECKING, Literal, Union, cast, get_args, get_origin

from helicone_headers._base import HeaderModel, group_type
from helicone_headers._codec import Codec, Description, Flag, codec_of
from helicone_headers._headers import CALLBACK_FIELDS, HeliconeHeaders
from helicone_headers._names import NOT_READ, PROPERTY_PREFIX, UNMODELED

if TYPE_CHECKING:
    from pydantic import BaseModel
    from pydantic.fields import FieldInfo

__all__ = ["SECTIONS", "field_docs", "header_rows", "render_header_docs"]

# Which HeliconeHeaders fields each section of the reference shows, in order. A test checks that
# every field appears exactly once.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Authentication", ("api_key",)),
    ("User and custom properties", ("user_id", "properties")),
    ("Sessions", ("session",)),
    ("Prompts (legacy)", ("prompt",)),
    ("Caching", ("cache",)),
    ("Rate limits", ("rate_limit",)),
    ("Retries", ("retry",)),
    ("Fallbacks", ("fallbacks",)),
    ("Security and moderation", ("security",)),
    (
        "Logging and request handling",
        (
            "request_id",
            "model_override",
            "omit_request",
            "omit_response",
            "token_limit_handler",
            "stream_usage",
            "stream_force_format",
            "increase_timeout",
        ),
    ),
    ("Routing", ("target_url", "openai_api_base", "gateway_body_mapping")),
    ("Integrations", ("posthog",)),
    ("Other Helicone headers", ("extra_headers",)),
)

_PROPERTY = Description(
    "text (name: a token, unique ignoring case)",
    "",
    "Helicone stores the name lowercased; an empty name is ignored",
)
_EXTRA = Description(
    "text",
    "",
    "names Helicone does not read are dropped before the provider; near misses of known names "
    "are refused",
)


def _type_name(annotation: object) -> str:
    """A readable Python type: ``int or None``, ``'a' or 'b'``, ``list[Fallback]``.

    No ``|``: Markdown table dialects disagree on pipes inside code spans.
    """
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return " or ".join(_type_name(arg) for arg in get_args(annotation))
    if origin is Literal:
        return " or ".join(repr(arg) for arg in get_args(annotation))
    if origin is not None:
        inner = ", ".join(_type_name(arg) for arg in get_args(annotation))
        return f"{getattr(origin, '__name__', str(origin))}[{inner}]"
    if annotation is type(None):
        return "None"
    return getattr(annotation, "__name__", str(annotation))


def field_docs(model: type[BaseModel]) -> dict[str, str]:
    """The description of each of *model*'s fields, on one line."""
    return {
        name: " ".join((info.description or "").split())
        for name, info in model.model_fields.items()
    }


def _default(info: FieldInfo, codec: Codec | None) -> str:
    extra = info.json_schema_extra
    default = (
        cast("dict[str, object]", extra).get("x-helicone-default")
        if isinstance(extra, dict)
        else None
    )
    if isinstance(default, str):
        return default
    return "off" if isinstance(codec, Flag) else ""


def _row(
    header: str,
    field: str,
    info: FieldInfo,
    description: Description | None = None,
    *,
    doc: str = "",
) -> dict[str, str]:
    codec = codec_of(info)
    described = description or (codec.describe() if codec else Description("", "", ""))
    return {
        "header": header,
        "field": field,
        "type": f"`{_type_name(info.annotation)}`",
        "grammar": described.grammar,
        "range": described.range,
        "default": _default(info, codec),
        "odd_values": described.odd_values,
        "route": _route(field),
        "description": doc,
    }


def _group_rows(name: str, group: type[HeaderModel]) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    if group.switch is not None:
        info = HeliconeHeaders.model_fields[name]
        rows.append(
            {
                **_row(
                    group.switch,
                    name,
                    info,
                    Description(
                        f"`true`, sent whenever `{name}` is set",
                        "",
                        f"any value, even `false` or empty, turns `{name}` on",
                    ),
                ),
                "type": f"sent when `{name}` is not `None`",
                "description": f"Switches `{name}` on; the other {name} headers need it.",
            }
        )
    docs = field_docs(group)
    for inner, info in group.model_fields.items():
        rows.append(_row(info.alias or inner, f"{name}.{inner}", info, doc=docs.get(inner, "")))
    return rows


def header_rows() -> list[tuple[str, list[dict[str, str]]]]:
    """The reference as (section title, rows), one row per header."""
    fields = HeliconeHeaders.model_fields
    docs = field_docs(HeliconeHeaders)
    sections: list[tuple[str, list[dict[str, str]]]] = []
    for title, names in SECTIONS:
        rows: list[dict[str, str]] = []
        for name in names:
            info = fields[name]
            group = group_type(info.annotation)
            if group is not None:
                rows += _group_rows(name, group)
            elif name == "properties":
                rows.append(_row(f"{PROPERTY_PREFIX}<Name>", name, info, _PROPERTY, doc=docs[name]))
            elif name == "extra_headers":
                rows.append(_row("Helicone-<Other>", name, info, _EXTRA, doc=docs[name]))
            else:
                rows.append(_row(info.alias or name, name, info, doc=docs[name]))
        sections.append((title, rows))
    return sections


def _route(field: str) -> str:
    """Whether the header works on LiteLLM's logging callback, or needs Helicone's proxy."""
    top = field.split(".", 1)[0]
    if top in CALLBACK_FIELDS:
        return "Helicone's proxy or LiteLLM's logging callback"
    return "Helicone's proxy only"


def _block(row: dict[str, str]) -> list[str]:
    """One header: its name, what it does, then one short line per fact that it has."""
    facts = [
        ("Field", f"`{row['field']}`" + (f" ({row['type']})" if row["type"] else "")),
        ("Written as", row["grammar"]),
        ("Accepted", row["range"]),
        ("Helicone's default", row["default"]),
        ("Other values", row["odd_values"]),
        ("Works through", row["route"]),
    ]
    lines = ["", f"### `{row['header']}`", "", row["description"], ""]
    lines += [f"- **{name}**: {text}" for name, text in facts if text]
    return lines


def _response_blocks() -> list[str]:
    from helicone_headers._response import HeliconeResponse  # only for the reference

    docs = field_docs(HeliconeResponse)
    lines: list[str] = []
    for name, info in HeliconeResponse.model_fields.items():
        lines += [
            "",
            f"### `{info.alias or name}`",
            "",
            docs[name],
            "",
            f"- **Field**: `HeliconeResponse.{name}` (`{_type_name(info.annotation)}`)",
        ]
    return lines


def _markdown() -> str:
    lines = [
        "# Helicone request headers",
        "",
        "Generated from the models by `python -m helicone_headers docs`; do not edit by hand.",
        "Each header says how it is written, what Helicone accepts, its default on Helicone's",
        "side, what Helicone's server does with other values, and whether it works through",
        "LiteLLM's logging callback (`to_litellm_metadata()`, which only logs the finished call)",
        "or needs Helicone's proxy.",
        "",
        "Every value is visible ASCII, with spaces inside only, at most 8192 characters:",
        "empty values, control characters (CR, LF, NUL, ...), non-ASCII and outer spaces are",
        "refused, because HTTP strips or refuses them. Whole numbers are plain digits: Helicone",
        "reads them with `parseInt`, which takes a numeric prefix (`5abc` is 5) and is exact only",
        "up to 9007199254740991.",
        "",
        "Read back, a value is an error when Helicone answers HTTP 500, drops it or applies",
        "something other than meant, and a warning of `check()` when Helicone applies what was",
        "meant though it is spelled otherwise than here (see the [diagnostics](diagnostics.md)).",
    ]
    for title, rows in header_rows():
        lines += ["", f"## {title}"]
        for row in rows:
            lines += _block(row)
    lines += [
        "",
        "## Headers Helicone reads that are not modelled",
        "",
        "Helicone's worker reads these too; they are sent through `extra_headers` as given, and",
        "`check()` accepts them:",
        "",
        *(f"- `{name}`: {why}." for name, why in UNMODELED.items()),
        "",
        "Names Helicone never reads, which `check()` reports as errors:",
        "",
        *(f"- `{name}`: {why}." for name, why in NOT_READ.items()),
        "",
        "## Response headers",
        "",
        "Helicone adds these to its responses; `HeliconeResponse.from_response()` or",
        "`from_headers()` reads them (LiteLLM passes them on with the prefix `llm_provider-`).",
        *_response_blocks(),
    ]
    return "\n".join(lines) + "\n"


def render_header_docs(format: Literal["markdown", "json"] = "markdown") -> str:  # noqa: A002 - the documented name
    """Render the header reference from the models, as Markdown or as JSON.

    The JSON form holds the same rows, by section, and the JSON Schema of
    ``HeliconeHeaders`` by header name.

    Examples:
        >>> render_header_docs().splitlines()[0]
        '# Helicone request headers'
        >>> sorted(json.loads(render_header_docs("json")))
        ['schema', 'sections']
    """
    if format == "json":
        sections = [{"title": title, "headers": rows} for title, rows in header_rows()]
        schema = HeliconeHeaders.model_json_schema(by_alias=True)
        return json.dumps({"sections": sections, "schema": schema}, indent=2) + "\n"
    return _markdown()
