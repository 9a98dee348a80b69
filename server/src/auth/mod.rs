//! Authentication: passwords, sessions, logging in, and the HTTP guards. The rules they apply
//! (data scope, lockout) are pure and live in [`crate::policy`], below the store.

pub mod guard;
pub mod login;
pub mod password;
pub mod session;
pub mod touches;
