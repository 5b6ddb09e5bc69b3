"""Every citation of Helicone's code names a file and lines that exist at the modelled commit.

A citation is ``<path>:<lines>``, where the path starts at one of Helicone's top-level folders
(``worker/src/lib/RequestWrapper.ts:552-568``) and the lines are a number, a range, or a list of
them (``HeliconeHeaders.ts:305-310, 348-429``). tests/test_conformance.py abbreviates its paths
(``HH:449``); its docstring says what each abbreviation stands for. tests/helicone-manifest.txt
lists every cited file with its number of lines at the commit the package models (named in the
README and docs/index.md), so a citation of a file that is not there, or of a line past its end,
fails here. The package cites nothing else by section: its rules once pointed to a document
outside the repository; only RFC sections remain.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "tests" / "helicone-manifest.txt"
CONFORMANCE = ROOT / "tests" / "test_conformance.py"

# The top-level folders of Helicone's repository that hold code or docs at the modelled commit.
HELICONE_FOLDERS = (
    "bifrost",
    "cc-agent",
    "clickhouse",
    "docker",
    "docs",
    "e2e",
    "examples",
    "helicone-cron",
    "helicone-heartbeat",
    "helicone-mcp",
    "packages",
    "replicas",
    "scripts",
    "sdk",
    "shared",
    "supabase",
    "tests",
    "valhalla",
    "web",
    "worker",
)
_LINES = r"\d+(?:-\d+)?(?:, ?\d+(?:-\d+)?)*"
CITATION = re.compile(
    rf"(?<![\w/.-])((?:{'|'.join(map(re.escape, HELICONE_FOLDERS))})/[\w./-]+\.\w+):({_LINES})"
)
# The conformance docstring's legend: ``HH`` worker/src/lib/models/HeliconeHeaders.ts
_LEGEND = re.compile(r"``([A-Z]+)`` ([\w./-]+\.\w+)")
SECTION = "\N{SECTION SIGN}"
# What the package may still cite by section: an RFC (RFC 9110 <section sign>5.6.2).
_SECTION_CITATION = re.compile(rf"(?:RFC \d+ )?{SECTION}\s*[\d.]+")
_SPEC_CITATION = re.compile(rf"\bspec {SECTION}")


class Citation(NamedTuple):
    where: str
    """``file:line`` in this repository."""
    path: str
    """The cited file in Helicone's repository."""
    lines: str
    """The cited lines as written."""


def read_manifest(text: str) -> dict[str, int]:
    """Map each path of the manifest to its number of lines."""
    manifest: dict[str, int] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            count, path = line.split(maxsplit=1)
            manifest[path] = int(count)
    return manifest


def legend(text: str) -> dict[str, str]:
    """The abbreviations that tests/test_conformance.py's docstring defines."""
    return dict(_LEGEND.findall(text))


def find_citations(label: str, text: str, abbreviations: dict[str, str]) -> list[Citation]:
    """Every Helicone citation in *text*, by full path or, with *abbreviations*, abbreviated."""
    abbreviated = (
        re.compile(rf"\b({'|'.join(abbreviations)}):({_LINES})") if abbreviations else None
    )
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for match in CITATION.finditer(line):
            path = match[1]
            if (ROOT / path).exists():
                continue  # a file of this repository (docs/, tests/ and examples/ are both's)
            found.append(Citation(f"{label}:{number}", path, match[2]))
        if abbreviated is not None:
            found.extend(
                Citation(f"{label}:{number}", abbreviations[match[1]], match[2])
                for match in abbreviated.finditer(line)
            )
    return found


def citation_problems(citations: list[Citation], manifest: dict[str, int]) -> list[str]:
    """What is wrong with each citation: a file off the manifest, or lines it does not have."""
    problems = []
    for where, path, lines in citations:
        if path not in manifest:
            problems.append(f"{where}: {path}:{lines}: {path} is not in the manifest")
            continue
        for part in lines.split(","):
            first, _, last = part.strip().partition("-")
            start, end = int(first), int(last or first)
            if not 1 <= start <= end <= manifest[path]:
                problems.append(
                    f"{where}: {path}:{lines}: {part.strip()} is not within lines "
                    f"1-{manifest[path]} of {path}"
                )
    return problems


def section_problems(label: str, text: str) -> list[str]:
    """Citations by section that are not of an RFC."""
    return [
        f"{label}:{number}: {match[0]!r} cites a section of no document in the repository"
        for number, line in enumerate(text.splitlines(), 1)
        for match in _SECTION_CITATION.finditer(line)
        if not match[0].startswith("RFC ")
    ]


def _files() -> list[Path]:
    files = [
        *(ROOT / "helicone_headers").rglob("*.py"),
        *(ROOT / "tests").glob("*.py"),
        *(ROOT / "docs").rglob("*.md"),
        ROOT / "README.md",
        ROOT / "CHANGELOG.md",
    ]
    # This module's own examples cite files and lines that do not exist, on purpose.
    return sorted(path for path in files if path != Path(__file__).resolve())


