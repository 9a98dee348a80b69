//! Customers (客户): the values a customer form carries, parsed the same way in the browser and
//! on the server, so a value of these types is always valid.

use serde::{Deserialize, Serialize};

/// 潜在客户 or 交易客户: listed and managed separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CustomerKind {
    /// 潜在客户
    Potential,
    /// 交易客户
    Transaction,
}

#[cfg(feature = "ssr")]
crate::stored_as_text!(CustomerKind);

impl CustomerKind {
    pub fn code(self) -> &'static str {
        match self {
            CustomerKind::Potential => "potential",
            CustomerKind::Transaction => "transaction",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Potential, Self::Transaction]
            .into_iter()
            .find(|k| k.code() == code)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            CustomerKind::Potential => "customer.kind.potential",
            CustomerKind::Transaction => "customer.kind.transaction",
        }
    }
}

/// Why a field was refused: the form field's name and a translation key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub key: String,
}

impl FieldError {
    pub fn new(field: &str, key: &str) -> Self {
        Self {
            field: field.to_owned(),
            key: key.to_owned(),
        }
    }
}

/// The 添加客户 / 客户信息编辑 form as typed: every field a string, exactly as the user left it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub industry_id: String,
    #[serde(default)]
    pub level_id: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub registered_on: String,
    /// 负责部门 and 负责人 (ids); empty: the adder and their unit (on an edit: unchanged).
    #[serde(default)]
    pub dept_id: String,
    #[serde(default)]
    pub owner_id: String,
    /// 负责人 as typed (a name or a login): the server looks it up; `owner_id` stands while
    /// the text still names that person.
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub website: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub fax: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub notes: String,
}

/// A [`CustomerForm`] whose every field passed its check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedCustomer {
    pub name: CustomerName,
    pub industry_id: i64,
    pub level_id: i64,
    pub kind: CustomerKind,
    /// `None`: today.
    pub registered_on: Option<chrono::NaiveDate>,
    /// `None`: the default (see [`CustomerForm::owner_id`]).
    pub dept_id: Option<i64>,
    pub owner_id: Option<i64>,
    pub website: Option<String>,
    pub phone: Option<String>,
    pub fax: Option<String>,
    pub address: Option<String>,
    pub notes: Option<String>,
}

impl CustomerForm {
    /// Checks every field and reports all refusals at once (browser and server alike). Whether
    /// the dictionary ids exist is the server's to check.
    pub fn parse(&self) -> Result<ParsedCustomer, Vec<FieldError>> {
        let mut errors = Vec::new();
        let e = &mut errors;
        let name = check(e, "name", CustomerName::parse(&self.name));
        let industry_id = check(e, "industry_id", parse_id(&self.industry_id));
        let level_id = check(e, "level_id", parse_id(&self.level_id));
        let kind = check(
            e,
            "kind",
            match self.kind.trim() {
                "" => Ok(CustomerKind::Potential),
                code => CustomerKind::from_code(code).ok_or("field.invalid"),
            },
        );
        let registered_on = check(e, "registered_on", parse_date(&self.registered_on));
        let dept_id = check(e, "dept_id", parse_optional_id(&self.dept_id));
        let owner_id = check(e, "owner_id", parse_optional_id(&self.owner_id));
        let website = check(e, "website", parse_url(&self.website));
        let phone = check(e, "phone", parse_phone(&self.phone));
        let fax = check(e, "fax", parse_phone(&self.fax));
        let address = check(e, "address", parse_text(&self.address, 200));
        let notes = check(e, "notes", parse_text(&self.notes, 2000));
        match (
            name,
            industry_id,
            level_id,
            kind,
            registered_on,
            (dept_id, owner_id),
            website,
            phone,
            fax,
            address,
            notes,
        ) {
            (
                Some(name),
                Some(industry_id),
                Some(level_id),
                Some(kind),
                Some(registered_on),
                (Some(dept_id), Some(owner_id)),
                Some(website),
                Some(phone),
                Some(fax),
                Some(address),
                Some(notes),
            ) if errors.is_empty() => Ok(ParsedCustomer {
                name,
                industry_id,
                level_id,
                kind,
                registered_on,
                dept_id,
                owner_id,
                website,
                phone,
                fax,
                address,
                notes,
            }),
            _ => Err(errors),
        }
    }
}

