"""HeliconeHeaders: every request header Helicone reads, as one validated model."""

import os
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any, ClassVar, Literal, cast

from pydantic import Field, SecretStr
from typing_extensions import Self, TypedDict, Unpack

from helicone_headers._api_base import API_BASE
from helicone_headers._base import HeaderModel
from helicone_headers._cache import CacheOptions
from helicone_headers._codec import (
    TEXT,
    Canonical,
    Choice,
    Codec,
    Description,
    Flag,
    HeaderMap,
    Secret,
    Url,
    type_error,
)
from helicone_headers._codes import problem
from helicone_headers._exceptions import HeliconeHeadersError, MetadataRouteError
from helicone_headers._fallback import FALLBACKS, Fallback
from helicone_headers._frozen import FROZEN, FrozenDict
from helicone_headers._names import PROPERTY_PREFIX, routes, unmodeled_problem
from helicone_headers._policy import POLICY, RateLimitPolicy
from helicone_headers._posthog import PosthogOptions
from helicone_headers._prompt import PromptOptions
from helicone_headers._reading import read_headers
from helicone_headers._retry import RetryOptions
from helicone_headers._security import SecurityOptions
from helicone_headers._session_context import current_session
from helicone_headers._session_options import SessionOptions
from helicone_headers._text import is_token, quoted

__all__ = ["CALLBACK_FIELDS", "HELICONE_PROXY", "HeliconeHeaders", "HeliconeHeadersFields"]

# worker/src/lib/util/apiKeyRegex.ts:1-15: the most general key pattern, plus the rate-limited
# "-rl-" keys. JavaScript's \w is ASCII.
_API_KEY = re.compile(
    r"[sp]k(?:-helicone)?(?:-eu)?(?:-cp)?-\w{7}-\w{7}-\w{7}-\w{7}"
    r"|[sp]k-helicone(?:-eu)?-rl-[a-z0-9]{7}(?:-[a-z0-9]{7}){3}",
    re.ASCII,
)
_BEARER = "Bearer "
# RequestWrapper.validateHeliconeAuthHeader: includes("Bearer ") or "Must included Bearer in API
# Key"; the proxy then forwards the request with no org (worker/src/lib/RequestWrapper.ts:558-559,
# worker/src/lib/HeliconeProxyRequest/ProxyForwarder.ts:502-506).
_NO_BEARER = (
    "Helicone requires the exact prefix 'Bearer ' (capital B, one space) and refuses the key "
    "otherwise ('Must included Bearer in API Key'): it forwards the request but skips logging, "
    "caching and rate limits (the AI gateway answers HTTP 401); write 'Bearer <key>', or pass "
    "api_key=<key> and the model writes it"
)


class ApiKey(Secret):
    """Helicone-Auth: ``Bearer <key>`` on the wire, the bare key inside.

    Helicone checks it in ``worker/src/lib/RequestWrapper.ts:552-568``.
    """

    def canonical(self, text: str) -> Canonical | None:
        """More spaces after ``Bearer ``: Helicone takes the key off and trims it."""
        key = text.removeprefix(_BEARER)
        if key != text and key != key.strip() and _API_KEY.fullmatch(key.strip()) is not None:
            return Canonical(
                "auth_form",
                _BEARER + key.strip(),
                "Helicone removes 'Bearer ' and trims the rest, so the key works, as meant; "
                "write one space after 'Bearer'",
            )
        return None

    def read(self, text: str) -> object:
        """Take ``Bearer <key>`` or the bare key; the key must match Helicone's key format."""
        key = text.removeprefix(_BEARER)
        if _API_KEY.fullmatch(key) is not None:
            return key  # the format admits only safe characters
        if text[:7].lower() == _BEARER.lower() and not text.startswith(_BEARER):
            raise problem("auth_bearer", _NO_BEARER)
        super().read(key)
        raise problem(
            "auth_key_format",
            "the key is not a Helicone API key (sk-helicone-xxxxxxx-xxxxxxx-xxxxxxx-xxxxxxx, "
            "an EU key sk-helicone-eu-..., or a rate-limited -rl- key); Helicone would "
            "forward the request but skip logging, caching and rate limits (the AI gateway "
            "answers HTTP 401); copy the key from Helicone's API keys page",
        )

    def header_problem(self, text: str) -> tuple[str, str] | None:
        """A header without ``Bearer `` is refused by Helicone, though the constructor adds it."""
        if _BEARER in text or text[:7].lower() == _BEARER.lower():
            return None  # read() says what is wrong with a 'bearer' in another case
        return ("auth_bearer", _NO_BEARER)

    def write(self, value: SecretStr) -> str:
        """Write the key with its ``Bearer`` scheme."""
        return _BEARER + value.get_secret_value()

    def describe(self) -> Description:
        """Document the key format."""
        return Description(
            "`Bearer <key>`; the key is `sk-helicone-…`, `sk-helicone-eu-…` or a rate-limited "
            "`-rl-` key (secret)",
            "",
            "a malformed key, or no `Bearer ` (in exactly this case): Helicone forwards the "
            "request but skips logging, caching and rate limits (the AI gateway answers 401)",
        )


