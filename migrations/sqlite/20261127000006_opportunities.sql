-- Opportunities (商机), their customers and competitors, the approval tasks (任务), the
-- approval record (审批记录), messages (待阅消息) and opportunity shares. Amounts are whole fen.

CREATE TABLE opportunities (
    id                  INTEGER PRIMARY KEY,
    name                TEXT NOT NULL,
    business_type_id    INTEGER NOT NULL REFERENCES dict_items (id),
    -- 商机级别 and 归属 follow the filer's org unit; city_id is kept for scope queries.
    level               TEXT NOT NULL CHECK (level IN ('city', 'province')),
    org_unit_id         INTEGER NOT NULL REFERENCES org_units (id),
    city_id             INTEGER REFERENCES org_units (id),
    -- The primary customer's 行业 (行业总监 scope and signing routes).
    industry_id         INTEGER NOT NULL REFERENCES dict_items (id),
    owner_id            INTEGER NOT NULL REFERENCES users (id),
    expected_amount_fen INTEGER CHECK (expected_amount_fen > 0),
    expected_sign_date  TEXT,
    win_probability     INTEGER CHECK (win_probability BETWEEN 0 AND 100),
    description         TEXT,
    stage               TEXT NOT NULL DEFAULT 'identify',
    status              TEXT NOT NULL,
    -- When it was first submitted (报备数量 counts by this month) and when its filing was
    -- approved.
    submitted_at        TEXT,
    filed_at            TEXT,
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX opportunities_owner ON opportunities (owner_id, id);
CREATE INDEX opportunities_city ON opportunities (city_id, id);
CREATE INDEX opportunities_industry ON opportunities (industry_id, id);
CREATE INDEX opportunities_status ON opportunities (status, id);
CREATE INDEX opportunities_name ON opportunities (name, id);

-- 商机多客户: one primary, more allowed.
CREATE TABLE opportunity_customers (
    opportunity_id INTEGER NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
    customer_id    INTEGER NOT NULL REFERENCES customers (id),
    is_primary     BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (opportunity_id, customer_id)
);
CREATE INDEX opportunity_customers_customer ON opportunity_customers (customer_id, opportunity_id);

CREATE TABLE opportunity_competitors (
    opportunity_id INTEGER NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
    competitor_id  INTEGER NOT NULL REFERENCES dict_items (id),
    PRIMARY KEY (opportunity_id, competitor_id)
);

CREATE TABLE opportunity_shares (
    opportunity_id INTEGER NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
    user_id        INTEGER NOT NULL REFERENCES users (id),
    -- 协作: may log activities and edit non-approval fields.
    collaborate    BOOLEAN NOT NULL DEFAULT FALSE,
    shared_by      INTEGER NOT NULL REFERENCES users (id),
    created_at     TEXT NOT NULL,
    PRIMARY KEY (opportunity_id, user_id)
);
CREATE INDEX opportunity_shares_user ON opportunity_shares (user_id, opportunity_id);

-- A step waiting for someone: an approver's decision, or a returned step for the filer.
-- At most one is open per opportunity (the partial unique index), so two decisions on one
-- step cannot both be written.
CREATE TABLE tasks (
    id             INTEGER PRIMARY KEY,
    opportunity_id INTEGER NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
    flow           TEXT NOT NULL CHECK (flow IN ('filing', 'signing', 'termination')),
    kind           TEXT NOT NULL CHECK (kind IN ('approve', 'returned')),
    assignee_id    INTEGER NOT NULL REFERENCES users (id),
    open           BOOLEAN NOT NULL DEFAULT TRUE,
    created_at     TEXT NOT NULL,
    closed_at      TEXT,
    -- What closed it: the decision, 重新提交, 作废 …
    outcome        TEXT
);
CREATE UNIQUE INDEX tasks_one_open ON tasks (opportunity_id) WHERE open;
CREATE INDEX tasks_assignee ON tasks (assignee_id, open, id);

-- 审批记录: every transition, with who, when, the result, the opinion and what an approver
-- changed.
CREATE TABLE approval_records (
    id             INTEGER PRIMARY KEY,
    opportunity_id INTEGER NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
    task_id        INTEGER REFERENCES tasks (id),
    flow           TEXT NOT NULL,
    kind           TEXT NOT NULL,
    actor_id       INTEGER NOT NULL REFERENCES users (id),
    at             TEXT NOT NULL,
    opinion        TEXT,
    -- 「下一位审批人员」 after a forward or a submission.
    next_approver_id INTEGER REFERENCES users (id),
    changes_json   TEXT
);
CREATE INDEX approval_records_opportunity ON approval_records (opportunity_id, id);
CREATE INDEX approval_records_actor ON approval_records (actor_id, id);

-- 待阅消息.
CREATE TABLE messages (
    id             INTEGER PRIMARY KEY,
    user_id        INTEGER NOT NULL REFERENCES users (id),
    kind           TEXT NOT NULL,
    opportunity_id INTEGER REFERENCES opportunities (id) ON DELETE CASCADE,
    customer_id    INTEGER REFERENCES customers (id) ON DELETE CASCADE,
    title          TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    read_at        TEXT
);
CREATE INDEX messages_user ON messages (user_id, id);
CREATE INDEX messages_user_unread ON messages (user_id, id) WHERE read_at IS NULL;
