//! Authentication: password hashing now; sessions and login come with the login issue.

pub mod password;
