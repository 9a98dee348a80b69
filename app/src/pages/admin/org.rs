//! 组织管理: the tree province → cities → departments, depth first. Each unit renamed in place
//! and 停用 / 启用 beside it; 添加单位 and 移动单位 above. Plain form posts; a refused one
//! comes back with what was typed and the reason beside the field.

use crate::api::admin::{load_org_admin, OrgAdminRow, OrgAdminView, SubmittedOrg};
use crate::i18n::t;
use crate::model::customer::FieldError;
use crate::pages::status::record_page;
use crate::paths;
use crate::query::use_query;
use leptos::prelude::*;

#[component]
pub fn OrgPage() -> impl IntoView {
    let saved = use_query().with_untracked(|q| q.get("saved").is_some());
    let submitted = SharedValue::new(use_context::<SubmittedOrg>).into_inner();
    let view = Resource::new(|| (), |()| load_org_admin());
    record_page(view, move |v| {
        let submitted = submitted.clone();
        view! { <Org v submitted saved/> }
    })
}

fn error_of(errors: &[FieldError], field: &str) -> Option<impl IntoView + use<>> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| view! { <span class="field-error" role="alert">{t(&e.key)}</span> })
}

/// `<option>`s of the active units, indented, `chosen` selected.
fn unit_options(units: &[OrgAdminRow], chosen: &str) -> impl IntoView + use<> {
    let options = units
        .iter()
        .filter(|u| u.active)
        .map(|u| {
            let selected = chosen == u.id.to_string();
            let label = format!("{}{}", "　".repeat(u.depth), u.name);
            view! { <option value=u.id.to_string() selected=selected>{label}</option> }
        })
        .collect_view();
    view! {
        <option value="" selected=chosen.is_empty()>{t("form.choose")}</option>
        {options}
    }
}

#[component]
fn Org(v: OrgAdminView, submitted: Option<SubmittedOrg>, saved: bool) -> impl IntoView {
    let of = |action: &str| submitted.clone().filter(|s| s.form.action == action);
    let (add, add_errors) = of("add").map(|s| (s.form, s.errors)).unwrap_or_default();
    let (moving, move_errors) = of("move").map(|s| (s.form, s.errors)).unwrap_or_default();
    let rows = v
        .units
        .iter()
        .map(|u| {
            let refused = submitted
                .clone()
                .filter(|s| s.form.id == u.id.to_string() && s.form.action != "move");
            view! { <UnitRow u=u.clone() refused/> }
        })
        .collect_view();
    let kind = add.kind.clone();
    view! {
        <section class="page org-admin">
            <p><a href=paths::ADMIN.path()>{t("menu.admin")}</a></p>
            <h1>{t("admin.org")}</h1>
            {saved.then(|| view! { <p class="notice" role="status">{t("org.saved")}</p> })}
            <h2>{t("org.add")}</h2>
            <form method="post" action=paths::ADMIN_ORG.path() class="dict-row" data-form="add">
                <input type="hidden" name="action" value="add"/>
                <label for="add-name">{t("org.name")}</label>
                <input id="add-name" name="name" type="text" maxlength="30" value=add.name.clone()/>
                {error_of(&add_errors, "name")}
                <label for="add-kind">{t("org.kind")}</label>
                <select id="add-kind" name="kind">
                    <option value="department" selected=kind != "city">{t("org.kind.department")}</option>
                    <option value="city" selected=kind == "city">{t("org.kind.city")}</option>
                </select>
                {error_of(&add_errors, "kind")}
                <label for="add-parent">{t("org.parent")}</label>
                <select id="add-parent" name="parent_id">{unit_options(&v.units, &add.parent_id)}</select>
                {error_of(&add_errors, "parent_id")}
                <button type="submit" class="primary">{t("org.add")}</button>
                {error_of(&add_errors, "")}
            </form>
            <h2>{t("org.move_title")}</h2>
            <form method="post" action=paths::ADMIN_ORG.path() class="dict-row" data-form="move">
                <input type="hidden" name="action" value="move"/>
                <label for="move-id">{t("org.unit")}</label>
                <select id="move-id" name="id">{unit_options(&v.units, &moving.id)}</select>
                {error_of(&move_errors, "id")}
                <label for="move-parent">{t("org.parent")}</label>
                <select id="move-parent" name="parent_id">{unit_options(&v.units, &moving.parent_id)}</select>
                {error_of(&move_errors, "parent_id")}
                <button type="submit" class="secondary">{t("org.move")}</button>
                {error_of(&move_errors, "")}
            </form>
            <h2>{t("admin.org")}</h2>
            <div class="org-tree">{rows}</div>
        </section>
    }
}

/// One unit: its name (重命名) and 停用 / 启用.
#[component]
fn UnitRow(u: OrgAdminRow, refused: Option<SubmittedOrg>) -> impl IntoView {
    let (name, errors) = match refused {
        Some(s) => (s.form.name, s.errors),
        None => (u.name.clone(), Vec::new()),
    };
    let (toggle, toggle_label) = if u.active {
        ("disable", "user.disable")
    } else {
        ("enable", "user.enable")
    };
    let field = format!("unit-{}", u.id);
    let indent = format!("margin-left: {}em", u.depth * 2);
    view! {
        <form method="post" action=paths::ADMIN_ORG.path() class="dict-row" class:disabled=!u.active
            style=indent data-unit=u.name.clone()>
            <input type="hidden" name="id" value=u.id.to_string()/>
            <label for=field.clone() class="sr-only">{t("org.name")}</label>
            <input id=field name="name" type="text" maxlength="30" value=name/>
            <span class="hint">{t(&format!("org.kind.{}", u.kind))}</span>
            {(!u.active).then(|| view! { <span class="hint">{t("user.disabled")}</span> })}
            <button type="submit" name="action" value="rename" class="secondary">{t("org.rename")}</button>
            <button type="submit" name="action" value=toggle class="secondary">{t(toggle_label)}</button>
            {error_of(&errors, "name")}
            {error_of(&errors, "")}
        </form>
    }
}
