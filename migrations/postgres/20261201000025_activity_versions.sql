-- 销售活动 are edited now (#17): an edit is saved only on the version it was read at.
ALTER TABLE activities ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
