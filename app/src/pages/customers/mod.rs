//! 客户管理 pages.

pub mod detail;
pub mod list;
pub mod new;
