"""Civil aviation (民航: airlines, general aviation, airports), written the way a third party
would write it: the rulesets ship inside this package (``rulesets/``), found with
``importlib.resources`` as an installed plugin finds its own, and ``mrv_engine.plugin`` is
the only module of mrv-engine it imports.

Pages and defaults are data (``rulesets/aviation-*.yaml``, from the guideline's own text).
What data cannot say is Python: the guideline's rule that only its own default figures may
stand in for a measured one, enforced by the plugin API's ready-made check
:func:`~mrv_engine.plugin.refuse_unverified_defaults` (a calculation resting on a figure not
confirmed from the document is refused unless the submission supplies the figure).
"""

from importlib import resources

from mrv_engine.plugin import DataSector, refuse_unverified_defaults

plugin = DataSector(
    id="aviation",
    name_zh="民用航空",
    name_en="Civil aviation",
    rulesets=resources.files(__name__).joinpath("rulesets"),
    guidelines=[
        {"title": "中国民用航空企业温室气体排放核算方法与报告指南（试行）", "number": "发改办气候〔2013〕2526号 附件10"},
        {"title": "温室气体排放核算与报告要求 第6部分：民用航空企业", "number": "GB/T 32151.6-2015"},
    ],
    checks={"unverified_default": refuse_unverified_defaults},
)
