//! Types on the wire, shared by the browser and the server.

pub mod activity;
pub mod admin_user;
pub mod announcement;
pub mod attachment;
pub mod audit;
pub mod columns;
pub mod customer;
pub mod date;
pub mod dictionary;
pub mod error;
pub mod lifecycle;
pub mod live;
pub mod login;
pub mod lookup;
pub mod menu;
pub mod opportunity;
pub mod opportunity_form;
pub mod org;
pub mod org_admin;
pub mod posted;
pub mod profile;
pub mod ranking;
pub mod redirect;
pub mod role;
pub mod routing;
pub mod share;
mod stored;
pub mod tabs;
pub mod transfer;
pub mod user;

pub use error::AppError;
pub use login::LoginFailure;
pub use menu::MenuItem;
pub use org::{OrgUnitKind, OrgUnitView};
pub use role::Role;
pub use user::CurrentUser;
