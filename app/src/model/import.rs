//! 导入: a table of customers or contacts (CSV or XLSX), its columns mapped to fields (guessed
//! from the headers, changeable on the preview), then imported in the background.

use super::customer::FieldError;
use serde::{Deserialize, Serialize};

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportKind {
    Customers,
    /// Contacts, each naming its customer by 客户名称.
    Contacts,
}

impl ImportKind {
    pub const ALL: [ImportKind; 2] = [Self::Customers, Self::Contacts];

    pub fn code(self) -> &'static str {
        match self {
            Self::Customers => "customers",
            Self::Contacts => "contacts",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Self::Customers => "import.customers",
            Self::Contacts => "import.contacts",
        }
    }

    /// The fields a column may be mapped to.
    pub fn fields(self) -> &'static [ImportField] {
        match self {
            Self::Customers => CUSTOMER_FIELDS,
            Self::Contacts => CONTACT_FIELDS,
        }
    }

    /// The field a header names, if any: its label, or a common other name for it.
    pub fn guess(self, header: &str) -> Option<&'static str> {
        let header: String = header
            .trim()
            .trim_end_matches('*')
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_lowercase();
        self.fields()
            .iter()
            .find(|f| f.names.iter().any(|n| n.to_lowercase() == header))
            .map(|f| f.code)
    }
}

/// One field of an import: its code, label, whether a column must be mapped to it, and the
/// headers taken to mean it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportField {
    pub code: &'static str,
    pub label_key: &'static str,
    pub required: bool,
    pub names: &'static [&'static str],
}

const fn field(
    code: &'static str,
    label_key: &'static str,
    required: bool,
    names: &'static [&'static str],
) -> ImportField {
    ImportField {
        code,
        label_key,
        required,
        names,
    }
}

pub const CUSTOMER_FIELDS: &[ImportField] = &[
    field(
        "name",
        "customer.name",
        true,
        &[
            "客户名称",
            "名称",
            "客户",
            "公司名称",
            "单位名称",
            "name",
            "customer",
        ],
    ),
    field(
        "industry",
        "customer.industry",
        true,
        &["行业", "所属行业", "industry"],
    ),
    field(
        "level",
        "customer.level",
        true,
        &["客户级别", "级别", "level"],
    ),
    field(
        "kind",
        "customer.kind",
        false,
        &["客户类型", "类型", "kind"],
    ),
    field(
        "owner",
        "customer.owner",
        false,
        &["负责人", "负责人账号", "登录名", "owner"],
    ),
    field(
        "registered_on",
        "customer.registered_on",
        false,
        &["登记日期", "日期", "registered"],
    ),
    field(
        "phone",
        "customer.phone",
        false,
        &["电话", "联系电话", "电话号码", "phone"],
    ),
    field("fax", "customer.fax", false, &["传真", "fax"]),
    field(
        "website",
        "customer.website",
        false,
        &["网址", "网站", "website"],
    ),
    field("address", "customer.address", false, &["地址", "address"]),
    field("notes", "customer.notes", false, &["备注", "说明", "notes"]),
];

pub const CONTACT_FIELDS: &[ImportField] = &[
    field(
        "customer",
        "contact.customer",
        true,
        &["客户名称", "客户", "公司名称", "customer"],
    ),
    field(
        "name",
        "contact.name",
        true,
        &["姓名", "联系人", "联系人姓名", "name"],
    ),
    field("title", "contact.title", false, &["职务", "职位", "title"]),
    field(
        "department",
        "contact.department",
        false,
        &["部门", "department"],
    ),
    field(
        "phone",
        "contact.phone",
        false,
        &["电话", "办公电话", "phone"],
    ),
    field(
        "mobile",
        "contact.mobile",
        false,
        &["手机", "手机号", "mobile"],
    ),
    field(
        "email",
        "contact.email",
        false,
        &["邮箱", "电子邮件", "email"],
    ),
    field("notes", "contact.notes", false, &["备注", "notes"]),
];

/// An uploaded file on its preview: its first rows and each column's field (`""`: not
/// imported). Also what a refused start comes back with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPreview {
    /// The upload kept on the server for the import (the viewer's own).
    pub token: String,
    pub file_name: String,
    pub kind: String,
    pub headers: Vec<String>,
    /// The first rows after the header.
    pub samples: Vec<Vec<String>>,
    /// Per column, the field's code.
    pub mapping: Vec<String>,
    pub errors: Vec<FieldError>,
}

/// Each mapped field's code and its column.
pub type Columns = Vec<(&'static str, usize)>;

/// The posted start of an import: the upload, its kind and the mapping (`map`, once per
/// column in order).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ImportStart {
    pub token: String,
    pub kind: String,
    pub file_name: String,
    pub map: Vec<String>,
}

impl ImportStart {
    /// The kind and, per field, its column; or why the mapping cannot be imported.
    pub fn parse(&self) -> Result<(ImportKind, Columns), Vec<FieldError>> {
        let Some(kind) = ImportKind::from_code(&self.kind) else {
            return Err(vec![FieldError::new("kind", "field.invalid")]);
        };
        let mut columns = Vec::new();
        let mut errors = Vec::new();
        for (i, code) in self.map.iter().enumerate() {
            if code.is_empty() {
                continue;
            }
            match kind.fields().iter().find(|f| f.code == code) {
                Some(f) if columns.iter().any(|(c, _)| *c == f.code) => {
                    errors.push(FieldError::new(&format!("map{i}"), "import.mapped_twice"));
                }
                Some(f) => columns.push((f.code, i)),
                None => errors.push(FieldError::new(&format!("map{i}"), "field.invalid")),
            }
        }
        for f in kind.fields().iter().filter(|f| f.required) {
            if !columns.iter().any(|(c, _)| *c == f.code) {
                errors.push(FieldError::new("", "import.unmapped"));
                break;
            }
        }
        if errors.is_empty() {
            Ok((kind, columns))
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::posted::FormBody;

    #[test]
    fn headers_are_guessed_and_a_mapping_needs_its_required_fields_once() {
        let k = ImportKind::Customers;
        assert_eq!(k.guess(" 客户名称* "), Some("name"));
        assert_eq!(k.guess("Phone"), Some("phone"));
        assert_eq!(k.guess("联系人"), None);
        assert_eq!(ImportKind::Contacts.guess("联系人"), Some("name"));

        let start: ImportStart =
            FormBody::new("kind=customers&map=name&map=&map=industry&map=level").read();
        assert_eq!(
            start.parse().map(|(_, c)| c),
            Ok(vec![("name", 0), ("industry", 2), ("level", 3)])
        );
        let twice: ImportStart =
            FormBody::new("kind=customers&map=name&map=name&map=industry&map=level").read();
        assert_eq!(
            twice.parse(),
            Err(vec![FieldError::new("map1", "import.mapped_twice")])
        );
        let missing: ImportStart = FormBody::new("kind=customers&map=name").read();
        assert_eq!(
            missing.parse(),
            Err(vec![FieldError::new("", "import.unmapped")])
        );
    }
}
