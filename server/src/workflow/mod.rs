//! The approval engine: pure rules, no I/O. Given an opportunity's state, the acting person
//! and an action, [`engine::apply`] returns what changes (status, the task to close and the
//! one to open, the messages, the 审批记录 entry) or why not. The store then writes all of it
//! in one transaction, as a compare-and-set on the step it was computed from.

pub mod engine;
pub mod routing;

pub use engine::{apply, may_edit, Action, Outcome, Refusal};
pub use routing::{Directory, Person};

use app::model::opportunity::{Flow, Level, Status};

/// What the engine needs to know of an opportunity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct State {
    pub status: Status,
    /// The filer (负责人); nobody approves what they filed.
    pub owner_id: i64,
    pub level: Level,
    /// The 地市公司 of a city-level opportunity.
    pub city_id: Option<i64>,
    /// The 行业 of the primary customer (signing approvers).
    pub industry_id: i64,
    /// The step waiting for someone, if any.
    pub open_task: Option<OpenTask>,
}

/// The one open task of an opportunity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct OpenTask {
    pub id: i64,
    pub assignee_id: i64,
    pub flow: Flow,
    pub kind: TaskKind,
}

pub use app::model::opportunity::TaskKind;

/// A 待阅消息 the engine asks to send (`Approved`, `Returned`).
pub use app::model::opportunity::MessageKind;

#[cfg(test)]
mod tests;
