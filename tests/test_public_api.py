from __future__ import annotations

import helicone_headers


def test_all_is_sorted_and_complete() -> None:
    public = {name for name in dir(helicone_headers) if not name.startswith("_")}
    assert helicone_headers.__all__ == sorted(helicone_headers.__all__)
    assert set(helicone_headers.__all__) - {"__version__"} == public


def test_version_is_a_string() -> None:
    assert helicone_headers.__version__.count(".") == 2
