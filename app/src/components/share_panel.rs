//! 共享: one panel for customers and opportunities alike.

use crate::components::person_field::PersonField;
use crate::i18n::t;
use crate::model::share::{Sharing, SubmittedShare};
use leptos::prelude::*;

/// Who the record is shared with (撤回 each), and a form to share it with someone else (typed,
/// looked up by the server), read-only or editable. Plain forms: they post and come back
/// without JavaScript; a post that found nobody or several comes back as `submitted`.
#[component]
pub fn SharePanel(sharing: Sharing, submitted: Option<SubmittedShare>) -> impl IntoView {
    let submitted = submitted.unwrap_or_default();
    let page = sharing.kind.page(sharing.record_id);
    let editable_label = sharing.kind.editable_label();
    let unshare = format!("{page}/unshare");
    let list = if sharing.shares.is_empty() {
        view! { <p class="notice">{t("share.none")}</p> }.into_any()
    } else {
        view! {
            <ul class="shares">
                {sharing.shares.into_iter().map(|s| view! {
                    <li>
                        <span class="share-user">{s.user_name}</span>
                        " · "
                        {t(if s.editable { editable_label } else { "share.read_only" })}
                        <form method="post" action=unshare.clone() class="inline-form">
                            <input type="hidden" name="user_id" value=s.user_id.to_string()/>
                            <button type="submit" class="link-button">{t("share.withdraw")}</button>
                        </form>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let editable_value = sharing.kind.editable_value();
    view! {
        <div class="panel no-print">
            <div class="panel-head"><h2>{t("share.title")}</h2></div>
            <div class="panel-body">
                {list}
                <form method="post" action=format!("{page}/share") class="query-form">
                    <PersonField id="share-user" name="user" id_name="user_id" label="share.user"
                        lookup=submitted.user required=true/>
                    <fieldset class="field">
                        <label for="access-read" class="inline">
                            <input id="access-read" type="radio" name="access" value="read"
                                checked=!submitted.editable/>
                            {t("share.read_only")}
                        </label>
                        <label for=format!("access-{editable_value}") class="inline">
                            <input id=format!("access-{editable_value}") type="radio" name="access"
                                value=editable_value checked=submitted.editable/>
                            {t(editable_label)}
                        </label>
                    </fieldset>
                    <button type="submit" class="primary">{t("share.submit")}</button>
                </form>
            </div>
        </div>
    }
}
