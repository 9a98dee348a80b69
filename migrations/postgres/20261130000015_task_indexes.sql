-- Who held a task of an opportunity (the scope's "a past or present approver keeps seeing
-- it", the live channel's audience, held_task): read by opportunity, not by scanning every
-- task. A 地市副总 holds hundreds of thousands of tasks.
CREATE INDEX tasks_opportunity ON tasks (opportunity_id, assignee_id);
-- An approver's opportunities, newest first (the 商机管理 list's branch of tasks held).
CREATE INDEX tasks_assignee_opportunity ON tasks (assignee_id, opportunity_id);
