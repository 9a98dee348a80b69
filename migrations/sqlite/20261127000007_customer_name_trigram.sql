-- 客户名称 contains uses the quick-find FTS5 trigram table for its candidates (see the store);
-- kept as a migration so both backends have the same history.
SELECT 1;
