"""Petroleum refining (石油炼制) and ethylene (乙烯): the sector composed as base page + sector supplement pages + general page.

Ethylene, the petrochemical sub-sector beside crude-oil refining, is a second supplement
page (cracking-furnace decoking, on units registered on the base page) and its own
supplementary data table, in the same ruleset.

Pages and defaults live in ``rulesets/refining/*.yaml`` (湖北省温室气体监测报告管理系统 (the Hubei reporting system): 石油行业 =
行业基本工艺计算页面 + 行业补充计算页面 + 通用计算页面).
"""

from mrv_engine.plugin import DataSector, bundled_rulesets

plugin = DataSector("refining", "石油炼制", "Petroleum refining", bundled_rulesets("refining"), guidelines=[
    {"title": "中国石油化工企业温室气体排放核算方法与报告指南（试行）", "number": "发改办气候〔2014〕2920号（第二批）"},
    {"title": "温室气体排放核算与报告要求 第15部分：石油化工企业", "number": "GB/T 32151.15-2023"},
])
