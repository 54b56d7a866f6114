"""The methodology maintainer's toolkit: lint, golden tests, methodology pages, the sector scaffold.

- :mod:`.lint` findings over rulesets and plugins, each with its file and line;
- :mod:`.golden` golden cases (``*.golden.yaml``) and :mod:`.pytest_plugin` that collects them;
- :mod:`.docs` a sector's methodology pages; :mod:`.scaffold` ``mrv new-sector`` and its ``templates/``;
- :mod:`.files` finding a maintainer's files in a tree.

A client of the engine like the CLI: may import :mod:`mrv_engine.core.api` and every layer below it.
"""
