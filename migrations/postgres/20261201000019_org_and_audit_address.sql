-- 组织管理 and 审计日志 (#15). An org unit is disabled, never deleted (users and records keep
-- naming it); the audit trail records from which address each change came, and is queried by
-- who acted and by action, newest first.

ALTER TABLE org_units ADD COLUMN active BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE audit_log ADD COLUMN client_addr TEXT;
CREATE INDEX audit_log_actor ON audit_log (actor_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
-- Whether a unit still holds records (a move to another city is refused while it does).
CREATE INDEX customers_dept ON customers (dept_id);
CREATE INDEX opportunities_org_unit ON opportunities (org_unit_id);
