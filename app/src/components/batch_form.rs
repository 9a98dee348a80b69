//! The batch form of a list (客户管理, 商机管理): the rows' boxes live in the table and belong to
//! this form by its id (`form="batch"`), so the list's query form and the batch form stay apart.
//! A plain post: it works before the WASM loads; with JavaScript, 删除 asks first.

use crate::components::person_field::PersonField;
use crate::i18n::t;
use crate::model::batch::{BatchAction, SubmittedBatch};
use leptos::prelude::*;

/// The form's id, named by each row's box.
pub const FORM_ID: &str = "batch";

/// The box of one row.
pub fn row_box(id: i64, label: String, submitted: &Option<SubmittedBatch>) -> AnyView {
    let checked = submitted.as_ref().is_some_and(|s| s.form.ticked(id));
    view! {
        <td class="select">
            <input type="checkbox" name="id" value=id.to_string() form=FORM_ID
                aria-label=label checked=checked/>
        </td>
    }
    .into_any()
}

/// The head of the boxes' column.
pub fn box_head() -> AnyView {
    view! { <th scope="col" class="select"><span class="sr-only">{t("batch.select")}</span></th> }
        .into_any()
}

#[component]
pub fn BatchForm(
    /// Where it posts: the list's batch path with the list's conditions.
    action: String,
    actions: &'static [BatchAction],
    /// The label of an editable share (可编辑 / 协作).
    editable_label: &'static str,
    submitted: Option<SubmittedBatch>,
) -> impl IntoView {
    let s = submitted.unwrap_or_default();
    let chosen = s.form.action.clone();
    let error = |field: &str| {
        s.error(field).map(|key| {
            let id = format!(
                "batch-{}-error",
                if field.is_empty() { "form" } else { field }
            );
            view! { <span id=id class="field-error" role="alert">{t(&key)}</span> }
        })
    };
    let action_error = error("action");
    let rows_error = error("id");
    let form_error = error("");
    let person = s.person.clone();
    let editable = s.form.access == "edit";
    let all = s.form.all == "1";
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        let form = event_target::<web_sys::HtmlFormElement>(&ev);
        let deleting = web_sys::FormData::new_with_form(&form)
            .ok()
            .and_then(|d| d.get("action").as_string())
            .is_some_and(|a| a == "delete");
        if deleting
            && !window()
                .confirm_with_message(t("batch.delete_confirm"))
                .unwrap_or(false)
        {
            ev.prevent_default();
        }
    };
    view! {
        <form id=FORM_ID class="batch" method="post" action=action on:submit=confirm>
            <fieldset>
                <legend>{t("batch.title")}</legend>
                {form_error}
                <div class="field">
                    <label for="batch-action">{t("batch.action")}</label>
                    <select id="batch-action" name="action"
                        aria-invalid=action_error.is_some().then_some("true")>
                        <option value="">{t("batch.choose")}</option>
                        {actions.iter().map(|a| {
                            let selected = chosen == a.code();
                            view! { <option value=a.code() selected=selected>{t(a.label_key())}</option> }
                        }).collect_view()}
                    </select>
                    {action_error}
                </div>
                <PersonField id="batch-to" name="to" id_name="to_id" label="batch.to" lookup=person/>
                <div class="field">
                    <label for="batch-access">{t("batch.access")}</label>
                    <select id="batch-access" name="access">
                        <option value="">{t("share.read_only")}</option>
                        <option value="edit" selected=editable>{t(editable_label)}</option>
                    </select>
                </div>
                <label class="inline" for="batch-all">
                    <input id="batch-all" type="checkbox" name="all" value="1" checked=all/>
                    {t("batch.all")}
                </label>
                {rows_error}
                <button type="submit">{t("batch.run")}</button>
            </fieldset>
        </form>
    }
}
