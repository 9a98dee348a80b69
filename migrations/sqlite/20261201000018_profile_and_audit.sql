-- 个人资料 and 系统管理 (#15). A user who must change their password is kept in the user
-- directory (services::people), so setting or clearing it bumps the directory's version like
-- a change of name. And the audit trail is append-only: nothing may change or remove a line.

DROP TRIGGER users_updated_directory;
CREATE TRIGGER users_updated_directory
AFTER UPDATE OF login, name, org_unit_id, disabled, must_change_password ON users
BEGIN UPDATE directory_version SET version = version + 1; END;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
