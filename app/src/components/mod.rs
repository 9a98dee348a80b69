//! Widgets reused across pages.

pub mod attachment_field;
pub mod batch_form;
pub mod column_chooser;
pub mod contact_graph;
pub mod form_check;
pub mod language_switch;
pub mod list_page;
pub mod live;
pub mod org_tree;
pub mod outreach_log;
pub mod person_field;
pub mod quick_find;
pub mod record_files;
pub mod share_panel;
pub mod shell;
pub mod text_area;
