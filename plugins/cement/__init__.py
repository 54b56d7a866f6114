"""Cement (clinker production): a sector written entirely as data.

Everything a maintainer needs is in ``rulesets/cement/*.yaml``, one file per
guideline edition, selected by reporting year:

- boundary: the legal entity for the emission report, the clinker production
  line for the supplementary data table (what is in and out is listed there);
- base pages: the guideline's process emissions (clinker decomposition, kiln and
  bypass dust, non-fuel carbon in raw meal under the 2013 guideline; default
  clinker factors minus substitute-material deductions under the 2024 one); the
  host adds its energy pages before them and its general page after them;
- supplementary tables: per clinker line, with the national grid average
  electricity factor (Q&A 38-40), never counted in the report's totals.

Later sectors should be written the same way: a ``DataSector`` here, figures
with citations and ``verified: false`` where unconfirmed in the YAML.
"""

from mrv_engine.plugin import DataSector, bundled_rulesets

plugin = DataSector("cement", "水泥（熟料生产）", "Cement (clinker production)", bundled_rulesets("cement"), guidelines=[
    {"title": "中国水泥生产企业温室气体排放核算方法与报告指南（试行）"},
    {"title": "企业温室气体排放核算与报告填报说明 水泥熟料生产（关于做好2023—2025年部分重点行业企业温室气体排放报告与核查工作的通知 附件）"},
    {"title": "企业温室气体排放核算与报告指南 水泥行业", "number": "CETS-AG-02.01-V01-2024"},
])
