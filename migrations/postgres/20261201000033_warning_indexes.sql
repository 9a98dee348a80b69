-- 客户业务预警 (#18) at province scale.

-- 审批超期: the open steps, oldest first, without walking the millions of closed ones.
CREATE INDEX tasks_open_id ON tasks (id) WHERE open = TRUE;

-- 客户无联系人: whether a customer has a contact, kept by triggers on contacts (whoever writes
-- them, a merge moving them included), so the customers without one are found through small
-- partial indexes instead of a probe of each of the province's customers.
ALTER TABLE customers ADD COLUMN has_contact BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE customers SET has_contact = TRUE
WHERE EXISTS (SELECT 1 FROM contacts k WHERE k.customer_id = customers.id);
CREATE INDEX customers_no_contact ON customers (id) WHERE has_contact = FALSE;
CREATE INDEX customers_no_contact_city ON customers (city_id, id) WHERE has_contact = FALSE;
CREATE INDEX customers_no_contact_industry ON customers (industry_id, id) WHERE has_contact = FALSE;

CREATE FUNCTION keep_has_contact() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE customers SET has_contact = TRUE
        WHERE id = NEW.customer_id AND has_contact = FALSE;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE customers SET has_contact =
            EXISTS (SELECT 1 FROM contacts k WHERE k.customer_id = OLD.customer_id)
        WHERE id = OLD.customer_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER contacts_has_contact
AFTER INSERT OR DELETE OR UPDATE OF customer_id ON contacts
FOR EACH ROW EXECUTE FUNCTION keep_has_contact();

-- A city's or industries' customers in id order (the customer list's indexes hold them by
-- kind first): 客户长期无活动 walks them and stops at a page.
CREATE INDEX customers_city_id ON customers (city_id, id);
CREATE INDEX customers_industry_id ON customers (industry_id, id);
