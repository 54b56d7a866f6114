"""One exception per concept; every message is a sentence that names the place."""

from __future__ import annotations

from .findings import Finding


class MrvError(Exception):
    """Base of every error the engine raises on purpose.

    ``where`` names the place: a file with its line, a JSON path, a ruleset id.
    """

    exit_code = 1
    #: The finding code this error becomes (docs/findings.md); a raise site may name a finer one.
    code = "input"

    def __init__(self, message: str, where: str | None = None, code: str | None = None, message_zh: str = ""):
        self.message = message
        #: the message in Chinese; empty where a raise site gives only English (text() falls back)
        self.message_zh = message_zh
        self.where = where
        if code is not None:
            self.code = code
        super().__init__(f"{where}: {message}" if where else message)

    def text(self, lang: str = "en") -> str:
        """The message with its place, in ``lang`` (Chinese falls back to English where none was given)."""
        message = (self.message_zh or self.message) if lang == "zh" else self.message
        return f"{self.where}: {message}" if self.where else message


class RulesetError(MrvError):
    """A ruleset file is malformed, inconsistent or unsafe."""

    code = "ruleset"


class FormulaError(RulesetError):
    """A formula in a ruleset cannot be accepted (syntax, sandbox, names, units, cycles)."""

    code = "formula"


class UnitError(MrvError):
    """A unit is unknown or of the wrong dimension."""

    code = "unit"


class SelectionError(MrvError):
    """No ruleset (or more than one) governs the asked sector and year."""


class SectorNotFound(MrvError):
    """The sector id names no loaded plugin.

    Raised for a sector named on the command line or to the API, a usage error (exit 2);
    a submission's unknown sector is an :class:`InputError` finding at ``$.sector``.
    """

    exit_code = 2
    code = "unknown_sector"


class PluginLoadError(MrvError):
    """A sector plugin failed to import or broke a hook contract."""

    code = "plugin"


class OutputError(MrvError):
    """An output file cannot be written (its folder does not exist, no permission, a full disk);
    a usage error (exit 2), and whatever was at the path before is left as it was."""

    exit_code = 2
    code = "output"


class InputError(MrvError):
    """The submission is not readable or not valid; ``findings`` lists every problem."""

    def __init__(self, message: str, findings: list | None = None, where: str | None = None, code: str | None = None,
                 message_zh: str = ""):
        super().__init__(message, where, code, message_zh)
        #: every problem, each a :class:`~mrv_engine.core.base.findings.Finding`
        self.findings = findings or []

    def all_findings(self) -> list:
        """:attr:`findings`, or this error itself as one finding when it lists none (an unreadable file)."""
        if self.findings:
            return list(self.findings)
        return [Finding(self.code, self.where or "$", self.message, self.message_zh)]
