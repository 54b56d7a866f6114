"""Power grids (电网): SF6 from equipment repair and retirement, and CO2 of transmission and
distribution losses, as data in ``rulesets/grid/*.yaml``. The guideline counts nothing else,
so the ruleset replaces the host's energy pages.
"""

from mrv_engine.plugin import DataSector, bundled_rulesets

plugin = DataSector("grid", "电网", "Power grids", bundled_rulesets("grid"), guidelines=[
    {"title": "中国电网企业温室气体排放核算方法与报告指南（试行）", "number": "发改办气候〔2013〕2526号"},
    {"title": "温室气体排放核算与报告要求 第2部分：电网企业", "number": "GB/T 32151.2-2015"},
])
