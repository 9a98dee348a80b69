-- 报价 (#17): versions of a quote on an opportunity, each with its lines. Amounts are integers
-- (数量 × 100, fen, 折扣 % × 100); a line's total is rounded half up once, and a version's
-- total is the sum of its lines. Only the newest version, while not sent, is changed.

CREATE TABLE quotes (
    id             INTEGER PRIMARY KEY,
    opportunity_id INTEGER NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
    version_no     INTEGER NOT NULL,
    total_fen      INTEGER NOT NULL DEFAULT 0,
    -- 已发送: the day it went to the customer (one version of an opportunity at a time).
    sent_on        TEXT,
    -- An edit is saved only on the revision it was read at.
    revision       INTEGER NOT NULL DEFAULT 1,
    created_by     INTEGER NOT NULL REFERENCES users (id),
    created_at     TEXT NOT NULL,
    UNIQUE (opportunity_id, version_no)
);

CREATE TABLE quote_lines (
    quote_id       INTEGER NOT NULL REFERENCES quotes (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    item           TEXT NOT NULL,
    quantity_centi INTEGER NOT NULL CHECK (quantity_centi > 0),
    unit_price_fen INTEGER NOT NULL CHECK (unit_price_fen >= 0),
    discount_bp    INTEGER NOT NULL CHECK (discount_bp BETWEEN 0 AND 10000),
    total_fen      INTEGER NOT NULL,
    PRIMARY KEY (quote_id, position)
);
