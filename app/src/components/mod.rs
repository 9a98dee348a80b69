//! Widgets reused across pages.

pub mod org_tree;
pub mod shell;
