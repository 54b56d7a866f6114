"""Chemical production (化工): a sector written entirely as data.

Everything is in ``rulesets/chemicals/*.yaml``: the feedstock carbon balance of the
guideline's formula (8), carbonates and CO2 recovered (base page), N2O from nitric and
adipic acid (a second base page), and the MEE supplementary data tables of the ETS
sub-sectors (calcium carbide, ammonia, methanol, soda ash) with the ammonia:methanol
split as cited parameters. The host adds its energy pages and its general page.
"""

from mrv_engine.plugin import DataSector, bundled_rulesets

plugin = DataSector("chemicals", "化工", "Chemical production", bundled_rulesets("chemicals"), guidelines=[
    {"title": "中国化工生产企业温室气体排放核算方法与报告指南（试行）", "number": "发改办气候〔2013〕2526号"},
    {"title": "温室气体排放核算与报告要求 第10部分：化工生产企业", "number": "GB/T 32151.10-2015"},
])
