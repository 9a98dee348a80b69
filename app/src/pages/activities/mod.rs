//! 销售活动: the 添加活动 page and the list shown on customer and opportunity pages.

pub mod list;
pub mod new;
