"""The host's own pages (energy pages and the general page), as sector ``general``.

Enterprises of a sector without a plugin report under this id: energy pages +
general page. Every other sector is composed on top of these pages.
"""

from mrv_engine.plugin import DataSector, bundled_rulesets

plugin = DataSector("general", "通用（其他行业）", "General (sectors without a plugin)", bundled_rulesets("general"), guidelines=[
    {"title": "工业其他行业企业温室气体排放核算方法与报告指南（试行）"},
])
