"""One exception per concept; every message is a sentence that names the place."""

from __future__ import annotations


class MrvError(Exception):
    """Base of every error the engine raises on purpose.

    ``where`` names the place: a file with its line, a JSON path, a ruleset id.
    """

    exit_code = 1

    def __init__(self, message: str, where: str | None = None):
        self.message = message
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


class RulesetError(MrvError):
    """A ruleset file is malformed, inconsistent or unsafe."""


class FormulaError(RulesetError):
    """A formula in a ruleset cannot be accepted (syntax, sandbox, names, units, cycles)."""


class UnitError(MrvError):
    """A unit is unknown or of the wrong dimension."""


class SelectionError(MrvError):
    """No ruleset (or more than one) governs the asked sector and year."""


class SectorNotFound(MrvError):
    """The sector id names no loaded plugin.

    Raised for a sector named on the command line or to the API, a usage error (exit 2);
    a submission's unknown sector is an :class:`InputError` finding at ``$.sector``.
    """

    exit_code = 2


class PluginLoadError(MrvError):
    """A sector plugin failed to import or broke a hook contract."""


class InputError(MrvError):
    """The submission is not readable or not valid; ``findings`` lists every problem."""

    def __init__(self, message: str, findings: list | None = None, where: str | None = None):
        super().__init__(message, where)
        self.findings = findings or []
