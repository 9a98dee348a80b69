-- 订单后续执行跟踪 (#17): once an opportunity is 已签约 its order's milestones — 开通, 验收, 回款
-- by default, and any the team adds — with planned and actual dates, an amount for 回款, a
-- status and a note; and the history of every change to them.

CREATE TABLE order_milestones (
    id             INTEGER PRIMARY KEY,
    opportunity_id INTEGER NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN ('activation', 'acceptance', 'payment', 'custom')),
    -- The name a user gave a custom one (empty for the defaults, named by their kind).
    name           TEXT NOT NULL DEFAULT '',
    planned_on     TEXT,
    actual_on      TEXT,
    amount_fen     INTEGER,
    status         TEXT NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'in_progress', 'done', 'cancelled')),
    note           TEXT NOT NULL DEFAULT '',
    revision       INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL
);
CREATE INDEX order_milestones_opportunity ON order_milestones (opportunity_id, id);
-- Overdue ones: open, planned before today, oldest first.
CREATE INDEX order_milestones_planned ON order_milestones (planned_on, id);

CREATE TABLE milestone_history (
    id             INTEGER PRIMARY KEY,
    opportunity_id INTEGER NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
    milestone_id   INTEGER NOT NULL,
    user_id        INTEGER NOT NULL REFERENCES users (id),
    action         TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    -- JSON: [[field, before, after], …].
    changes        TEXT NOT NULL,
    at             TEXT NOT NULL
);
CREATE INDEX milestone_history_opportunity ON milestone_history (opportunity_id, id);

-- Orders signed before this release get the three default milestones.
INSERT INTO order_milestones (opportunity_id, kind, created_at)
SELECT o.id, k.kind, o.updated_at
FROM opportunities o
CROSS JOIN (SELECT 'activation' AS kind UNION ALL SELECT 'acceptance' UNION ALL SELECT 'payment') k
WHERE o.status = 'signed';
