//! 邮件 / 短信 to a customer's contacts: what is written, to whom, and the log kept on the
//! customer of every message with how it went.

use super::customer::FieldError;
use serde::{Deserialize, Serialize};

/// How a message goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Channel {
    Email,
    Sms,
}

impl Channel {
    pub const ALL: [Channel; 2] = [Self::Email, Self::Sms];

    pub fn code(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Sms => "sms",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Self::Email => "outreach.email",
            Self::Sms => "outreach.sms",
        }
    }
}

/// The longest subject and text taken.
pub const MAX_SUBJECT_CHARS: usize = 200;
pub const MAX_EMAIL_CHARS: usize = 20_000;
/// An SMS gateway splits longer texts; more than this is not a text message.
pub const MAX_SMS_CHARS: usize = 500;

/// The posted form, exactly as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OutreachForm {
    pub channel: String,
    /// The contacts chosen (`contact`, one per ticked box).
    #[serde(rename = "contact", deserialize_with = "super::posted::distinct_ids")]
    pub contacts: Vec<String>,
    pub subject: String,
    pub body: String,
    /// The customer the page was opened for (where the log is shown afterwards), if one.
    pub customer: String,
}

/// A checked form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedOutreach {
    pub channel: Channel,
    pub contacts: Vec<i64>,
    pub subject: String,
    pub body: String,
}

impl OutreachForm {
    /// The message, or every field refused.
    pub fn parse(&self) -> Result<ParsedOutreach, Vec<FieldError>> {
        let mut errors = Vec::new();
        let channel = Channel::from_code(&self.channel);
        if channel.is_none() {
            errors.push(FieldError::new("channel", "field.required"));
        }
        let contacts: Vec<i64> = self
            .contacts
            .iter()
            .filter_map(|c| c.trim().parse().ok())
            .collect();
        if contacts.is_empty() || contacts.len() != self.contacts.len() {
            errors.push(FieldError::new("contact", "outreach.choose_contacts"));
        }
        let subject = self.subject.trim().to_owned();
        let body = self.body.trim().to_owned();
        if channel == Some(Channel::Email) {
            if subject.is_empty() {
                errors.push(FieldError::new("subject", "field.required"));
            } else if subject.chars().count() > MAX_SUBJECT_CHARS {
                errors.push(FieldError::new("subject", "field.too_long"));
            }
        }
        let max = match channel {
            Some(Channel::Sms) => MAX_SMS_CHARS,
            _ => MAX_EMAIL_CHARS,
        };
        if body.is_empty() {
            errors.push(FieldError::new("body", "field.required"));
        } else if body.chars().count() > max {
            errors.push(FieldError::new("body", "field.too_long"));
        }
        match channel {
            Some(channel) if errors.is_empty() => Ok(ParsedOutreach {
                channel,
                contacts,
                subject: if channel == Channel::Email {
                    subject
                } else {
                    String::new()
                },
                body,
            }),
            _ => Err(errors),
        }
    }

    pub fn chose(&self, contact: i64) -> bool {
        self.contacts
            .iter()
            .any(|c| c.trim() == contact.to_string())
    }
}

/// A contact the page offers, with what it can be reached by.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipientView {
    pub contact_id: i64,
    pub customer_id: i64,
    pub customer: String,
    pub name: String,
    pub email: Option<String>,
    pub mobile: Option<String>,
}

/// The compose page: whom it may go to, and what is configured.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutreachDraft {
    pub recipients: Vec<RecipientView>,
    /// The customer it was opened for (its page is where the log is).
    pub customer_id: Option<i64>,
    /// Why email cannot be sent (a message key), when it cannot.
    pub email_missing: Option<String>,
    /// Why text messages are only recorded, when they are.
    pub sms_missing: Option<String>,
}

/// A refused form: what was typed and why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedOutreach {
    pub form: OutreachForm,
    pub errors: Vec<FieldError>,
}

/// One logged message, as the customer page lists it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutreachLogView {
    pub at: String,
    pub channel: String,
    pub sender: String,
    pub recipients: String,
    pub subject: String,
    pub body: String,
    /// `sent`, `failed` or `not_configured`.
    pub status: String,
    pub detail: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::posted::FormBody;

    #[test]
    fn an_email_needs_a_subject_a_text_and_contacts() {
        let ok: OutreachForm =
            FormBody::new("channel=email&contact=3&contact=4&subject=%E4%BD%A0%E5%A5%BD&body=x")
                .read();
        let parsed = ok.parse().unwrap();
        assert_eq!(
            (parsed.channel, parsed.contacts),
            (Channel::Email, vec![3, 4])
        );
        let bare: OutreachForm = FormBody::new("channel=email&body=x").read();
        let fields: Vec<String> = bare
            .parse()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["contact", "subject"]);
        let long_sms: OutreachForm =
            FormBody::new(format!("channel=sms&contact=1&body={}", "字".repeat(501))).read();
        assert_eq!(
            long_sms.parse(),
            Err(vec![FieldError::new("body", "field.too_long")])
        );
    }
}
