//! The organisation tree as nested lists.

use crate::i18n::t;
use crate::model::{OrgUnitKind, OrgUnitView};
use leptos::prelude::*;

/// Draws `units` as a tree rooted at the units without a parent.
#[component]
pub fn OrgTree(units: Vec<OrgUnitView>) -> impl IntoView {
    let roots: Vec<_> = units
        .iter()
        .filter(|u| u.parent_id.is_none())
        .cloned()
        .collect();
    view! { <ul class="org-tree">{branches(roots, &units)}</ul> }
}

fn branches(level: Vec<OrgUnitView>, all: &[OrgUnitView]) -> Vec<AnyView> {
    level
        .into_iter()
        .map(|unit| {
            let children: Vec<_> = all
                .iter()
                .filter(|u| u.parent_id == Some(unit.id))
                .cloned()
                .collect();
            let kind = unit.kind;
            let nested =
                (!children.is_empty()).then(|| view! { <ul>{branches(children, all)}</ul> });
            view! {
                <li class=kind_class(kind)>
                    <span class="org-name">{unit.name}</span>
                    <span class="org-kind">{t(kind_key(kind))}</span>
                    {nested}
                </li>
            }
            .into_any()
        })
        .collect()
}

fn kind_key(kind: OrgUnitKind) -> &'static str {
    match kind {
        OrgUnitKind::Province => "org.kind.province",
        OrgUnitKind::City => "org.kind.city",
        OrgUnitKind::Department => "org.kind.department",
    }
}

fn kind_class(kind: OrgUnitKind) -> &'static str {
    match kind {
        OrgUnitKind::Province => "org-province",
        OrgUnitKind::City => "org-city",
        OrgUnitKind::Department => "org-department",
    }
}
