-- The home page's 待办 lists the viewer's own planned activities whose day has come: through
-- activities_creator it walked every activity the viewer ever logged (hundreds for an account
-- manager of some years, nearly all done) and read each row to see whether it was (#14).
CREATE INDEX activities_creator_planned ON activities (created_by, activity_date, id)
    WHERE done = FALSE;

-- The overdue milestones of the orders a viewer owns (the home page's count, 逾期里程碑): through
-- the viewer's opportunities, one probe for each of the hundreds an account manager has filed.
-- Milestones now carry their order's owner, set where they are written and kept when an order
-- changes hands (工作交接, a new 负责人), with an index over the open ones in planned order.
ALTER TABLE order_milestones ADD COLUMN owner_id BIGINT;
UPDATE order_milestones m SET owner_id = o.owner_id FROM opportunities o WHERE o.id = m.opportunity_id;
CREATE INDEX order_milestones_open_owner ON order_milestones (owner_id, planned_on, id)
    WHERE status IN ('pending', 'in_progress');

CREATE FUNCTION owner_to_milestones() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE order_milestones SET owner_id = NEW.owner_id WHERE opportunity_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER opportunities_owner_to_milestones
AFTER UPDATE OF owner_id ON opportunities
FOR EACH ROW WHEN (OLD.owner_id IS DISTINCT FROM NEW.owner_id)
EXECUTE FUNCTION owner_to_milestones();
