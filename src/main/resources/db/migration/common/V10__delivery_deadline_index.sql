-- The dispatcher takes queued deliveries earliest deadline first, LIMIT a batch. With only
-- deliveries(state, next_attempt_at) the database sorts every queued row on each pass (a province's wave
-- is 14,400 rows); in deadline order it reads just the batch.
CREATE INDEX deliveries_due ON deliveries(state, due_at);
