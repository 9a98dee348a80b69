//! 审批配置: each city's 地市副总 and 地市总经理, the province's 集客部副总经理 and 集客部总经理,
//! each industry's 行业总监 — whom the workflow engine routes to. 任命 by name or login (a
//! province has too many people to list), 免去 beside each holder; a city or industry nobody can
//! approve in is marked. Plain form posts.

use crate::api::admin::{load_routing, PostCell, RoutingRow, RoutingView, SubmittedRouting};
use crate::i18n::t;
use crate::model::customer::FieldError;
use crate::model::routing::Post;
use crate::pages::status::record_page;
use crate::paths;
use crate::query::use_query;
use leptos::prelude::*;

#[component]
pub fn RoutingPage() -> impl IntoView {
    let saved = use_query().with_untracked(|q| q.get("saved").is_some());
    let submitted = SharedValue::new(use_context::<SubmittedRouting>).into_inner();
    let view = Resource::new(|| (), |()| load_routing());
    record_page(view, move |v| {
        let submitted = submitted.clone();
        view! { <Routing v submitted saved/> }
    })
}

/// The message of `field` among `errors`.
fn error_of(errors: &[FieldError], field: &str) -> Option<impl IntoView + use<>> {
    errors
        .iter()
        .find(|e| e.field == field)
        .map(|e| view! { <span class="field-error" role="alert">{t(&e.key)}</span> })
}

/// A post's column: its role's name (the names users are trained on).
fn post_label(code: &str) -> &'static str {
    Post::from_code(code).map_or("", |p| p.role().label_zh())
}

#[component]
fn Routing(v: RoutingView, submitted: Option<SubmittedRouting>, saved: bool) -> impl IntoView {
    let whole = submitted.as_ref().and_then(|s| error_of(&s.errors, ""));
    let table = |title: &'static str, heads: Vec<&'static str>, rows: Vec<RoutingRow>| {
        let submitted = submitted.clone();
        let rows = rows
            .into_iter()
            .map(|row| view! { <Row row submitted=submitted.clone()/> })
            .collect_view();
        let heads = heads
            .into_iter()
            .map(|h| view! { <th scope="col">{h}</th> })
            .collect_view();
        view! {
            <table class="routing">
                <thead><tr><th scope="col">{t(title)}</th>{heads}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        }
    };
    view! {
        <section class="page routing">
            <p><a href=paths::ADMIN.path()>{t("menu.admin")}</a></p>
            <h1>{t("admin.routing")}</h1>
            {saved.then(|| view! { <p class="notice" role="status">{t("routing.saved")}</p> })}
            <p class="hint">{t("routing.applies_to_new_steps")}</p>
            {whole}
            <h2>{t("routing.cities")}</h2>
            {table("routing.city", vec![post_label("city_deputy"), post_label("city_gm")], v.cities)}
            <h2>{t("routing.province")}</h2>
            {table("routing.unit", vec![post_label("province_deputy"), post_label("province_gm")], vec![v.province])}
            <h2>{t("routing.industries")}</h2>
            {table("routing.industry", vec![post_label("industry_director")], v.industries)}
        </section>
    }
}

#[component]
fn Row(row: RoutingRow, submitted: Option<SubmittedRouting>) -> impl IntoView {
    let cells = row
        .cells
        .into_iter()
        .map(|cell| {
            let refused = submitted
                .clone()
                .filter(|s| s.form.post == cell.post && s.form.unit == cell.unit);
            view! { <td><Cell cell refused/></td> }
        })
        .collect_view();
    let unit = row.name.clone();
    view! {
        <tr data-unit=unit class:unstaffed=row.unstaffed>
            <th scope="row">
                {row.name}
                {row.unstaffed.then(|| view! { <span class="warning">{t("routing.unstaffed")}</span> })}
            </th>
            {cells}
        </tr>
    }
}

/// A post at one unit: each holder with 免去, then 任命 by name or login.
#[component]
fn Cell(cell: PostCell, refused: Option<SubmittedRouting>) -> impl IntoView {
    let hidden = |action: &'static str| {
        view! {
            <input type="hidden" name="action" value=action/>
            <input type="hidden" name="post" value=cell.post.clone()/>
            <input type="hidden" name="unit" value=cell.unit.clone()/>
        }
    };
    let removing = refused.as_ref().filter(|s| s.form.action == "remove");
    let holders = cell
        .holders
        .iter()
        .map(|(id, label)| {
            let errors = removing
                .filter(|s| s.form.user == id.to_string())
                .map(|s| s.errors.clone())
                .unwrap_or_default();
            view! {
                <form method="post" action=paths::ADMIN_ROUTING.path() class="holder">
                    {hidden("remove")}
                    <input type="hidden" name="user" value=id.to_string()/>
                    <span>{label.clone()}</span>
                    <button type="submit" class="link">{t("routing.remove")}</button>
                    {error_of(&errors, "person")}
                </form>
            }
        })
        .collect_view();
    let appointing = refused.filter(|s| s.form.action == "appoint");
    let (text, errors, candidates) = match appointing {
        Some(s) => (s.form.person, s.errors, s.lookup.candidates),
        None => (String::new(), Vec::new(), Vec::new()),
    };
    let field = format!("person-{}-{}", cell.post, cell.unit);
    let choices = (!candidates.is_empty()).then(|| {
        let radios = candidates
            .into_iter()
            .map(|(id, label)| {
                let radio = format!("{field}-{id}");
                let for_radio = radio.clone();
                view! {
                    <label for=for_radio class="inline">
                        <input id=radio type="radio" name="user" value=id.to_string()/>
                        {label}
                    </label>
                }
            })
            .collect_view();
        view! { <fieldset class="candidates">{radios}</fieldset> }
    });
    view! {
        <div class="post" data-post=cell.post.clone()>
            {holders}
            <form method="post" action=paths::ADMIN_ROUTING.path() class="appoint">
                {hidden("appoint")}
                <label for=field.clone() class="sr-only">{t("routing.person")}</label>
                <input id=field name="person" type="search" value=text autocomplete="off"
                    placeholder=t("lookup.placeholder")/>
                <button type="submit" class="secondary">{t("routing.appoint")}</button>
                {error_of(&errors, "person")}
                {choices}
            </form>
        </div>
    }
}
