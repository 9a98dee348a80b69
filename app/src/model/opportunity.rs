//! The words of an opportunity's life, shared by the pages and the workflow engine: statuses,
//! stages, flows, 审批结果, and amounts of 元 kept exactly in fen.

use serde::{Deserialize, Serialize};

/// Defines a closed set of values with a stored code and a translation key for each.
macro_rules! coded {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $code:literal),+ $(,)? } keys $prefix:literal $(default $default:ident)?) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code kept in the database and used in addresses.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }

            /// The translation key of its label.
            pub fn label_key(self) -> &'static str {
                match self { $($name::$variant => concat!($prefix, ".", $code)),+ }
            }
        }

        $(
            /// The value of an empty view (a page before its data); never read from storage.
            impl Default for $name {
                fn default() -> Self {
                    $name::$default
                }
            }
        )?

        #[cfg(feature = "ssr")]
        $crate::stored_as_text!($name);
    };
}
pub(crate) use coded;

coded! {
    /// 状态: 草稿 → 待审批 → 已报备 → 签约待审批 → 已签约; 已报备 → 终止待审批 → 已终止;
    /// 待审批 → 已退回 → 待审批 or 已作废.
    Status {
        /// 草稿: seen by the filer alone.
        Draft = "draft",
        /// 待审批 (filing).
        Pending = "pending",
        /// 已退回 (filing).
        Returned = "returned",
        /// 已作废: terminal.
        Voided = "voided",
        /// 已报备: active.
        Active = "active",
        /// 签约待审批.
        SignPending = "sign_pending",
        /// 已签约: terminal.
        Signed = "signed",
        /// 终止待审批.
        TerminatePending = "terminate_pending",
        /// 已终止: terminal.
        Terminated = "terminated",
    } keys "status" default Draft
}

coded! {
    /// The three approval flows.
    Flow {
        Filing = "filing",
        Signing = "signing",
        Termination = "termination",
    } keys "flow" default Filing
}

coded! {
    /// 阶段 of an active opportunity (签约 and 终止 are flows, started from here).
    Stage {
        Identify = "identify",
        Proposal = "proposal",
        Negotiation = "negotiation",
    } keys "stage" default Identify
}

coded! {
    /// 审批结果 of one step.
    Decision {
        /// 「通过，审批结束」
        ApproveEnd = "approve_end",
        /// 「通过，报总经理继续审批」
        ApproveForward = "approve_forward",
        /// 「退回」
        Return = "return",
    } keys "decision"
}

coded! {
    /// What an entry of 审批记录 says happened.
    RecordKind {
        Submit = "submit",
        ApproveEnd = "approve_end",
        ApproveForward = "approve_forward",
        Return = "return",
        Resubmit = "resubmit",
        Void = "void",
        Withdraw = "withdraw",
    } keys "record"
}

coded! {
    /// 商机级别: decided by the filer's org unit.
    Level {
        /// 地市级: approved in its city.
        City = "city",
        /// 省级: approved by the province.
        Province = "province",
    } keys "level" default City
}

coded! {
    /// What an open task asks of its assignee.
    TaskKind {
        /// An approver decides (审批结果).
        Approve = "approve",
        /// Returned to the filer: edit and 重新提交, or 作废 / 撤回.
        Returned = "returned",
    } keys "task.kind" default Approve
}

coded! {
    /// What a 待阅消息 tells.
    MessageKind {
        /// A flow ended with approval.
        Approved = "approved",
        /// An approver returned it.
        Returned = "returned",
        /// A customer or an opportunity was shared with the reader (共享).
        Shared = "shared",
        /// A 公告 was published.
        Announcement = "announcement",
        /// A customer, an opportunity or an approval task was handed to the reader (转交).
        Transferred = "transferred",
    } keys "message"
}

impl Status {
    /// Whether a step of a flow is waiting for an approver.
    pub fn is_pending(self) -> bool {
        matches!(
            self,
            Status::Pending | Status::SignPending | Status::TerminatePending
        )
    }

