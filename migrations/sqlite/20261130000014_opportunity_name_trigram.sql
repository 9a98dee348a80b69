-- 商机名称 contains: a trigram index of the names (FTS5 over the table's own column, kept by
-- triggers) gives the 商机管理 list its candidates, as customer_search does for 客户名称; the
-- list's LIKE then keeps the names that hold the text.
CREATE VIRTUAL TABLE opportunity_names USING fts5 (
    name, content = 'opportunities', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO opportunity_names (opportunity_names) VALUES ('rebuild');

CREATE TRIGGER opportunity_names_insert AFTER INSERT ON opportunities BEGIN
    INSERT INTO opportunity_names (rowid, name) VALUES (new.id, new.name);
END;

CREATE TRIGGER opportunity_names_delete AFTER DELETE ON opportunities BEGIN
    INSERT INTO opportunity_names (opportunity_names, rowid, name) VALUES ('delete', old.id, old.name);
END;

CREATE TRIGGER opportunity_names_update AFTER UPDATE OF name ON opportunities BEGIN
    INSERT INTO opportunity_names (opportunity_names, rowid, name) VALUES ('delete', old.id, old.name);
    INSERT INTO opportunity_names (rowid, name) VALUES (new.id, new.name);
END;
