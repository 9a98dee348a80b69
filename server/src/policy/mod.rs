//! Pure rules the store and the services apply, with no I/O: the data [`scope`] every query is
//! bound to, and login [`lockout`]. They sit below the store, so nothing here imports it.

pub mod lockout;
pub mod scope;
