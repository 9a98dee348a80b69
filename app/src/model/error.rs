//! The one error type every server function returns, so a form knows which field to mark.

use leptos::prelude::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::codec::JsonEncoding;
use serde::{Deserialize, Serialize};

/// What went wrong, in words a user may see. Internal details are logged on the server and never
/// travel here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// The caller may not see or do this; tells nothing of the record.
    #[error("无权访问")]
    Forbidden,
    /// No session, or an expired one.
    #[error("请先登录")]
    Unauthenticated,
    #[error("记录不存在")]
    NotFound,
    /// A field's value was refused; `field` is the form field's name.
    #[error("{message}")]
    Field { field: String, message: String },
    /// A form was refused: the message key beside each refused field (`""`: the form as a
    /// whole). The page shows the form again with what was typed.
    #[error("请检查输入")]
    Invalid(Vec<super::customer::FieldError>),
    /// Something failed on the server; the details are in its log.
    #[error("系统繁忙，请稍后再试")]
    Internal,
    /// The request's arguments could not be read (a hand-made or garbled call); what the
    /// decoder said is not repeated to the caller.
    #[error("请求格式不正确")]
    BadRequest,
    /// A state-changing request another site made the browser send.
    #[error("跨站请求已拒绝")]
    CrossSite,
    /// The request never reached the function, or its answer never came back.
    #[error("请先修改密码")]
    PasswordChangeRequired,
    #[error("网络或服务错误：{0}")]
    Transport(String),
}

impl AppError {
    /// The translation key of the message a page shows for this error; a field error carries
    /// its own (already translated) message instead.
    pub fn message_key(&self) -> &'static str {
        match self {
            AppError::Forbidden => "common.forbidden",
            AppError::Unauthenticated => "error.unauthenticated",
            AppError::NotFound => "error.not_found",
            AppError::Field { .. } | AppError::Invalid(_) => "error.field",
            AppError::Internal => "error.internal",
            AppError::BadRequest => "error.bad_request",
            AppError::CrossSite => "error.cross_site",
            AppError::PasswordChangeRequired => "error.password_change_required",
            AppError::Transport(_) => "error.transport",
        }
    }
}

impl AppError {
    /// The HTTP status of this error: the one mapping, for server functions and form posts.
    pub fn status(&self) -> u16 {
        match self {
            AppError::BadRequest => 400,
            AppError::Unauthenticated => 401,
            AppError::Forbidden | AppError::CrossSite | AppError::PasswordChangeRequired => 403,
            AppError::NotFound => 404,
            AppError::Field { .. } | AppError::Invalid(_) => 422,
            AppError::Transport(_) => 500,
            // Busy: the details are in the log, and trying again may work.
            AppError::Internal => 503,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => AppError::BadRequest,
            other => AppError::Transport(other.to_string()),
        }
    }
}
