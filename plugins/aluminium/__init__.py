"""Electrolytic aluminium (电解铝): anode consumption, anode-effect PFCs, limestone.

All pages, defaults and the GWP set live in ``rulesets/aluminium/*.yaml``, one
file per guideline edition (NDRC 2013 trial; MEE 2024 CETS-AG-04.01-V01-2024).
"""

from mrv_engine.plugin import DataSector, bundled_rulesets

plugin = DataSector("aluminium", "电解铝", "Electrolytic aluminium", bundled_rulesets("aluminium"), guidelines=[
    {"title": "中国电解铝生产企业温室气体排放核算方法与报告指南（试行）", "number": "发改办气候〔2013〕2526号"},
    {"title": "企业温室气体排放核算与报告填报说明 铝冶炼（关于做好2023—2025年部分重点行业企业温室气体排放报告与核查工作的通知 附件）"},
    {"title": "企业温室气体排放核算与报告指南 铝冶炼行业", "number": "CETS—AG—04.01—V01—2024"},
])
