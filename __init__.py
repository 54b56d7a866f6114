"""mrv-engine: a plugin-based rules engine for China's GHG MRV sector methodologies.

The public API is :class:`mrv_engine.Engine`; it is imported on first use so
that ``import mrv_engine`` stays light.
"""

__all__ = ["Engine", "MrvError", "InputError"]


def __getattr__(name):
    if name == "Engine":
        from .core.api import Engine

        return Engine
    if name in ("MrvError", "InputError", "RulesetError", "SelectionError", "PluginLoadError"):
        from .core import errors

        return getattr(errors, name)
    raise AttributeError(name)
