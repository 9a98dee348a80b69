//! Why a login was refused: the code travels in the login page's address after a failed
//! post, so the page can say it in the user's language.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginFailure {
    /// Wrong password or no such user: one message for both, so logins cannot be probed.
    BadCredentials,
    /// Too many failures: the account is locked for a while.
    Locked,
    /// The account was disabled by an administrator.
    Disabled,
    /// The request came from another site.
    CrossSite,
    /// The server could not check the password.
    Internal,
}

impl LoginFailure {
    pub const ALL: [LoginFailure; 5] = [
        LoginFailure::BadCredentials,
        LoginFailure::Locked,
        LoginFailure::Disabled,
        LoginFailure::CrossSite,
        LoginFailure::Internal,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LoginFailure::BadCredentials => "bad",
            LoginFailure::Locked => "locked",
            LoginFailure::Disabled => "disabled",
            LoginFailure::CrossSite => "cross_site",
            LoginFailure::Internal => "internal",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }

    pub fn message_zh(self) -> &'static str {
        match self {
            LoginFailure::BadCredentials => "用户名或密码错误",
            LoginFailure::Locked => "登录失败次数过多，账户已锁定15分钟，请稍后再试",
            LoginFailure::Disabled => "账户已停用，请联系系统管理员",
            LoginFailure::CrossSite => "请求来源无效，请刷新页面后重试",
            LoginFailure::Internal => "系统繁忙，请稍后再试",
        }
    }
}
