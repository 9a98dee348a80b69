//! 商机管理 pages: the list, 报备商机, 商机详细, and the opportunity fields they share with the
//! 任务处理页面.

pub mod detail;
pub mod edit;
pub mod evaluation;
pub mod fields;
pub mod flows;
pub mod list;
pub mod new;
