-- 客户名称 contains (the list's query condition): the trigram index serves LOWER(name) LIKE '%…%'
-- at a million rows.
CREATE INDEX customers_name_trgm ON customers USING gin (LOWER(name) gin_trgm_ops);
-- 快速查找 of one or two characters: a name prefix in byte order, range and order on one index.
CREATE INDEX customers_name_c ON customers ((name COLLATE "C"), id);
