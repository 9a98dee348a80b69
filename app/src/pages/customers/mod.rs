//! 客户管理 pages.

pub mod contact_new;
pub mod detail;
pub mod edit;
pub mod find;
pub mod import;
pub mod list;
pub mod merge;
pub mod new;
