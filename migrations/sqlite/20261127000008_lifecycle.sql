-- The rest of an opportunity's life: its stage history (阶段处理), 签约信息 and 终止原因. One
-- row of each per opportunity: a returned step keeps what was typed for the resubmission.

CREATE TABLE stage_history (
    id             INTEGER PRIMARY KEY,
    opportunity_id INTEGER NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
    from_stage     TEXT NOT NULL,
    to_stage       TEXT NOT NULL,
    actor_id       INTEGER NOT NULL REFERENCES users (id),
    at             TEXT NOT NULL
);
CREATE INDEX stage_history_opportunity ON stage_history (opportunity_id, id);

CREATE TABLE signings (
    opportunity_id INTEGER PRIMARY KEY REFERENCES opportunities (id) ON DELETE CASCADE,
    contract_no    TEXT NOT NULL,
    amount_fen     INTEGER NOT NULL CHECK (amount_fen > 0),
    signed_on      TEXT NOT NULL,
    term           TEXT,
    notes          TEXT,
    updated_at     TEXT NOT NULL
);
CREATE INDEX signings_signed_on ON signings (signed_on);

CREATE TABLE terminations (
    opportunity_id INTEGER PRIMARY KEY REFERENCES opportunities (id) ON DELETE CASCADE,
    reason_id      INTEGER NOT NULL REFERENCES dict_items (id),
    competitor_id  INTEGER REFERENCES dict_items (id),
    reason_text    TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
