-- The version of the people pages and routing read (who is active, their names, logins, org
-- units, roles and industries, and the org tree). Every change to them bumps it in the same
-- transaction, by these triggers, so each instance keeps its copy of the directory while the
-- number stands (services::people) and no writer, present or future, can forget to say so.
CREATE TABLE directory_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO directory_version (id, version) VALUES (1, 1);

CREATE TRIGGER users_inserted_directory AFTER INSERT ON users
BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER users_updated_directory AFTER UPDATE OF login, name, org_unit_id, disabled ON users
BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER users_deleted_directory AFTER DELETE ON users
BEGIN UPDATE directory_version SET version = version + 1; END;

CREATE TRIGGER user_roles_inserted_directory AFTER INSERT ON user_roles
BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER user_roles_updated_directory AFTER UPDATE ON user_roles
BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER user_roles_deleted_directory AFTER DELETE ON user_roles
BEGIN UPDATE directory_version SET version = version + 1; END;

CREATE TRIGGER user_industries_inserted_directory AFTER INSERT ON user_industries
BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER user_industries_updated_directory AFTER UPDATE ON user_industries
BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER user_industries_deleted_directory AFTER DELETE ON user_industries
BEGIN UPDATE directory_version SET version = version + 1; END;

CREATE TRIGGER org_units_inserted_directory AFTER INSERT ON org_units
BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER org_units_updated_directory AFTER UPDATE ON org_units
BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER org_units_deleted_directory AFTER DELETE ON org_units
BEGIN UPDATE directory_version SET version = version + 1; END;
