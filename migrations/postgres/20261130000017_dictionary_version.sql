-- The dictionaries are kept with the directory (services::people): a change to an item bumps
-- the same version, in the same transaction.
CREATE TRIGGER dict_items_directory AFTER INSERT OR UPDATE OR DELETE ON dict_items
FOR EACH STATEMENT EXECUTE FUNCTION bump_directory_version();
