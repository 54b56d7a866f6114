"""The verifier's toolkit: recompute under the year's rules, compare what was reported, check.

- :mod:`.recompute` :func:`~.recompute.verify` and the :class:`~.recompute.VerificationReport`;
- :mod:`.compare` reported against recomputed figures, at the reported decimals;
- :mod:`.context` what every check sees; :mod:`.checks` the host's common checks and their rules;
- :mod:`.render` the report as text, Markdown and one self-contained HTML page.

May import: :mod:`mrv_engine.core.output` and the layers below it; not :mod:`mrv_engine.core.diff`.
"""
