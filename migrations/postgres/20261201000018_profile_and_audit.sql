-- 个人资料 and 系统管理 (#15). A user who must change their password is kept in the user
-- directory (services::people), so setting or clearing it bumps the directory's version like
-- a change of name. And the audit trail is append-only: nothing may change or remove a line
-- (TRUNCATE included).

DROP TRIGGER users_directory ON users;
CREATE TRIGGER users_directory
AFTER INSERT OR UPDATE OF login, name, org_unit_id, disabled, must_change_password OR DELETE ON users
FOR EACH STATEMENT EXECUTE FUNCTION bump_directory_version();

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;

CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
