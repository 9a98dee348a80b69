//! One module per route.

pub mod customers;
pub mod home;
pub mod login;
pub mod placeholder;
pub mod status;
