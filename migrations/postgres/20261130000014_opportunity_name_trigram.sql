-- 商机名称 contains (the 商机管理 list's condition): the trigram index serves
-- LOWER(name) LIKE '%…%', as customers_name_trgm does for 客户名称.
CREATE INDEX opportunities_name_trgm ON opportunities USING gin (LOWER(name) gin_trgm_ops);
