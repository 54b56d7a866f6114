"""Flat glass: a sector written entirely as data (``rulesets/glass/*.yaml``).

Base pages: carbonate decomposition per melting furnace (factor, purity,
calcination fraction) and carbon powder in the batch; cullet carries no process
emission. Supplementary table: per melting furnace, per tonne of glass. See the
cement plugin's docstring for how a sector is laid out.
"""

from mrv_engine.plugin import DataSector, bundled_rulesets

plugin = DataSector("glass", "平板玻璃", "Flat glass", bundled_rulesets("glass"), guidelines=[
    {"title": "中国平板玻璃生产企业温室气体排放核算方法与报告指南（试行）"},
])