API_KEY = ApiKey()


# worker/src/lib/models/HeliconeHeaders.ts:543-550: Helicone keeps a request id only if it matches
# this (RFC 4122 versions 1-5, variant 8-b).
_REQUEST_ID = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", re.IGNORECASE
)


class RequestId(Codec):
    """Helicone-Request-Id: a UUID of version 1 to 5 with the RFC 4122 variant.

    Helicone: ``worker/src/lib/models/HeliconeHeaders.ts:543-550``.
    """

    def read(self, text: str) -> object:
        """Take the canonical 8-4-4-4-12 form that Helicone's regex accepts."""
        if _REQUEST_ID.fullmatch(text) is None:
            raise problem(
                "request_id_format",
                "Helicone keeps only RFC 4122 UUIDs of versions 1 to 5 in the 8-4-4-4-12 form and "
                "silently replaces {value} with a random id, so you could not find the request "
                "by it; use str(uuid.uuid4())",
                {"value": quoted(text)},
            )
        return uuid.UUID(text)

    def describe(self) -> Description:
        """Document the id format."""
        return Description(
            "UUID, 8-4-4-4-12",
            "versions 1 … 5, RFC 4122 variant",
            "anything else (v6/v7, nil, other variants) is silently replaced by a random id",
        )

    def accept(self, value: object) -> object:
        """Take a uuid.UUID of a version Helicone keeps."""
        if not isinstance(value, uuid.UUID):
            raise type_error("a uuid.UUID or str", value)
        # The version is None unless the variant is RFC 4122's, which Helicone asks for too.
        if value.version in {1, 2, 3, 4, 5}:
            return value
        return self.read(str(value))  # which explains


_EXACT = Flag()
TokenLimitHandler = Literal["truncate", "middle-out", "fallback"]
BodyMapping = Literal["OPENAI", "NO_MAPPING", "RESPONSES"]


def _property_problem(name: str) -> str | None:
    if not name:
        return "a property needs a name after 'Helicone-Property-'; Helicone ignores it without one"
    if not is_token(name):
        return (
            f"{name!r} is not a valid property name: it becomes part of a header name, which "
            "allows letters, digits and !#$%&'*+-.^_`|~ only"
        )
    if name.lower().startswith(PROPERTY_PREFIX.lower()):
        return (
            f"{name!r} holds the header prefix, so it would be sent as "
            f"{PROPERTY_PREFIX}{name}; give the name alone: properties={{"
            f"{name[len(PROPERTY_PREFIX) :]!r}: ...}}"
        )
    return None


def _extra_problem(name: str) -> str | None:
    route = routes(HeliconeHeaders).get(name.lower())
    if route is not None:
        return f"this header is modeled; set {route.field} instead"
    if name.lower().startswith(PROPERTY_PREFIX.lower()):
        return f"this is a custom property; set properties={{{name[len(PROPERTY_PREFIX) :]!r}: ...}} instead"
    return unmodeled_problem(HeliconeHeaders, name)


