-- 附件 on customers and opportunities (#16): a file kept for a record from its upload, going
-- with the record when it is deleted.

ALTER TABLE attachments ADD COLUMN customer_id INTEGER REFERENCES customers (id) ON DELETE CASCADE;
ALTER TABLE attachments ADD COLUMN opportunity_id INTEGER REFERENCES opportunities (id) ON DELETE CASCADE;
CREATE INDEX attachments_customer ON attachments (customer_id, id);
CREATE INDEX attachments_opportunity ON attachments (opportunity_id, id);
