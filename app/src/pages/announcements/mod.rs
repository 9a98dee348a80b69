//! 公告通知: the list, an announcement's page, and the publish / edit form.

pub mod detail;
pub mod form;
pub mod list;
