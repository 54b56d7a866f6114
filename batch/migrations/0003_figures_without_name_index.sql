-- mrv batch: the figures table loses its index on (name, unit) (issue 17, throughput). Applied once, in one
-- transaction, by mrv_engine.batch.store.migrate, which then sets PRAGMA user_version = 3; never changes.
-- Keeping that index up to date was half of the writer's time (about 0.8 ms of every report's 1.7 ms at
-- 10,000 reports), and the writer is the one part of a batch that does not run in parallel. mrv screen
-- never used it (its queries select by kind and unit over every row); a reader who looks figures up by
-- name often adds it once the batch is done, in about a second per million figures (2 s for the 2.2 million of 10,000 reports):
--     CREATE INDEX IF NOT EXISTS figures_name ON figures (name, unit);

DROP INDEX IF EXISTS figures_name;
