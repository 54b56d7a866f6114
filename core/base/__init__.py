"""The foundation every layer stands on: exact numbers, errors, the one Finding, documents.

- :mod:`.numbers` exact decimals and round half up (四舍五入);
- :mod:`.errors` one exception per concept, each carrying the finding code it becomes;
- :mod:`.findings` the :class:`~.findings.Finding` every check reports and the documented list of codes;
- :mod:`.documents` reading JSON and YAML with the line of every value, writing files atomically.

May import: the standard library and third-party libraries only, nothing else of mrv_engine.
"""
