//! 客户管理 pages.

pub mod detail;
pub mod edit;
pub mod find;
pub mod list;
pub mod new;
