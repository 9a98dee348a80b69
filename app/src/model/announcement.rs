//! The 公告通知 form as typed, and its checks: the same in the browser and on the server.

use super::customer::{parse_text, FieldError};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnnouncementForm {
    pub title: String,
    pub body: String,
    /// The audience: a city's id, or empty for the whole province.
    pub city_id: String,
    /// 附件 already uploaded (held through a refused post).
    pub attachment_id: String,
    pub attachment_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParsedAnnouncement {
    pub title: String,
    pub body: String,
    pub city_id: Option<i64>,
    pub attachment_id: Option<i64>,
}

impl AnnouncementForm {
    /// Checks every field and reports all refusals at once; whether the city and the file
    /// may be chosen is the server's to check.
    pub fn parse(&self) -> Result<ParsedAnnouncement, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut required = |field: &str, raw: &str, max: usize| match parse_text(raw, max) {
            Ok(Some(text)) => Some(text),
            Ok(None) => {
                errors.push(FieldError::new(field, "field.required"));
                None
            }
            Err(key) => {
                errors.push(FieldError::new(field, key));
                None
            }
        };
        let title = required("title", &self.title, 100);
        // The body keeps its line breaks; only its ends are trimmed.
        let body = required("body", &self.body, 10_000);
        let id = |raw: &str| raw.trim().parse::<i64>().ok();
        let city_id = id(&self.city_id);
        if city_id.is_none() && !self.city_id.trim().is_empty() {
            errors.push(FieldError::new("city_id", "field.invalid"));
        }
        let attachment_id = id(&self.attachment_id);
        if attachment_id.is_none() && !self.attachment_id.trim().is_empty() {
            errors.push(FieldError::new("attachment", "field.invalid"));
        }
        match (title, body) {
            (Some(title), Some(body)) if errors.is_empty() => Ok(ParsedAnnouncement {
                title,
                body,
                city_id,
                attachment_id,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_and_body_are_required_and_the_body_keeps_its_lines() {
        let errors = AnnouncementForm::default().parse().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["title", "body"]);
        let parsed = AnnouncementForm {
            title: " 十二月通知 ".into(),
            body: "第一行\n第二行\n".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(parsed.title, "十二月通知");
        assert_eq!(parsed.body, "第一行\n第二行");
        assert_eq!(parsed.city_id, None);
    }

    #[test]
    fn a_city_that_is_not_a_number_is_refused() {
        let form = AnnouncementForm {
            title: "t".into(),
            body: "b".into(),
            city_id: "石家庄".into(),
            ..Default::default()
        };
        assert_eq!(form.parse().unwrap_err()[0].field, "city_id");
    }
}
