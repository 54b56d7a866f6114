"""Iron & steel: a sector written entirely as data (``rulesets/steel/*.yaml``).

Base pages: the process carbon balance (fluxes, electrodes, purchased
carbon-bearing materials in; carbon fixed in products and by-products out),
checked so that carbon leaving never exceeds carbon entering. Supplementary
table: per crude-steel process route (BF-BOF, EAF). See the cement plugin's
docstring for how a sector is laid out.
"""

from mrv_engine.plugin import DataSector, bundled_rulesets

plugin = DataSector("steel", "钢铁", "Iron and steel", bundled_rulesets("steel"), guidelines=[
    {"title": "中国钢铁生产企业温室气体排放核算方法与报告指南（试行）"},
    {"title": "企业温室气体排放核算与报告填报说明 钢铁生产（关于做好2023—2025年部分重点行业企业温室气体排放报告与核查工作的通知 附件）"},
    {"title": "企业温室气体排放核算与报告指南 钢铁行业", "number": "CETS-AG-03.01-V01-2024"},
])
