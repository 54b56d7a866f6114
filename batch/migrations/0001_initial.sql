-- mrv batch: the first schema. Applied once, in one transaction, by mrv_engine.batch.store.migrate,
-- which then sets PRAGMA user_version = 1. A later change is a new file 0002_*.sql; this one never changes.
-- Figures are exact decimals kept as TEXT (value); value_real is a binary copy for sorting and statistics only.

CREATE TABLE runs (
    id                INTEGER PRIMARY KEY,
    started_at        TEXT NOT NULL,                 -- UTC, ISO 8601
    finished_at       TEXT,                          -- NULL while running, or when the run was killed
    status            TEXT NOT NULL CHECK (status IN ('running', 'done', 'interrupted')),
    engine_version    TEXT NOT NULL,
    options           TEXT NOT NULL,                 -- JSON: inputs, jobs, verify
    documents_seen    INTEGER NOT NULL DEFAULT 0,    -- input files found
    documents_done    INTEGER NOT NULL DEFAULT 0,    -- processed (written) by this run
    documents_skipped INTEGER NOT NULL DEFAULT 0     -- already in the database with the same content and rules
);

CREATE TABLE documents (
    id                 INTEGER PRIMARY KEY,
    path               TEXT NOT NULL UNIQUE,         -- as given on the command line, resolved against the working directory
    content_hash       TEXT NOT NULL,                -- sha256 of the file's bytes
    size               INTEGER NOT NULL,             -- bytes
    run_id             INTEGER NOT NULL REFERENCES runs (id),
    status             TEXT NOT NULL CHECK (status IN ('ok', 'refused', 'failed')),
    verified           INTEGER NOT NULL,             -- 1: verified (mrv batch --verify); 0: calculated only
    sector             TEXT,
    year               INTEGER,
    enterprise         TEXT,                         -- enterprise.name
    enterprise_key     TEXT,                         -- enterprise.credit_code, else the name: one enterprise across years
    province           TEXT,
    ruleset_id         TEXT,                         -- the sector's rule version
    general_ruleset_id TEXT,                         -- the general pages' rule version
    ruleset_hash       TEXT,                         -- sha256 over both rulesets' sha256 (resume key with content_hash)
    total_co2e         TEXT,                         -- tCO2e, exact
    errors             INTEGER NOT NULL DEFAULT 0,   -- findings by severity
    must_correct       INTEGER NOT NULL DEFAULT 0,
    warnings           INTEGER NOT NULL DEFAULT 0,
    observations       INTEGER NOT NULL DEFAULT 0,
    defaults_used      INTEGER NOT NULL DEFAULT 0,   -- input fields filled from a default value of the rules
    unverified_used    TEXT NOT NULL DEFAULT '[]'    -- JSON list of unconfirmed parameters the calculation used
);
CREATE INDEX documents_sector_year ON documents (sector, year);
CREATE INDEX documents_enterprise ON documents (enterprise_key, year);

CREATE TABLE figures (
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    place       TEXT NOT NULL,                       -- JSON path: $.pages.PAGE[ROW].NAME, $.pages.PAGE.summaries..., $.totals.X
    page        TEXT,
    row         INTEGER,
    name        TEXT NOT NULL,                       -- field or formula id (the last part of place)
    kind        TEXT NOT NULL,                       -- formula | summary | field | total
    value       TEXT NOT NULL,                       -- exact decimal
    value_real  REAL,
    unit        TEXT,
    decimals    INTEGER,                             -- rounding the rules apply (half up), NULL when none
    source      TEXT,                                -- input | measured | default | parameter | substituted | computed ...
    emission    INTEGER NOT NULL DEFAULT 0,          -- 1: an emission (counts towards a total)
    PRIMARY KEY (document_id, place)
) WITHOUT ROWID;
CREATE INDEX figures_name ON figures (name, unit);

CREATE TABLE labels (                            -- what a figure is called, for people reading the figures
    sector   TEXT NOT NULL,
    page     TEXT NOT NULL,                          -- '' for totals
    name     TEXT NOT NULL,
    label_zh TEXT NOT NULL,
    label_en TEXT NOT NULL,
    PRIMARY KEY (sector, page, name)
) WITHOUT ROWID;

CREATE TABLE totals (
    document_id   INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    dimension     TEXT NOT NULL CHECK (dimension IN ('category', 'gas')),
    key           TEXT NOT NULL,                     -- energy_direct_stationary ... | CO2, CH4, N2O, CF4 ...
    co2e          TEXT NOT NULL,                     -- tCO2e, exact
    mass          TEXT,                              -- t of the gas (dimension gas)
    share_percent TEXT,                              -- share of the total (dimension category)
    PRIMARY KEY (document_id, dimension, key)
) WITHOUT ROWID;

CREATE TABLE findings (
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,                    -- order in the engine's output
    code        TEXT NOT NULL,                       -- docs/findings.md
    severity    TEXT NOT NULL,                       -- error | must_correct | warning | observation
    place       TEXT NOT NULL,                       -- JSON path into the document, or file:line
    message     TEXT NOT NULL,                       -- English
    message_zh  TEXT NOT NULL,
    origin      TEXT NOT NULL,                       -- host, or the sector plugin
    citation    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (document_id, seq)
) WITHOUT ROWID;
CREATE INDEX findings_code ON findings (code);
