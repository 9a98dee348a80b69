//! 导入: choose a CSV or XLSX file of customers or contacts; its preview shows the first rows
//! with each column's field (guessed from the header, changeable); 开始导入 starts the job, whose
//! page shows its progress and, at the end, the rows refused with why. Plain forms throughout.

use crate::api::customers::load_customer_form;
use crate::components::form_check::field_message;
use crate::i18n::t;
use crate::model::import::{ImportKind, ImportPreview};
use crate::pages::status::refusal_page;
use crate::paths;
use leptos::prelude::*;

#[component]
pub fn ImportPage() -> impl IntoView {
    let preview = SharedValue::new(use_context::<ImportPreview>).into_inner();
    // Importing adds customers: the page is for who may add them (as 添加客户 is; the posts
    // check the same).
    let allowed = Resource::new(
        || (),
        |_| async move { load_customer_form().await.map(|_| ()) },
    );
    view! {
        <Suspense fallback=|| view! { <p>{t("common.loading")}</p> }>
            {
                let preview = preview.clone();
                move || {
                    let preview = preview.clone();
                    Suspend::new(async move {
                        match allowed.await {
                            Ok(()) => view! { <ImportSteps preview/> }.into_any(),
                            Err(e) => refusal_page(e),
                        }
                    })
                }
            }
        </Suspense>
    }
}

#[component]
fn ImportSteps(preview: Option<ImportPreview>) -> impl IntoView {
    let ready = preview
        .as_ref()
        .is_some_and(|p| !p.headers.is_empty() && p.token.len() >= 16);
    view! {
        <section class="page import">
            <div class="page-head">
                <h1>{t("import.title")}</h1>
                <a href=paths::CUSTOMERS.path() class="button secondary">{t("common.back")}</a>
            </div>
            {match (ready, preview) {
                (true, Some(p)) => view! { <Preview p/> }.into_any(),
                (_, p) => view! { <Upload p=p.unwrap_or_default()/> }.into_any(),
            }}
        </section>
    }
}

/// The file and what it holds.
#[component]
fn Upload(p: ImportPreview) -> impl IntoView {
    let kind = ImportKind::from_code(&p.kind).unwrap_or(ImportKind::Customers);
    let file_error = field_message(&p.errors, "file");
    let invalid = file_error.is_some().then_some("true");
    view! {
        <form method="post" action=paths::CUSTOMER_IMPORT.path() enctype="multipart/form-data" class="form">
            {field_message(&p.errors, "")}
            <div class="field">
                <label for="import-kind">{t("import.kind")}</label>
                <select id="import-kind" name="kind">
                    {ImportKind::ALL.into_iter().map(|k| view! {
                        <option value=k.code() selected=k == kind>{t(k.label_key())}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="import-file">{t("import.file")}</label>
                <input id="import-file" type="file" name="file" accept=".csv,.xlsx,text/csv"
                    aria-invalid=invalid/>
                {file_error}
            </div>
            <p class="hint">{t("import.hint")}</p>
            <button type="submit">{t("import.preview")}</button>
        </form>
    }
}

/// The first rows with a field chosen per column.
#[component]
fn Preview(p: ImportPreview) -> impl IntoView {
    let kind = ImportKind::from_code(&p.kind).unwrap_or(ImportKind::Customers);
    let errors = p.errors.clone();
    let selects = p
        .headers
        .iter()
        .enumerate()
        .map(|(i, header)| {
            let chosen = p.mapping.get(i).cloned().unwrap_or_default();
            let id = format!("map-{i}");
            let label = format!("{}：{}", t("import.column"), header);
            let error = field_message(&errors, &format!("map{i}"));
            view! {
                <th scope="col">
                    <span class="column-head">{header.clone()}</span>
                    <select id=id name="map" aria-label=label>
                        <option value="">{t("import.skip")}</option>
                        {kind.fields().iter().map(|f| {
                            let text = format!("{}{}", t(f.label_key), if f.required { " *" } else { "" });
                            view! { <option value=f.code selected=chosen == f.code>{text}</option> }
                        }).collect_view()}
                    </select>
                    {error}
                </th>
            }
        })
        .collect_view();
    let rows = p
        .samples
        .iter()
        .map(|row| {
            let cells = (0..p.headers.len())
                .map(|i| view! { <td>{row.get(i).cloned().unwrap_or_default()}</td> })
                .collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    view! {
        <form method="post" action=paths::CUSTOMER_IMPORT_START.path() class="form">
            <input type="hidden" name="token" value=p.token.clone()/>
            <input type="hidden" name="kind" value=p.kind.clone()/>
            <input type="hidden" name="file_name" value=p.file_name.clone()/>
            <p>{t(kind.label_key())}" · "<strong>{p.file_name.clone()}</strong></p>
            {field_message(&p.errors, "")}
            <p class="hint">{t("import.mapping_hint")}</p>
            <div class="table-wrap">
                <table class="list import-preview">
                    <thead><tr>{selects}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <button type="submit">{t("import.start")}</button>
            " "
            <a href=paths::CUSTOMER_IMPORT.path() class="button secondary">{t("import.again")}</a>
        </form>
    }
}
