//! 任务: the task lists (全部任务, 待办任务, 已办任务, 待阅消息) and the 任务处理页面.

pub mod list;
pub mod task;
