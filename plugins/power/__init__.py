"""Power generation facilities (发电设施), sector ``power``.

Pages, formulas, defaults, decimals and grid factors live in the rulesets
(``rulesets/power/*.yaml``, one per governing document). This module only
registers them and adds the checks that data cannot express: merged units
(合并填报) and the report's units against the plan (:mod:`.checks`).
"""

from mrv_engine.plugin import DataSector, bundled_rulesets

from .checks import CHECKS

plugin = DataSector("power", "发电设施", "Power generation facilities", bundled_rulesets("power"), guidelines=[
    {"title": "企业温室气体排放核算方法与报告指南 发电设施", "number": "环办气候〔2021〕9号"},
    {"title": "企业温室气体排放核算方法与报告指南 发电设施（2022年修订版）", "number": "环办气候函〔2022〕111号"},
    {"title": "企业温室气体排放核算与报告指南 发电设施", "number": "环办气候函〔2022〕485号"},
], checks=CHECKS)
