//! 合并: two customers side by side, which survives, and per field whose value to keep.

use serde::{Deserialize, Serialize};

/// The fields a merge chooses between (code, label key), in the page's order.
pub const MERGED_FIELDS: &[(&str, &str)] = &[
    ("name", "customer.name"),
    ("industry", "customer.industry"),
    ("level", "customer.level"),
    ("registered_on", "customer.registered_on"),
    ("phone", "customer.phone"),
    ("fax", "customer.fax"),
    ("website", "customer.website"),
    ("address", "customer.address"),
    ("notes", "customer.notes"),
];

/// One of the two customers as the page shows it: each field's value by code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeSide {
    pub id: i64,
    pub version: i64,
    pub owner: String,
    pub values: Vec<(String, String)>,
}

impl MergeSide {
    pub fn value(&self, field: &str) -> &str {
        self.values
            .iter()
            .find(|(f, _)| f == field)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// The posted merge: the two customers at the versions read, which survives (`a` or `b`) and,
/// per field, whose value to keep (`pick_<field>` = `a` or `b`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MergeForm {
    pub a: String,
    pub b: String,
    pub version_a: String,
    pub version_b: String,
    pub survivor: String,
    pub pick_name: String,
    pub pick_industry: String,
    pub pick_level: String,
    pub pick_registered_on: String,
    pub pick_phone: String,
    pub pick_fax: String,
    pub pick_website: String,
    pub pick_address: String,
    pub pick_notes: String,
}

impl MergeForm {
    /// Whether `field` keeps `b`'s value (else `a`'s).
    pub fn picks_b(&self, field: &str) -> bool {
        let pick = match field {
            "name" => &self.pick_name,
            "industry" => &self.pick_industry,
            "level" => &self.pick_level,
            "registered_on" => &self.pick_registered_on,
            "phone" => &self.pick_phone,
            "fax" => &self.pick_fax,
            "website" => &self.pick_website,
            "address" => &self.pick_address,
            "notes" => &self.pick_notes,
            _ => return false,
        };
        pick == "b"
    }
}
