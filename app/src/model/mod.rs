//! Types on the wire, shared by the browser and the server.

pub mod error;
pub mod org;
pub mod role;

pub use error::AppError;
pub use org::{OrgUnitKind, OrgUnitView};
pub use role::Role;
