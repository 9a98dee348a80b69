-- The 销售活动 list (#17): newest first across a scope, and by 负责人 (who logged it).
CREATE INDEX activities_date ON activities (activity_date DESC, id DESC);
CREATE INDEX activities_creator ON activities (created_by, activity_date DESC, id DESC);
