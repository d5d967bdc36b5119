"""Settings of the bibliographic services (Crossref, Semantic Scholar, DBLP, OpenAlex), from the
environment, and the HTTP `Service` description of each.

Read only by the commands that talk to those services. The arXiv settings stay in
papertrail.config (they are read by `add` too).

The HTTP client (httpx) is imported only when a service is asked (start-up).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from papertrail.config import MAX_SECONDS, cache_dir, env_seconds, setting

if TYPE_CHECKING:  # httpx is loaded only when a client is made
    from papertrail.services.http import Service

DEFAULT_CROSSREF_API = "https://api.crossref.org"
DEFAULT_S2_API = "https://api.semanticscholar.org/graph/v1"
DEFAULT_DBLP_API = "https://dblp.org/search/publ/api"
DEFAULT_OPENALEX_API = "https://api.openalex.org"
# Semantic Scholar's shared unauthenticated pool and DBLP both ask for about one
# request a second; Crossref's public pool allows more, one a second is polite.
DEFAULT_DELAY = 1.0
DEFAULT_TIMEOUT = 30.0


@dataclass(frozen=True)
class ServiceSettings:
    crossref_api: str = DEFAULT_CROSSREF_API
    s2_api: str = DEFAULT_S2_API
    dblp_api: str = DEFAULT_DBLP_API
    openalex_api: str = DEFAULT_OPENALEX_API
    mailto: str | None = None
    s2_api_key: str | None = None  # never printed, never in a message
    delay: float = DEFAULT_DELAY
    timeout: float = DEFAULT_TIMEOUT
    offline: bool = False

    @classmethod
    def load(cls, offline: bool) -> ServiceSettings:
        env = os.environ
        return cls(
            crossref_api=_base(env.get("PAPERTRAIL_CROSSREF_API")) or DEFAULT_CROSSREF_API,
            s2_api=_base(env.get("PAPERTRAIL_S2_API")) or DEFAULT_S2_API,
            dblp_api=(env.get("PAPERTRAIL_DBLP_API") or "").strip() or DEFAULT_DBLP_API,
            openalex_api=_base(env.get("PAPERTRAIL_OPENALEX_API")) or DEFAULT_OPENALEX_API,
            mailto=(env.get("PAPERTRAIL_MAILTO") or "").strip() or _mailto_setting(),
            s2_api_key=(env.get("PAPERTRAIL_S2_API_KEY") or "").strip() or None,
            delay=env_seconds(
                "PAPERTRAIL_SERVICES_DELAY", DEFAULT_DELAY, low=0.0, high=MAX_SECONDS
            ),
            timeout=env_seconds(
                "PAPERTRAIL_SERVICES_TIMEOUT", DEFAULT_TIMEOUT, low=0.001, high=MAX_SECONDS
            ),
            offline=offline,
        )

    def service(self, name: str, key: str, url_setting: str, **headers: str) -> Service:
        """The HTTP description of one service; `key` names its spacing stamp file."""
        from papertrail.services.http import Service

        return Service(
            name,
            delay=self.delay,
            timeout=self.timeout,
            spacing_file=cache_dir() / f"{key}-last-request",
            headers=headers,
            offline=self.offline,
            url_setting=url_setting,
        )


def _base(value: str | None) -> str:
    """A base URL papertrail appends paths to: no trailing slash."""
    return (value or "").strip().rstrip("/")


def _mailto_setting() -> str | None:
    """`mailto` in the settings file, when PAPERTRAIL_MAILTO is not set."""
    value = setting("mailto")
    return value.strip() if isinstance(value, str) else None
