//! 联系人 pages that are not a customer's: the list of all contacts in scope, and
//! 新建联系人 starting from the choice of a customer.

pub mod list;
pub mod new;
