"""The pluggy markers of the mrv-engine host (project name ``mrv_engine``).

Apart from :mod:`.hookspecs` so that the sector base class can carry ``hookimpl`` while the
hook specifications name the sector's registration type: neither imports the other's module.
"""

import pluggy

PROJECT = "mrv_engine"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)
