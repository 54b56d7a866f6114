-- mrv batch: allocation benchmarks beside each unit's intensity (issue 17, mrv screen). Applied once, in one
-- transaction, by mrv_engine.batch.store.migrate, which then sets PRAGMA user_version = 2; never changes.
-- A document stored before this migration has no rows here until it is computed again (a changed file, or
-- new rules); mrv screen compares what it finds.

CREATE TABLE benchmarks (
    document_id    INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    place          TEXT NOT NULL,                    -- the intensity figure's JSON path (figures.place)
    benchmark_name TEXT NOT NULL,                    -- the plan's figure: b_power, b_heat ...
    unit_key       TEXT,                             -- the unit, as the plan keys units
    category       TEXT NOT NULL,                    -- the unit's allocation category
    category_zh    TEXT NOT NULL,
    category_en    TEXT NOT NULL,
    benchmark      TEXT NOT NULL,                    -- exact decimal, in unit
    unit           TEXT NOT NULL,                    -- tCO2/MWh, tCO2/GJ ...
    plan           TEXT NOT NULL,                    -- allocation plan id
    verified       INTEGER NOT NULL,                 -- 0: the plan ships the benchmark verified: false
    citation       TEXT NOT NULL,
    PRIMARY KEY (document_id, place, benchmark_name)
) WITHOUT ROWID;
