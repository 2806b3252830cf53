-- The dashboard's aggregates read the stats_* tables now (008), not the
-- team's attempts: the two indexes that served those scans only cost every
-- submission two more inserts. A learner's own pages read their attempts
-- through attempts_user_at, a few dozen rows each.
DROP INDEX attempts_user_item_at;
DROP INDEX attempts_user_triage;