_PROPERTIES = HeaderMap(_property_problem, prefix=PROPERTY_PREFIX, hidden=False, native_values=True)
# Unmodeled headers may carry keys (Helicone-JWT, Helicone-Lytix-Key): never quote them.
_EXTRA_HEADERS = HeaderMap(_extra_problem, hidden=True)


# Helicone's OpenAI-compatible proxy, the default base URL of LiteLLM proxy config entries.
HELICONE_PROXY = "https://oai.helicone.ai/v1"

# The options a route that only logs the finished call can carry: LiteLLM's success_callback and
# Helicone's async log route (to_litellm_metadata, to_log_headers).
CALLBACK_FIELDS = frozenset(
    {
        "api_key",
        "user_id",
        "properties",
        "session",
        "prompt",
        "request_id",
        "model_override",
        "omit_request",
        "omit_response",
        "posthog",
        "extra_headers",
    }
)


class HeliconeHeadersFields(TypedDict, total=False):
    """The options of ``HeliconeHeaders`` by name, with their types: what ``from_env`` takes.

    Each key is optional, as each option is. A test keeps this equal to the model's fields.
    """

    api_key: SecretStr | None
    user_id: str | None
    properties: Mapping[str, str]
    session: SessionOptions | None
    prompt: PromptOptions | None
    rate_limit: RateLimitPolicy | None
    cache: CacheOptions | None
    retry: RetryOptions | None
    fallbacks: Sequence[Fallback] | None
    security: SecurityOptions | None
    model_override: str | None
    omit_request: bool
    omit_response: bool
    request_id: uuid.UUID | None
    token_limit_handler: TokenLimitHandler | None
    posthog: PosthogOptions | None
    stream_usage: bool
    stream_force_format: bool
    increase_timeout: bool
    target_url: str | None
    openai_api_base: str | None
    gateway_body_mapping: BodyMapping | None
    extra_headers: Mapping[str, str]


