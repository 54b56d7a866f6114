"""Pulp and paper (造纸和纸制品): purchased-limestone decomposition and anaerobic wastewater CH4.

Pages, defaults and the GWP set live in ``rulesets/paper/*.yaml``.
"""

from mrv_engine.plugin import DataSector, bundled_rulesets

plugin = DataSector("paper", "造纸和纸制品", "Pulp and paper", bundled_rulesets("paper"), guidelines=[
    {"title": "造纸和纸制品生产企业温室气体排放核算方法与报告指南（试行）"},
])
