"""The one ruleset differ: what changes between two rule versions, and its effect on a submission.

Used by ``mrv diff`` (:func:`.differ.diff`) and by the methodology pages' change list
(:mod:`mrv_engine.core.maintain.docs`), so the two can never disagree.

May import: :mod:`mrv_engine.core.output` and the layers below it; not :mod:`mrv_engine.core.verify`.
"""
