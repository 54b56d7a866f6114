"""The ``mrv`` command: a thin click layer over the public API (:mod:`mrv_engine`, :mod:`mrv_engine.maintain`).

The group is assembled here from the command modules, which import only :mod:`.shared`:
:mod:`.reporting` (sectors, rulesets, form, validate, calc, explain), :mod:`.verifier`
(verify, diff) and :mod:`.maintainer` (lint, test, docs, new-sector). Exit codes: 0 success;
1 a finding in the user's data or rules; 2 a usage error (:class:`~.shared.MrvGroup`).
"""

from __future__ import annotations

import click
from mrv_engine.cli import (
    batch,
    compliance,
    maintainer,
    reporting,
    service,
    verifier,
    workbook,
)
from mrv_engine.cli.shared import MrvGroup


@click.group(cls=MrvGroup)
@click.version_option(package_name="mrv-engine", prog_name="mrv")
def cli():
    """mrv-engine: compute, explain and verify China's GHG reports under the rules of their year."""



for command in (reporting.sectors, reporting.rulesets, reporting.form, reporting.validate, reporting.calc,
                reporting.explain, verifier.verify, verifier.diff,
                maintainer.lint, maintainer.test_cmd, maintainer.docs, maintainer.new_sector, service.serve,
                workbook.template):
    cli.add_command(command)
compliance.register(cli)
batch.register(cli)


def main():
    cli(prog_name="mrv")


if __name__ == "__main__":  # pragma: no cover
    main()
