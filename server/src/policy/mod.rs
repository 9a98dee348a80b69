//! Pure rules the store and the services apply, with no I/O: the data [`scope`] every query is
//! bound to, login [`lockout`], the common [`passwords`], and the [`rights`] over a record one can see. Scope and lockout
//! sit below the store (the store imports them, never the reverse).

pub mod lockout;
pub mod passwords;
pub mod rights;
pub mod scope;
