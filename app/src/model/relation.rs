//! 联系人关系图: how a customer's contacts stand to one another, and where the graph draws them.

use super::customer::FieldError;
use serde::{Deserialize, Serialize};

/// The kinds of relation (code, label key): 「A 是 B 的上级」 and so on.
pub const RELATION_KINDS: &[(&str, &str)] = &[
    ("superior", "relation.superior"),
    ("subordinate", "relation.subordinate"),
    ("influences", "relation.influences"),
    ("decides_for", "relation.decides_for"),
    ("colleague", "relation.colleague"),
];

/// The label key of a relation kind's code.
pub fn kind_label(code: &str) -> &'static str {
    RELATION_KINDS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("relation.colleague", |(_, key)| *key)
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationView {
    pub id: i64,
    pub from: i64,
    pub to: i64,
    pub kind: String,
}

/// A customer's contacts and their relations, and whether the viewer may change them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactGraph {
    pub contacts: Vec<(i64, String)>,
    pub relations: Vec<RelationView>,
    pub can_edit: bool,
}

/// The posted form: 添加 (`add`: from, kind, to) or 删除 (`delete`: id).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RelationForm {
    pub action: String,
    pub from: String,
    pub to: String,
    pub kind: String,
    pub id: String,
}

/// A refused 添加 / 删除, with what was chosen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedRelation {
    pub form: RelationForm,
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RelationChange {
    Add { from: i64, to: i64, kind: String },
    Delete { id: i64 },
}

impl RelationForm {
    pub fn parse(&self) -> Result<RelationChange, Vec<FieldError>> {
        let id = |s: &str| s.trim().parse::<i64>().ok();
        if self.action == "delete" {
            return id(&self.id)
                .map(|id| RelationChange::Delete { id })
                .ok_or_else(|| vec![FieldError::new("", "field.invalid")]);
        }
        let mut errors = Vec::new();
        let (from, to) = (id(&self.from), id(&self.to));
        if from.is_none() {
            errors.push(FieldError::new("relation_from", "field.required"));
        }
        if to.is_none() {
            errors.push(FieldError::new("relation_to", "field.required"));
        }
        if !RELATION_KINDS.iter().any(|(c, _)| *c == self.kind) {
            errors.push(FieldError::new("relation_kind", "field.required"));
        }
        match (from, to) {
            (Some(f), Some(t)) if f == t && errors.is_empty() => {
                Err(vec![FieldError::new("relation_to", "relation.self")])
            }
            (Some(from), Some(to)) if errors.is_empty() => Ok(RelationChange::Add {
                from,
                to,
                kind: self.kind.clone(),
            }),
            _ => Err(errors),
        }
    }
}

/// Where the graph draws each of `n` contacts: around a circle in a `size`-wide square (one in
/// the middle), so twenty names stay apart.
pub fn layout(n: usize, size: f64) -> Vec<(f64, f64)> {
    let centre = size / 2.0;
    if n == 1 {
        return vec![(centre, centre)];
    }
    let radius = size / 2.0 - 70.0;
    (0..n)
        .map(|i| {
            let angle = -std::f64::consts::FRAC_PI_2 + i as f64 * std::f64::consts::TAU / n as f64;
            (centre + radius * angle.cos(), centre + radius * angle.sin())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relation_names_two_contacts_and_a_kind() {
        let form = |from: &str, to: &str, kind: &str| RelationForm {
            action: "add".into(),
            from: from.into(),
            to: to.into(),
            kind: kind.into(),
            id: String::new(),
        };
        assert_eq!(
            form("1", "2", "superior").parse(),
            Ok(RelationChange::Add {
                from: 1,
                to: 2,
                kind: "superior".into()
            })
        );
        assert_eq!(
            form("1", "1", "colleague").parse().unwrap_err()[0].key,
            "relation.self"
        );
        assert_eq!(form("", "2", "boss").parse().unwrap_err().len(), 2);
    }

    #[test]
    fn twenty_contacts_stand_apart() {
        let points = layout(20, 600.0);
        for (i, a) in points.iter().enumerate() {
            assert!(a.0 >= 60.0 && a.0 <= 540.0 && a.1 >= 60.0 && a.1 <= 540.0);
            for b in &points[i + 1..] {
                let d = ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
                assert!(d > 70.0, "{d}");
            }
        }
        assert_eq!(layout(1, 600.0), [(300.0, 300.0)]);
    }
}
