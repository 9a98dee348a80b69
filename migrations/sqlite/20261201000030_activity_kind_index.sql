-- 销售活动 sorted by 类型: walked in (kind, id) order, not gathered and sorted (#17, measured).
CREATE INDEX activities_kind ON activities (kind, id);
