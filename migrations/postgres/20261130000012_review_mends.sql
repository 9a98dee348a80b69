-- What one user holds unattached is summed against their upload quota.
CREATE INDEX attachments_uploader ON attachments (uploaded_by, uploaded_at);

-- 赢单概率 is read as a 64-bit integer like every other number (INT4 failed to decode: any
-- opportunity with a probability could not be opened on PostgreSQL).
ALTER TABLE opportunities ALTER COLUMN win_probability TYPE BIGINT;