/// The value, or `None` with the refusal recorded against `field`.
fn check<T>(errors: &mut Vec<FieldError>, field: &str, r: Result<T, &'static str>) -> Option<T> {
    r.map_err(|key| errors.push(FieldError::new(field, key)))
        .ok()
}

fn parse_id(raw: &str) -> Result<i64, &'static str> {
    match raw.trim() {
        "" => Err("field.required"),
        s => s.parse().map_err(|_| "field.invalid"),
    }
}

/// An id, or empty.
fn parse_optional_id(raw: &str) -> Result<Option<i64>, &'static str> {
    match raw.trim() {
        "" => Ok(None),
        s => s.parse().map(Some).map_err(|_| "field.invalid"),
    }
}

/// `YYYY-MM-DD` in the plausible window, or empty.
fn parse_date(raw: &str) -> Result<Option<chrono::NaiveDate>, &'static str> {
    super::date::parse_optional_day(raw)
}

/// A 客户名称: 1 to 100 characters after trimming. Its [`key`](Self::key) decides uniqueness
/// within the province, so 「ＡＢＣ 公司」 and 「abc  公司」 are one name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerName(String);

impl CustomerName {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let name = collapse_spaces(raw.trim());
        if name.is_empty() {
            Err("field.required")
        } else if name.chars().count() > Self::MAX_CHARS {
            Err("field.too_long")
        } else {
            Ok(Self(name))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Full-width letters, digits and spaces folded to ASCII, ASCII lower-cased, spaces removed.
    pub fn key(&self) -> String {
        self.0
            .chars()
            .map(fold_width)
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_lowercase())
            .collect()
    }
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Folds a full-width ASCII form (U+FF01..U+FF5E) and the ideographic space to ASCII.
fn fold_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        c => c,
    }
}

/// A phone or fax number: digits with `+ - ( )` and spaces, 5 to 30 characters.
pub fn parse_phone(raw: &str) -> Result<Option<String>, &'static str> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let allowed = s
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '(' | ')' | ' '));
    let digits = s.chars().filter(char::is_ascii_digit).count();
    if !allowed || digits < 5 || s.chars().count() > 30 {
        Err("field.invalid_phone")
    } else {
        Ok(Some(s.to_owned()))
    }
}

/// An email address: one `@`, a dotted domain, no spaces, at most 100 characters.
pub fn parse_email(raw: &str) -> Result<Option<String>, &'static str> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let valid = match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
        }
        None => false,
    };
    if !valid || s.chars().any(char::is_whitespace) || s.len() > 100 {
        Err("field.invalid_email")
    } else {
        Ok(Some(s.to_owned()))
    }
}

/// A web address: `http(s)://host…`, or a bare `host.tld…` (https is assumed), at most 200
/// characters.
pub fn parse_url(raw: &str) -> Result<Option<String>, &'static str> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let with_scheme = if s.starts_with("http://") || s.starts_with("https://") {
        s.to_owned()
    } else {
        format!("https://{s}")
    };
    let host = with_scheme
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', '?', '#']).next())
        .unwrap_or("");
    let host_ok = host.contains('.')
        && !host.starts_with('.')
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':'));
    if !host_ok || s.chars().any(char::is_whitespace) || with_scheme.len() > 200 {
        Err("field.invalid_url")
    } else {
        Ok(Some(with_scheme))
    }
}

