-- Customers (客户), their contacts (联系人) and shares (共享), and the quick-find index.

CREATE TABLE customers (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    -- CustomerName::key(): decides 「客户名称已存在」 across the whole province.
    name_key      TEXT NOT NULL,
    industry_id   INTEGER NOT NULL REFERENCES dict_items (id),
    level_id      INTEGER NOT NULL REFERENCES dict_items (id),
    kind          TEXT NOT NULL CHECK (kind IN ('potential', 'transaction')),
    owner_id      INTEGER NOT NULL REFERENCES users (id),
    -- 负责部门, and the city it belongs to (NULL at province level), kept for scope queries.
    dept_id       INTEGER NOT NULL REFERENCES org_units (id),
    city_id       INTEGER REFERENCES org_units (id),
    registered_on TEXT NOT NULL,
    website       TEXT,
    phone         TEXT,
    fax           TEXT,
    address       TEXT,
    notes         TEXT,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX customers_name_key ON customers (name_key);
-- Keyset paging per sort order, within a kind and a scope.
CREATE INDEX customers_kind_id ON customers (kind, id);
CREATE INDEX customers_kind_name ON customers (kind, name, id);
CREATE INDEX customers_kind_registered ON customers (kind, registered_on, id);
CREATE INDEX customers_owner ON customers (owner_id, kind, id);
CREATE INDEX customers_city ON customers (city_id, kind, id);
CREATE INDEX customers_industry ON customers (industry_id, kind, id);

CREATE TABLE customer_shares (
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    can_edit    BOOLEAN NOT NULL DEFAULT FALSE,
    shared_by   INTEGER NOT NULL REFERENCES users (id),
    created_at  TEXT NOT NULL,
    PRIMARY KEY (customer_id, user_id)
);
CREATE INDEX customer_shares_user ON customer_shares (user_id, customer_id);

CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    title       TEXT,
    department  TEXT,
    phone       TEXT,
    mobile      TEXT,
    email       TEXT,
    notes       TEXT,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX contacts_customer ON contacts (customer_id, id);

-- 快速查找: one row per customer (rowid = customer id) holding its name, phones and contact
-- names; trigram tokens make any substring of three or more characters an index lookup.
CREATE VIRTUAL TABLE customer_search USING fts5 (body, tokenize = 'trigram');
