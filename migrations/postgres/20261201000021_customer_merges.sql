-- 合并 (#16): where a merged customer's old address leads (the survivor; kept pointing at the
-- last survivor when that one is merged in turn).

CREATE TABLE customer_merges (
    merged_id   BIGINT PRIMARY KEY,
    survivor_id BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    merged_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX customer_merges_survivor ON customer_merges (survivor_id);
