"""The ``mrv_checks`` contract, enforced here and nowhere else.

A sector plugin registers its own checks through the hook ``mrv_checks``:
``register(code, check)``. ``check(result)`` receives a calculated result (the figures,
rows and pages of one submission) and returns an iterable of findings, each either a
:class:`~mrv_engine.core.base.findings.Finding` or a dict with the keys

=============  ===========================================================================
``code``       stable code of what was found (default: the code the check was registered
               under); shown as ``<sector>.<code>`` in verification reports
``severity``   ``error`` (the default: the submission is refused, as a core finding would
               refuse it), ``must_correct``, ``warning`` or ``observation``
``place``      JSON path into the submission (default ``$``)
``message``    English text, or ``{"zh": ..., "en": ...}``
``message_zh`` Chinese text (when ``message`` is English text)
``rule``       the rule applied, ``{"zh": ..., "en": ...}`` or one text
``citation``   the document and clause of the rule
``data``       machine-readable details
=============  ===========================================================================

A check that raises, or returns something that breaks this contract, does not stop
anything: it becomes the finding ``plugin.check_failed`` naming the plugin and the check,
and the other checks still run. Calculation and verification both run checks through
:func:`run_checks`, so they treat a plugin alike.
"""

from __future__ import annotations

from dataclasses import replace

from ..base.findings import SEVERITIES, Finding

_KEYS = {"code", "severity", "place", "message", "message_zh", "rule", "citation", "data"}


class ContractError(ValueError):
    """A check returned something the contract does not allow."""


def to_finding(raw, code: str, origin: str) -> Finding:
    """One finding of a check registered as ``code`` by plugin ``origin``, checked against the contract."""
    if isinstance(raw, Finding):  # the plugin is its origin, whatever the check wrote
        return raw if raw.origin == origin else replace(raw, origin=origin)
    if not isinstance(raw, dict):
        raise ContractError(f"returned {type(raw).__name__} {raw!r}, not a finding (a dict or Finding)")
    unknown = set(raw) - _KEYS
    if unknown:
        raise ContractError(f"returned a finding with unknown key(s) {', '.join(sorted(unknown))}")
    severity = raw.get("severity", "error")
    if severity not in SEVERITIES:
        raise ContractError(f"returned severity {severity!r}, not one of {', '.join(SEVERITIES)}")
    message = raw.get("message", "")
    if isinstance(message, dict):
        en, zh = str(message.get("en", "")), str(message.get("zh", ""))
    else:
        en, zh = str(message), str(raw.get("message_zh", ""))
    rule = raw.get("rule")
    if rule is not None and not isinstance(rule, dict):
        rule = {"zh": str(rule), "en": str(rule)}
    return Finding(str(raw.get("code") or code), str(raw.get("place", "$")), en, zh, severity,
                   rule or None, str(raw.get("citation", "")), origin, dict(raw.get("data") or {}))


def failed(plugin: str, code: str, why: str, why_zh: str = "") -> Finding:
    """The finding that stands for a check that raised or broke the contract."""
    return Finding(
        "plugin.check_failed", "$",
        f"check {code!r} of sector plugin {plugin!r} failed: {why}",
        f"扩展核查项 {code}（插件 {plugin}）运行失败：{why_zh or why}",
        "warning", {"zh": "扩展核查项运行失败", "en": "A plugin check failed"}, "", plugin,
    )


def run_checks(checks: list[tuple[str, object]], plugin: str, result) -> list[Finding]:
    """Every finding of ``checks`` ((code, check) pairs of ``plugin``) on ``result``, each isolated."""
    out: list[Finding] = []
    for code, check in checks:
        try:
            found = [to_finding(raw, code, plugin) for raw in (check(result) or [])]
        except ContractError as exc:
            out.append(failed(plugin, code, str(exc)))
        except Exception as exc:  # noqa: BLE001 - a plugin's bug is reported as a finding, never a traceback
            out.append(failed(plugin, code, f"{type(exc).__name__}: {exc}", str(exc)))
        else:
            out.extend(found)
    return out
