-- Organisation, users, roles, dictionaries and the audit trail.
-- Times are TEXT (RFC 3339, UTC); booleans are 0/1; ids are INTEGER PRIMARY KEY.

CREATE TABLE app_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE org_units (
    id         INTEGER PRIMARY KEY,
    parent_id  INTEGER REFERENCES org_units (id),
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('province', 'city', 'department')),
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX org_units_parent_name ON org_units (COALESCE(parent_id, 0), name);

CREATE TABLE dict_items (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    label      TEXT NOT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0,
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    UNIQUE (kind, label)
);

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    login                TEXT NOT NULL UNIQUE,
    name                 TEXT NOT NULL,
    org_unit_id          INTEGER NOT NULL REFERENCES org_units (id),
    password_hash        TEXT NOT NULL,
    phone                TEXT,
    email                TEXT,
    disabled             BOOLEAN NOT NULL DEFAULT FALSE,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    version              INTEGER NOT NULL DEFAULT 1,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX users_org_unit ON users (org_unit_id);

CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);
CREATE INDEX user_roles_role ON user_roles (role, user_id);

-- The industries a 行业总监 is responsible for.
CREATE TABLE user_industries (
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    industry_id INTEGER NOT NULL REFERENCES dict_items (id),
    PRIMARY KEY (user_id, industry_id)
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor_id    INTEGER REFERENCES users (id),
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id);
CREATE INDEX audit_log_at ON audit_log (at);

-- Default dictionaries (an admin maintains them later).
INSERT INTO dict_items (kind, label, sort_order) VALUES
  ('industry', '政务', 1), ('industry', '金融', 2), ('industry', '教育', 3),
  ('industry', '医疗', 4), ('industry', '制造', 5), ('industry', '交通', 6),
  ('business_type', '专线', 1), ('business_type', '云计算', 2), ('business_type', 'IDC', 3),
  ('business_type', '物联网', 4), ('business_type', '移动应用', 5), ('business_type', '语音', 6),
  ('customer_level', '战略客户', 1), ('customer_level', '重要客户', 2), ('customer_level', '一般客户', 3),
  ('competitor', '中国移动', 1), ('competitor', '中国电信', 2), ('competitor', '广电', 3),
  ('competitor', '其他', 4),
  ('termination_reason', '客户需求取消', 1), ('termination_reason', '输给竞争对手', 2),
  ('termination_reason', '价格原因', 3), ('termination_reason', '其他', 4);
