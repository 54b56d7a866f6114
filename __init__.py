"""mrv-engine: a plugin-based rules engine for China's GHG MRV sector methodologies.

The public API, all importable from ``mrv_engine``:

* :class:`Engine` - sectors, rulesets, forms, validation, calculation, trace,
  verification, rule-version diffs and rendering; allocation plans, allocation
  (``Engine.allocate``), the surrender obligation (``Engine.comply``) and the compliance
  calendar (``Engine.calendar``), whose results are :class:`Allocation`,
  :class:`Compliance` and :class:`Calendar` (plans: :class:`Plan`);
* :func:`load_document`, :func:`load_json_text`, :func:`parse_document`, :func:`write_atomic`,
  :func:`to_json` - reading submissions (JSON, YAML or a filled ``mrv template`` workbook,
  from a file or from bytes such as an HTTP body, with the place of a problem; JSON numbers
  as exact decimals; bounded by :data:`LIMITS`) and writing output files that are never
  half-written; :func:`read_workbook` - a workbook read with the cell of every JSON path
  (``.locate(place)``) and its warnings;
* :data:`LIMITS` - every bound on what the engine reads (bytes, entries, depth, YAML nodes and
  aliases, a figure's characters, digits and exponent), by name;
* :func:`findings_text` (findings as readable lines, repeated ones grouped) and :func:`fit`
  (text wrapped to 100 columns), for programs that show results to people; :func:`severity_text`
  and :func:`code_text` (a severity, a finding code's meaning, in Chinese or English);
* the errors :class:`MrvError` (base), :class:`InputError` (carries
  ``.findings``), :class:`RulesetError`, :class:`SelectionError`,
  :class:`PluginLoadError`, :class:`OutputError`.

Everything is imported on first use, so ``import mrv_engine`` stays light.
"""

__all__ = [
    "Engine", "load_document", "load_json_text", "parse_document", "read_workbook", "write_atomic", "to_json", "findings_text", "fit",
    "severity_text", "code_text",
    "LIMITS", "MrvError", "InputError", "RulesetError", "SelectionError", "PluginLoadError", "OutputError",
    "Allocation", "Compliance", "Calendar", "Plan",
]

_ERRORS = {"MrvError", "InputError", "RulesetError", "SelectionError", "PluginLoadError", "SectorNotFound", "OutputError"}
_IO = {"load_json_text", "parse_document", "write_atomic", "to_json"}
_READ = {"load_document", "read_workbook", "is_workbook"}
_COMPLIANCE = {"Allocation": "allocate", "Compliance": "comply", "Calendar": "calendar", "Plan": "plans"}


def __getattr__(name):
    if name == "Engine":
        from .core.api import Engine

        return Engine
    if name in _ERRORS:
        from .core.base import errors

        return getattr(errors, name)
    if name in _READ:
        # a workbook goes through core.workbook's reader, JSON and YAML through core.base's
        from .core.workbook import read

        return getattr(read, name)
    if name in _COMPLIANCE:
        from importlib import import_module

        return getattr(import_module(f".core.compliance.{_COMPLIANCE[name]}", __name__), name)
    if name == "LIMITS":
        from .core.base import documents, numbers

        return {**documents.LIMITS, **{k: getattr(numbers, k) for k in numbers.LIMITS}}
    if name in _IO:
        from .core.base import documents as yamlio

        return getattr(yamlio, name)
    if name == "findings_text":
        from .core.output.findings import findings_text

        return findings_text
    if name in ("severity_text", "code_text"):
        from .core.base import findings

        return getattr(findings, name)
    if name == "fit":
        from .core.output.text import fit

        return fit
    raise AttributeError(name)
