-- 商机评估 (#18): the manual's checklists answered on an opportunity (是 / 否 / 不清楚 with a
-- note each), the score and the suggestion they give, kept per opportunity and changed on the
-- revision read.

CREATE TABLE opportunity_evaluations (
    opportunity_id BIGINT PRIMARY KEY REFERENCES opportunities (id) ON DELETE CASCADE,
    -- JSON: [[question, "yes" | "no" | "unknown" | null, note], …] in the manual's order.
    answers        TEXT NOT NULL,
    score          BIGINT NOT NULL CHECK (score BETWEEN 0 AND 100),
    suggestion     TEXT NOT NULL CHECK (suggestion IN ('follow', 'drop')),
    revision       BIGINT NOT NULL DEFAULT 1,
    updated_by     BIGINT NOT NULL REFERENCES users (id),
    updated_at     TIMESTAMPTZ NOT NULL
);
-- 商机管理 filtered by the suggestion.
CREATE INDEX opportunity_evaluations_suggestion ON opportunity_evaluations (suggestion, opportunity_id);