/// Free text of at most `max` characters; never truncated, refused instead.
pub fn parse_text(raw: &str, max: usize) -> Result<Option<String>, &'static str> {
    let s = raw.trim();
    if s.is_empty() {
        Ok(None)
    } else if s.chars().count() > max {
        Err("field.too_long")
    } else {
        Ok(Some(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_customer_name_is_refused() {
        assert_eq!(CustomerName::parse("   "), Err("field.required"));
    }

    #[test]
    fn a_customer_name_over_the_limit_is_refused_not_cut() {
        let long = "字".repeat(101);
        assert_eq!(CustomerName::parse(&long), Err("field.too_long"));
        assert!(CustomerName::parse(&"字".repeat(100)).is_ok());
    }

    #[test]
    fn names_differing_only_in_width_case_or_spaces_are_one_name() {
        let a = CustomerName::parse("ＡＢＣ　科技 公司").unwrap();
        let b = CustomerName::parse("  abc科技公司 ").unwrap();
        assert_eq!(a.key(), b.key());
        assert_eq!(a.as_str(), "ＡＢＣ 科技 公司");
    }

    #[test]
    fn phones_emails_and_urls_are_checked() {
        assert_eq!(
            parse_phone("0311-8888 6666"),
            Ok(Some("0311-8888 6666".into()))
        );
        assert_eq!(parse_phone("abc"), Err("field.invalid_phone"));
        assert_eq!(parse_phone(""), Ok(None));
        assert!(parse_email("a@b.cn").is_ok());
        assert_eq!(parse_email("a@b"), Err("field.invalid_email"));
        assert_eq!(
            parse_url("www.hebei.gov.cn"),
            Ok(Some("https://www.hebei.gov.cn".into()))
        );
        assert_eq!(parse_url("not a url"), Err("field.invalid_url"));
    }

    #[test]
    fn a_form_reports_every_bad_field_at_once() {
        let form = CustomerForm {
            name: " ".into(),
            industry_id: "".into(),
            level_id: "2".into(),
            phone: "abc".into(),
            registered_on: "2026-13-01".into(),
            ..Default::default()
        };
        let errors = form.parse().unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "industry_id", "registered_on", "phone"]);
    }

    #[test]
    fn a_good_form_parses_with_defaults() {
        let form = CustomerForm {
            name: "石家庄市教育局".into(),
            industry_id: "3".into(),
            level_id: "14".into(),
            ..Default::default()
        };
        let parsed = form.parse().unwrap();
        assert_eq!(parsed.kind, CustomerKind::Potential);
        assert_eq!(parsed.registered_on, None);
        assert_eq!(parsed.phone, None);
    }

    #[test]
    fn kinds_round_trip_through_their_codes() {
        for k in [CustomerKind::Potential, CustomerKind::Transaction] {
            assert_eq!(CustomerKind::from_code(k.code()), Some(k));
        }
    }
}

/// The 联系人 form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub mobile: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub notes: String,
}

/// A [`ContactForm`] whose every field passed its check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParsedContact {
    pub name: String,
    pub title: Option<String>,
    pub department: Option<String>,
    pub phone: Option<String>,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub notes: Option<String>,
}

impl ContactForm {
    pub fn parse(&self) -> Result<ParsedContact, Vec<FieldError>> {
        let mut errors = Vec::new();
        let e = &mut errors;
        let name = check(
            e,
            "name",
            parse_text(&self.name, 50).and_then(|n| n.ok_or("field.required")),
        );
        let title = check(e, "title", parse_text(&self.title, 50));
        let department = check(e, "department", parse_text(&self.department, 50));
        let phone = check(e, "phone", parse_phone(&self.phone));
        let mobile = check(e, "mobile", parse_phone(&self.mobile));
        let email = check(e, "email", parse_email(&self.email));
        let notes = check(e, "notes", parse_text(&self.notes, 500));
        match (name, title, department, phone, mobile, email, notes) {
            (
                Some(name),
                Some(title),
                Some(department),
                Some(phone),
                Some(mobile),
                Some(email),
                Some(notes),
            ) if errors.is_empty() => Ok(ParsedContact {
                name,
                title,
                department,
                phone,
                mobile,
                email,
                notes,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod contact_tests {
    use super::*;

    #[test]
    fn a_contact_needs_a_name_and_valid_numbers() {
        let form = ContactForm {
            mobile: "138 0000 0000".into(),
            email: "not-an-email".into(),
            ..Default::default()
        };
        let fields: Vec<_> = form
            .parse()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["name", "email"]);
        let ok = ContactForm {
            name: "王主任".into(),
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(ok.name, "王主任");
    }
}
