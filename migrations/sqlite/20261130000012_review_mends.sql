-- What one user holds unattached is summed against their upload quota.
CREATE INDEX attachments_uploader ON attachments (uploaded_by, uploaded_at);