def _label(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def all_citations() -> list[Citation]:
    abbreviations = legend(CONFORMANCE.read_text(encoding="utf-8"))
    return [
        citation
        for path in _files()
        for citation in find_citations(
            _label(path),
            path.read_text(encoding="utf-8"),
            abbreviations if path == CONFORMANCE else {},
        )
    ]


def test_every_citation_names_a_file_and_lines_of_the_manifest() -> None:
    citations = all_citations()
    # Not vacuous: the package, the conformance corpus and the legend are all found.
    assert len({c.where for c in citations if c.where.startswith("helicone_headers/")}) >= 25
    assert len({c.where for c in citations if c.where.startswith("tests/test_conformance")}) >= 100
    assert len(legend(CONFORMANCE.read_text(encoding="utf-8"))) >= 10
    manifest = read_manifest(MANIFEST.read_text(encoding="utf-8"))
    problems = citation_problems(citations, manifest)
    assert problems == [], "\n".join(problems)


def test_the_manifest_lists_only_cited_files() -> None:
    manifest = read_manifest(MANIFEST.read_text(encoding="utf-8"))
    uncited = sorted(set(manifest) - {c.path for c in all_citations()})
    assert uncited == [], "\n".join(uncited)


def test_the_package_cites_no_document_outside_the_repository() -> None:
    problems = [
        problem
        for path in sorted((ROOT / "helicone_headers").rglob("*.py"))
        for problem in section_problems(_label(path), path.read_text(encoding="utf-8"))
    ]
    problems += [
        f"{_label(path)}:{number}: cites the spec by section"
        for path in sorted((ROOT / "tests").glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _SPEC_CITATION.search(line)
    ]
    assert problems == [], "\n".join(problems)


def test_the_docs_name_the_commit_the_package_models() -> None:
    # Read as text: tests use the public API only, and the commit is a fact, not an interface.
    upstream = (ROOT / "helicone_headers" / "_upstream.py").read_text(encoding="utf-8")
    commit = re.search(r'^COMMIT = "([0-9a-f]{40})"$', upstream, flags=re.MULTILINE)
    assert commit is not None
    for page in ("README.md", "docs/index.md", "tests/helicone-manifest.txt"):
        assert commit[1] in (ROOT / page).read_text(encoding="utf-8"), page


MANIFEST_TEXT = "# a comment\n551 worker/src/lib/models/HeliconeHeaders.ts\n16 worker/a.ts\n"


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("reads it (worker/src/lib/models/HeliconeHeaders.ts:543-550).", []),
        ("``worker/a.ts:1, 3-16`` and worker/a.ts:16", []),
        (
            "# see worker/src/lib/models/HeliconeHeaders.ts:552 and worker/b.ts:1\n"
            "worker/a.ts:9-17, 20 and worker/a.ts:0 and worker/a.ts:5-4",
            [
                "x.py:1: worker/src/lib/models/HeliconeHeaders.ts:552: 552 is not within lines "
                "1-551 of worker/src/lib/models/HeliconeHeaders.ts",
                "x.py:1: worker/b.ts:1: worker/b.ts is not in the manifest",
                "x.py:2: worker/a.ts:9-17, 20: 9-17 is not within lines 1-16 of worker/a.ts",
                "x.py:2: worker/a.ts:9-17, 20: 20 is not within lines 1-16 of worker/a.ts",
                "x.py:2: worker/a.ts:0: 0 is not within lines 1-16 of worker/a.ts",
                "x.py:2: worker/a.ts:5-4: 5-4 is not within lines 1-16 of worker/a.ts",
            ],
        ),
        # Only Helicone's top-level folders start a citation; this repository's files are its own.
        ("src/a.ts:99, tests/test_conformance.py:1, helicone_headers/_codec.py:9999", []),
    ],
)
def test_bad_citations_are_each_reported_with_their_place(text: str, problems: list[str]) -> None:
    found = find_citations("x.py", text, {})
    assert citation_problems(found, read_manifest(MANIFEST_TEXT)) == problems


def test_abbreviations_are_read_from_the_legend() -> None:
    abbreviations = legend(
        '"""Paths: ``HH`` worker/src/lib/models/HeliconeHeaders.ts, ``A`` worker/a.ts."""'
    )
    assert abbreviations == {"HH": "worker/src/lib/models/HeliconeHeaders.ts", "A": "worker/a.ts"}
    found = find_citations("t.py", '("HH:350, 543-547", "A:17", "XHH:1", "HH: 3")', abbreviations)
    assert citation_problems(found, read_manifest(MANIFEST_TEXT)) == [
        "t.py:1: worker/a.ts:17: 17 is not within lines 1-16 of worker/a.ts"
    ]
    assert [c.lines for c in found] == ["350, 543-547", "17"]


def test_only_rfc_sections_may_be_cited() -> None:
    text = f"# RFC 9110 {SECTION}5.6.2: token\n# (spec {SECTION}4.2) and ({SECTION}5) and {SECTION}0 Booleans"
    assert section_problems("p.py", text) == [
        f"p.py:2: '{SECTION}4.2' cites a section of no document in the repository",
        f"p.py:2: '{SECTION}5' cites a section of no document in the repository",
        f"p.py:2: '{SECTION}0' cites a section of no document in the repository",
    ]
