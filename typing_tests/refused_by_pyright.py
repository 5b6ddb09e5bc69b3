"""Type-checked only, never run: each line is refused by pyright, told to report unused ignores.

The same lines are in ``refused_by_mypy.py``, for mypy, which is told not to check them here.
"""
# pyright: reportUnnecessaryTypeIgnoreComment=true
# mypy: disable-error-code="arg-type, call-arg, index, attr-defined"

from __future__ import annotations

from helicone_headers import CacheOptions, HeliconeHeaders

# issue: from_env(**fields: Any) took anything; it takes the model's options, typed.
HeliconeHeaders.from_env(user_id=123)  # pyright: ignore[reportArgumentType]
HeliconeHeaders.from_env(cach=CacheOptions(enabled=True))  # pyright: ignore[reportCallIssue]
HeliconeHeaders.from_env(rate_limit="10;w=30")  # pyright: ignore[reportArgumentType]
HeliconeHeaders.from_env(omit_request="true")  # pyright: ignore[reportArgumentType]

# Containers of a built model are read-only.
headers = HeliconeHeaders(properties={"App": "web"})
headers.properties["X"] = "y"  # pyright: ignore[reportIndexIssue]
headers.extra_headers["Helicone-Auth"] = "Bearer x"  # pyright: ignore[reportIndexIssue]
if headers.fallbacks is not None:
    headers.fallbacks.append(headers.fallbacks[0])  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
cache = CacheOptions(enabled=True, ignore_keys=["request_id"])
if cache.ignore_keys is not None:
    cache.ignore_keys.append("x")  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