class HeliconeHeaders(HeaderModel):
    """Everything Helicone should do with a request, validated the way Helicone's server reads it.

    Build it once with client-wide options, lay per-request options over it with ``|``, and send
    ``to_headers()`` with LiteLLM (``extra_headers=``) or the OpenAI SDK:

    Examples:
        >>> headers = HeliconeHeaders(
        ...     api_key="sk-helicone-aaaaaaa-bbbbbbb-ccccccc-ddddddd",
        ...     user_id="user-abc",
        ...     properties={"App": "web"},
        ...     cache=CacheOptions(enabled=True, max_age_seconds=3600),
        ...     rate_limit=RateLimitPolicy.per_minute(10, segment="user"),
        ... )
        >>> headers.to_headers()  # doctest: +NORMALIZE_WHITESPACE
        {'Helicone-Auth': 'Bearer sk-helicone-aaaaaaa-bbbbbbb-ccccccc-ddddddd',
         'Helicone-User-Id': 'user-abc', 'Helicone-RateLimit-Policy': '10;w=60;s=user',
         'Helicone-Cache-Enabled': 'true', 'Cache-Control': 'max-age=3600',
         'Helicone-Property-App': 'web'}
    """

    _CALLBACK_FIELDS: ClassVar[frozenset[str]] = CALLBACK_FIELDS

    api_key: Annotated[
        SecretStr | None,
        Field(
            alias="Helicone-Auth",
            description=(
                "Your Helicone API key, with or without ``Bearer``; sent as ``Bearer <key>``. "
                "Kept secret: only to_headers() and to_litellm_metadata() reveal it."
            ),
        ),
        API_KEY,
    ] = None

    user_id: Annotated[
        str | None,
        Field(
            alias="Helicone-User-Id",
            description=(
                "The end user the request is made for; used for per-user stats and ``s=user`` "
                "rate limits. Without it Helicone falls back to the body's ``user`` field."
            ),
        ),
        TEXT,
    ] = None

    properties: Annotated[Mapping[str, str], _PROPERTIES, FROZEN] = Field(
        default_factory=FrozenDict,
        description=(
            "Custom properties, each sent as ``Helicone-Property-<Name>: <value>``. Helicone "
            "stores the names lowercased, so names must be unique ignoring case."
        ),
    )

    session: Annotated[
        SessionOptions | None, Field(description="Session tracing: id, path and name.")
    ] = None

    prompt: Annotated[
        PromptOptions | None, Field(description="Legacy prompt tracking: id, version and mode.")
    ] = None

    rate_limit: Annotated[
        RateLimitPolicy | None,
        Field(
            alias="Helicone-RateLimit-Policy",
            description=(
                "A rate-limit policy such as ``10;w=60;s=user``. Helicone fails open: a request "
                "over the limit is answered with HTTP 429, but an invalid policy is silently "
                "ignored."
            ),
        ),
        POLICY,
    ] = None

    cache: Annotated[CacheOptions | None, Field(description="Response caching.")] = None

    retry: Annotated[
        RetryOptions | None, Field(description="Retries of the provider call on 429 and 5xx.")
    ] = None

    fallbacks: Annotated[
        Sequence[Fallback] | None,
        Field(
            alias="Helicone-Fallbacks",
            description=(
                "Providers to try in turn on gateway.helicone.ai, written as compact JSON. Parsed "
                "on every host: a malformed value fails every request with HTTP 500."
            ),
        ),
        FALLBACKS,
        FROZEN,
    ] = None

    security: Annotated[
        SecurityOptions | None, Field(description="Prompt-injection screening and moderation.")
    ] = None

    model_override: Annotated[
        str | None,
        Field(
            alias="Helicone-Model-Override",
            description="The model name Helicone uses for cost and token counting instead of the body's.",
        ),
        TEXT,
    ] = None

    omit_request: Annotated[
        bool,
        Field(alias="Helicone-Omit-Request", description="Do not log the request body."),
        _EXACT,
    ] = False

    omit_response: Annotated[
        bool,
        Field(alias="Helicone-Omit-Response", description="Do not log the response body."),
        _EXACT,
    ] = False

    request_id: Annotated[
        uuid.UUID | None,
        Field(
            alias="Helicone-Request-Id",
            description=(
                "This request's id (UUID version 1 to 5), echoed back as ``Helicone-Id``. Per "
                "request only: never put it in client-wide defaults."
            ),
        ),
        RequestId(),
    ] = None

    token_limit_handler: Annotated[
        TokenLimitHandler | None,
        Field(
            alias="Helicone-Token-Limit-Exception-Handler",
            description=(
                "What Helicone does when the prompt exceeds the model's context: ``truncate``, "
                "``middle-out`` or ``fallback`` (to the second model of a comma-separated body "
                "``model``)."
            ),
        ),
        Choice(
            TokenLimitHandler,
            caseless=True,
            otherwise="Helicone silently ignores any other value and applies no handling",
        ),
    ] = None

    posthog: Annotated[
        PosthogOptions | None, Field(description="Forwarding of request events to PostHog.")
    ] = None

    stream_usage: Annotated[
        bool,
        Field(
            alias="Helicone-Stream-Usage",
            description=(
                "Ask the provider for token usage on streams (adds "
                "``stream_options.include_usage``)."
            ),
        ),
        _EXACT,
    ] = False

    stream_force_format: Annotated[
        bool,
        Field(
            alias="Helicone-Stream-Force-Format",
            description="Buffer stream chunks shorter than 50 bytes into the next one.",
        ),
        _EXACT,
    ] = False

    increase_timeout: Annotated[
        bool,
        Field(
            alias="Helicone-Increase-Timeout",
            description="Allow the provider call up to 30 minutes.",
        ),
        _EXACT,
    ] = False

    target_url: Annotated[
        str | None,
        Field(
            alias="Helicone-Target-URL",
            description=(
                "The provider origin for gateway.helicone.ai, such as "
                "``https://api.lemonfox.ai``. Helicone uses only the origin, so a path is refused "
                "here."
            ),
        ),
        Url(origin_only=True),
    ] = None

    openai_api_base: Annotated[
        str | None,
        Field(
            alias="Helicone-OpenAI-Api-Base",
            description=(
                "The Azure OpenAI (or other approved) base URL on oai.helicone.ai; Helicone "
                "answers HTTP 500 for a domain it has not approved, and uses the origin only, so "
                "a path is refused here."
            ),
        ),
        API_BASE,
    ] = None

    gateway_body_mapping: Annotated[
        BodyMapping | None,
        Field(
            alias="Helicone-Gateway-Body-Mapping",
            json_schema_extra={"x-helicone-default": "`OPENAI`"},
            description=(
                "How the AI gateway maps the body: ``OPENAI`` (its default), ``NO_MAPPING`` or "
                "``RESPONSES``."
            ),
        ),
        Choice(
            BodyMapping,
            otherwise="Helicone reads exactly these uppercase words and treats anything else as "
            "OPENAI",
        ),
    ] = None

    extra_headers: Annotated[Mapping[str, str], _EXTRA_HEADERS, FROZEN] = Field(
        default_factory=FrozenDict,
        description=(
            "``Helicone-*`` headers this library does not model, sent as given. Names of "
            "headers it does model, and near misses of them, are refused with the field to "
            "use instead."
        ),
    )

    def __or__(self, other: object) -> Self:
        """``a | b`` is ``a.merge(b)``; a header mapping is read as ``from_headers`` reads it.

        Raises:
            pydantic.ValidationError: the mapping holds a header Helicone would not apply.
        """
        if isinstance(other, Mapping):
            other = type(self).from_headers(cast("Mapping[str, str]", other))
        return super().__or__(other)

    def with_current_session(self) -> Self:
        """These headers with the current ``session`` (and ``step`` path) laid over them.

        Outside any session the headers are returned unchanged.
        """
        current = current_session()
        return self if current is None else self.merge(type(self)(session=current))

    def to_default_headers(self) -> dict[str, str]:
        """Return the headers for client-wide defaults, such as ``OpenAI(default_headers=...)``.

        Raises:
            HeliconeHeadersError: a request id is set; it belongs to one request, and sent with
                every request it would make Helicone file them all under one id.
        """
        if self.request_id is not None:
            msg = (
                "request_id belongs to one request; as a client-wide default every request would "
                "carry the same Helicone-Request-Id. Pass it per request (extra_headers=) instead"
            )
            raise HeliconeHeadersError(msg)
        return self.to_headers()

    @property
    def is_eu(self) -> bool:
        """Whether the API key belongs to Helicone's EU region (``sk-helicone-eu-...``)."""
        return self.api_key is not None and "helicone-eu" in self.api_key.get_secret_value()

    def to_litellm_metadata(self) -> dict[str, str]:
        """Return the headers as LiteLLM ``metadata=`` for ``success_callback=["helicone"]``.

        That route only logs the finished call, so options that need Helicone's proxy (cache,
        rate limit, retry, fallbacks, security, routing, ...) cannot apply there.

        With ``api_key`` set, the metadata holds the key in plain text, and LiteLLM passes
        metadata to every callback it runs. Leave ``api_key`` unset here and set
        ``HELICONE_API_KEY``: the Helicone callback then adds the key itself.

        Raises:
            MetadataRouteError: such an option is set.
        """
        self._refuse_proxy_options("the success_callback route", "the metadata")
        return self.to_headers()

    def to_log_headers(self) -> dict[str, str]:
        """Return the headers that apply on Helicone's async log route (``/custom/v1/log``, ...).

        For a call that did not pass through Helicone, logged afterwards, as ``helicone-helpers``'
        ``HeliconeManualLogger(headers=...)`` does. What describes the call applies there (user,
        properties, session, prompt, request id, model override, omit flags, PostHog); options
        that need Helicone's proxy (cache, rate limit, retry, fallbacks, security, routing) do
        not, the same rule as ``to_litellm_metadata()``.

        The log route reads the key from ``Authorization``, which a logger writes from its own
        API key: leave ``api_key`` unset here.

        Raises:
            MetadataRouteError: an option that needs the proxy is set.
        """
        self._refuse_proxy_options("Helicone's log route", "the log headers")
        return self.to_headers()

    def _refuse_proxy_options(self, route: str, leave_out_of: str) -> None:
        # One rule for every route that only logs: the fields outside _CALLBACK_FIELDS need the
        # request to pass through the proxy.
        unusable = tuple(
            name
            for name in type(self).model_fields
            if name not in self._CALLBACK_FIELDS and getattr(self, name) not in (None, False)
        )
        if unusable:
            raise MetadataRouteError(unusable, route=route, leave_out_of=leave_out_of)

    def to_litellm_proxy_model(
        self,
        *,
        model_name: str,
        model: str,
        api_base: str = HELICONE_PROXY,
        auth_env: str = "HELICONE_AUTH",
        api_key_env: str | None = "OPENAI_API_KEY",
    ) -> dict[str, Any]:
        """One ``model_list`` entry of a LiteLLM proxy config that sends these headers through Helicone.

        The entry's ``litellm_params`` point ``api_base`` at Helicone's proxy and send the headers
        as ``extra_headers`` on every call to *model_name*. The API key is never written:
        ``Helicone-Auth`` is ``os.environ/<auth_env>``, and that variable must hold the whole
        header value (``Bearer sk-helicone-...``), because LiteLLM replaces ``os.environ/NAME``
        only when it is the whole value. The provider key is ``os.environ/<api_key_env>``.
        ``litellm_proxy_yaml`` writes entries as a config file.

        Raises:
            HeliconeHeadersError: posthog or fallbacks with headers are set (they would write a
                secret), or an environment variable name is not one.
        """
        from helicone_headers._litellm_proxy import litellm_proxy_model

        return litellm_proxy_model(
            self,
            model_name=model_name,
            model=model,
            api_base=api_base,
            auth_env=auth_env,
            api_key_env=api_key_env,
        )

    def to_litellm_proxy_body(self) -> dict[str, dict[str, str]]:
        """Per-request headers for an app calling a LiteLLM proxy: pass them as ``extra_body=``.

        The proxy does not forward an app's ``Helicone-*`` request headers, but it sends a JSON
        body field ``headers`` upstream, merged with the model entry's ``extra_headers`` that
        ``to_litellm_proxy_model`` writes (a body field replaces the config's field of the same
        name, so this one uses the other). The API key stays in the proxy's config.

        Examples:
            >>> HeliconeHeaders(user_id="user-abc").to_litellm_proxy_body()
            {'headers': {'Helicone-User-Id': 'user-abc'}}

        Raises:
            HeliconeHeadersError: ``api_key`` is set: the proxy's config sends the key.
        """
        if self.api_key is not None:
            msg = (
                "to_litellm_proxy_body() leaves the API key to the proxy's config, which sends "
                "Helicone-Auth on every call; build these headers without api_key"
            )
            raise HeliconeHeadersError(msg)
        return {"headers": self.to_headers()}

    @classmethod
    def from_env(cls, **fields: Unpack[HeliconeHeadersFields]) -> Self:
        """Build headers with the API key from ``HELICONE_API_KEY`` and the given *fields*.

        The keywords are the model's options, typed as in ``HeliconeHeaders(...)``: type checkers
        refuse a misspelt option or a value of the wrong type (``HeliconeHeadersFields``). A
        subclass with options of its own takes them at run time; to type them, give it its own
        ``from_env`` signature.

        Raises:
            HeliconeHeadersError: ``api_key`` is not given and ``HELICONE_API_KEY`` is unset.
        """
        if "api_key" not in fields:
            key = os.environ.get("HELICONE_API_KEY")
            if not key:
                msg = "HELICONE_API_KEY is not set; export it, or pass api_key= explicitly"
                raise HeliconeHeadersError(msg)
            fields["api_key"] = SecretStr(key)
        return cls(**fields)

    @classmethod
    def from_headers(cls, headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> Self:
        """Read a header dict back into a model, as strictly as Helicone's server reads it.

        Names match in any case. Headers that are neither ``Helicone-*`` nor ``Cache-Control``
        are skipped. ``Helicone-*`` names that Helicone does not read go to ``extra_headers``,
        unless they look like a misspelling of one it does read, which is an error.

        Raises:
            TypeError: *headers* is neither a mapping nor an iterable of (name, value) pairs.
            pydantic.ValidationError: a name or value that Helicone would ignore, misread, replace
                or answer with an error; each message says what Helicone would do and the fix.
        """
        return cast("Self", read_headers(cls, headers).built(cls.__name__))
