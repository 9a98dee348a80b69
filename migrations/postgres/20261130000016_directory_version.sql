-- The version of the people pages and routing read (who is active, their names, logins, org
-- units, roles and industries, and the org tree). Every change to them bumps it in the same
-- transaction, by these triggers, so each instance keeps its copy of the directory while the
-- number stands (services::people) and no writer, present or future, can forget to say so.
CREATE TABLE directory_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO directory_version (id, version) VALUES (1, 1);

CREATE FUNCTION bump_directory_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE directory_version SET version = version + 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER users_directory
AFTER INSERT OR UPDATE OF login, name, org_unit_id, disabled OR DELETE ON users
FOR EACH STATEMENT EXECUTE FUNCTION bump_directory_version();
CREATE TRIGGER user_roles_directory AFTER INSERT OR UPDATE OR DELETE ON user_roles
FOR EACH STATEMENT EXECUTE FUNCTION bump_directory_version();
CREATE TRIGGER user_industries_directory AFTER INSERT OR UPDATE OR DELETE ON user_industries
FOR EACH STATEMENT EXECUTE FUNCTION bump_directory_version();
CREATE TRIGGER org_units_directory AFTER INSERT OR UPDATE OR DELETE ON org_units
FOR EACH STATEMENT EXECUTE FUNCTION bump_directory_version();
