-- 快速查找 of one or two characters is a prefix match on the name.
CREATE INDEX customers_name ON customers (name text_pattern_ops, id);
