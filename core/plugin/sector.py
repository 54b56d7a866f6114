"""What a sector plugin registers, and the data-driven plugin most sectors need."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .markers import hookimpl


class Guideline(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    number: str = ""


class SectorInfo(BaseModel):
    """A sector as a plugin registers it."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str
    name_en: str
    guidelines: list[Guideline] = []
    #: Folder holding the sector's ruleset YAML files.
    rulesets: object = Field(exclude=True)

    @field_validator("rulesets")
    @classmethod
    def _folder(cls, value):
        if not isinstance(value, Traversable) and not hasattr(value, "iterdir"):
            raise ValueError("rulesets must be a folder (a pathlib.Path or importlib.resources Traversable)")
        return value


def bundled_rulesets(sector_id: str) -> Traversable:
    """The folder of a built-in sector's rulesets inside mrv-engine."""
    return resources.files("mrv_engine").joinpath("rulesets", sector_id)


class DataSector:
    """A sector plugin whose pages, boundary and tables all come from its rulesets.

    Most sectors are this and nothing else: their module creates one instance and
    the entry point names it. Subclass and override a hook only where data cannot say it.
    """

    def __init__(self, id: str, name_zh: str, name_en: str, rulesets, guidelines=(), checks=None):
        self.info = dict(id=id, name_zh=name_zh, name_en=name_en, rulesets=rulesets,
                         guidelines=[dict(g) for g in guidelines])
        self.id = id
        self.checks = dict(checks or {})

    @hookimpl
    def mrv_register_sectors(self, register):
        register(SectorInfo(**self.info))

    @hookimpl
    def mrv_boundary(self, sector, ruleset):
        if sector != self.id:
            return None
        return ruleset.data.get("boundary", {})

    @hookimpl
    def mrv_process_pages(self, sector, ruleset):
        if sector != self.id:
            return None
        return [p for p in ruleset.pages if p["role"] in ("base", "supplement")]

    @hookimpl
    def mrv_supplementary_tables(self, sector, ruleset):
        if sector != self.id:
            return None
        return [p for p in ruleset.pages if p["role"] == "supplementary"]

    @hookimpl
    def mrv_checks(self, sector, register):
        if sector != self.id:
            return
        for code, check in self.checks.items():
            register(code, check)
