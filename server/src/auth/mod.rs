//! Authentication and authorisation: passwords, sessions, login throttling, the HTTP guards,
//! and the data [`scope`] every query is bound to.

pub mod guard;
pub mod lockout;
pub mod login;
pub mod password;
pub mod scope;
pub mod session;