    /// Whether nothing more can happen to it.
    pub fn is_terminal(self) -> bool {
        matches!(self, Status::Voided | Status::Signed | Status::Terminated)
    }
}

/// An amount of 元, kept exactly as a whole number of fen (never a float).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Fen(pub i64);

impl Fen {
    /// The largest amount accepted: a trillion 元.
    pub const MAX: Fen = Fen(100_000_000_000_000);

    /// Parses what a user typed as 元: digits, optionally `.` and one or two more; thousands
    /// separators (`,` and full-width `，`) and spaces are ignored. Must be positive.
    pub fn parse_yuan(raw: &str) -> Result<Fen, &'static str> {
        let cleaned: String = raw
            .trim()
            .chars()
            .filter(|c| !matches!(c, ',' | '，' | ' '))
            .map(|c| match c {
                '．' => '.',
                c @ '０'..='９' => {
                    char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c)
                }
                c => c,
            })
            .collect();
        let (whole, frac) = match cleaned.split_once('.') {
            Some((w, f)) => (w, f),
            None => (cleaned.as_str(), ""),
        };
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() && frac.is_empty() {
            return Err("field.invalid_amount");
        }
        if !digits(whole) || !digits(frac) || frac.len() > 2 || whole.len() > 15 {
            return Err("field.invalid_amount");
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| "field.invalid_amount")?
        };
        let frac: i64 = format!("{frac:0<2}")
            .parse()
            .map_err(|_| "field.invalid_amount")?;
        let fen = Fen(whole * 100 + frac);
        if fen.0 <= 0 || fen > Fen::MAX {
            return Err("field.invalid_amount");
        }
        Ok(fen)
    }

    /// `12345.60` → 「12,345.60」.
    pub fn to_yuan(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let whole = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, ch) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        format!("{sign}{grouped}.{:02}", abs % 100)
    }

    /// As a form shows it for editing: `12345.6`→「12345.60」 without separators.
    pub fn to_plain(self) -> String {
        format!("{}.{:02}", self.0 / 100, (self.0 % 100).abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips() {
        for s in Status::ALL {
            assert_eq!(Status::from_code(s.code()), Some(*s));
        }
        for d in Decision::ALL {
            assert_eq!(Decision::from_code(d.code()), Some(*d));
        }
        assert_eq!(Flow::from_code("nope"), None);
        assert_eq!(Status::Active.label_key(), "status.active");
    }

    #[test]
    fn amounts_are_parsed_exactly_to_the_fen() {
        assert_eq!(Fen::parse_yuan("12345.67"), Ok(Fen(1_234_567)));
        assert_eq!(Fen::parse_yuan("1,000"), Ok(Fen(100_000)));
        assert_eq!(Fen::parse_yuan("0.1"), Ok(Fen(10)));
        assert_eq!(Fen::parse_yuan(".05"), Ok(Fen(5)));
        assert_eq!(Fen::parse_yuan("１２．５"), Ok(Fen(1250)));
        // 0.1 + 0.2 stays exact.
        assert_eq!(Fen::parse_yuan("0.3"), Ok(Fen(30)));
    }

    #[test]
    fn an_amount_that_is_not_a_positive_number_with_two_decimals_is_refused() {
        for bad in [
            "",
            "0",
            "0.00",
            "-5",
            "1.234",
            "abc",
            "1e3",
            "1.2.3",
            "9999999999999999",
        ] {
            assert_eq!(Fen::parse_yuan(bad), Err("field.invalid_amount"), "{bad}");
        }
    }

    #[test]
    fn amounts_are_shown_with_separators_and_two_decimals() {
        assert_eq!(Fen(123_456_789).to_yuan(), "1,234,567.89");
        assert_eq!(Fen(5).to_yuan(), "0.05");
        assert_eq!(Fen(100_000).to_plain(), "1000.00");
    }
}
