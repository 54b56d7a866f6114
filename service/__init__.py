"""The HTTP service (``mrv serve``): the public API over HTTP, and a web page at ``/``.

A thin adapter like :mod:`mrv_engine.cli`: it imports only the public API (``mrv_engine``)
and FastAPI, never the core or a plugin (import-linter contract in pyproject.toml). What it
adds is HTTP's: routes and their OpenAPI document (:mod:`.app`), RFC 9457 problem details
carrying the findings (:mod:`.problems`), request bodies read under a size limit with every
JSON number exact (:mod:`.body`), and the static page with its form renderer (``static/``).

FastAPI is imported by these modules at their top, so nothing imports this package except
``mrv serve`` (inside its function) and a host that mounts the app: ``import mrv_engine``
and ``mrv --help`` stay light.
"""

from mrv_engine.service.app import DEFAULT_MAX_BODY, create_app

__all__ = ["DEFAULT_MAX_BODY", "create_app"]
