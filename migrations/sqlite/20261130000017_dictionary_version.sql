-- The dictionaries are kept with the directory (services::people): a change to an item bumps
-- the same version, in the same transaction.
CREATE TRIGGER dict_items_inserted_directory AFTER INSERT ON dict_items
BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER dict_items_updated_directory AFTER UPDATE ON dict_items
BEGIN UPDATE directory_version SET version = version + 1; END;
CREATE TRIGGER dict_items_deleted_directory AFTER DELETE ON dict_items
BEGIN UPDATE directory_version SET version = version + 1; END;
