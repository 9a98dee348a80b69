//! 销售活动: its list page, the 添加活动 / 编辑活动 page, and the list shown on customer and
//! opportunity pages.

pub mod index;
pub mod list;
pub mod new;
