"""Type-checked only, never run: each line is refused by mypy, whose --strict reports an unused ignore.

The same lines are in ``refused_by_pyright.py``, for pyright (which also honours ``type: ignore``).
"""

from __future__ import annotations

from helicone_headers import CacheOptions, HeliconeHeaders

# issue: from_env(**fields: Any) took anything; it takes the model's options, typed.
HeliconeHeaders.from_env(user_id=123)  # type: ignore[arg-type]
HeliconeHeaders.from_env(cach=CacheOptions(enabled=True))  # type: ignore[call-arg]
HeliconeHeaders.from_env(rate_limit="10;w=30")  # type: ignore[arg-type]
HeliconeHeaders.from_env(omit_request="true")  # type: ignore[arg-type]

# Containers of a built model are read-only.
headers = HeliconeHeaders(properties={"App": "web"})
headers.properties["X"] = "y"  # type: ignore[index]
headers.extra_headers["Helicone-Auth"] = "Bearer x"  # type: ignore[index]
if headers.fallbacks is not None:
    headers.fallbacks.append(headers.fallbacks[0])  # type: ignore[attr-defined]
cache = CacheOptions(enabled=True, ignore_keys=["request_id"])
if cache.ignore_keys is not None:
    cache.ignore_keys.append("x")  # type: ignore[attr-defined]
