//! The tabs of the list pages, named once for the pages (their links) and the server (what
//! each tab lists). An address with an unknown tab shows the first.

use super::opportunity::coded;
use serde::{Deserialize, Serialize};

coded! {
    /// 商机管理's tabs.
    OpportunityTab {
        /// 我的商机: the viewer's own.
        Mine = "mine",
        /// 全部商机: every opportunity in the viewer's scope.
        All = "all",
        /// 共享给我的.
        Shared = "shared",
    } keys "opportunity.tab"
}

coded! {
    /// 任务's tabs.
    TaskTab {
        All = "all",
        /// 待办: open tasks.
        Todo = "todo",
        /// 已办.
        Done = "done",
        /// 待阅消息.
        Messages = "messages",
    } keys "task"
}

impl OpportunityTab {
    /// The tab an address names; 我的商机 for any other.
    pub fn of(code: &str) -> Self {
        Self::from_code(code).unwrap_or(OpportunityTab::Mine)
    }
}

impl TaskTab {
    /// The tab an address names; 全部 for any other.
    pub fn of(code: &str) -> Self {
        Self::from_code(code).unwrap_or(TaskTab::All)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_tab_is_the_first_and_each_tab_has_its_label() {
        assert_eq!(OpportunityTab::of("shared"), OpportunityTab::Shared);
        assert_eq!(OpportunityTab::of("nonsense"), OpportunityTab::Mine);
        assert_eq!(TaskTab::of(""), TaskTab::All);
        assert_eq!(OpportunityTab::All.label_key(), "opportunity.tab.all");
        assert_eq!(TaskTab::Messages.label_key(), "task.messages");
    }
}
