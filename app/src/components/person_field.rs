//! A person field filled by typing: the text, the message when it found nobody or several, and
//! then those found as choices. Plain form fields, so it works before the WASM loads.

use crate::i18n::t;
use crate::model::lookup::PersonLookup;
use leptos::prelude::*;

/// `name` carries the text, `id_name` the person chosen among several (a radio each).
#[component]
pub fn PersonField(
    id: &'static str,
    name: &'static str,
    id_name: &'static str,
    label: &'static str,
    lookup: PersonLookup,
    #[prop(optional)] required: bool,
    #[prop(optional)] disabled: bool,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let invalid = lookup.error.is_some();
    view! {
        <div class="field person-field">
            <label for=id>{t(label)}</label>
            <input id=id name=name type="search" value=lookup.text required=required disabled=disabled
                placeholder=t("lookup.placeholder") autocomplete="off"
                aria-invalid=invalid.then_some("true")
                aria-describedby=invalid.then(|| error_id.clone())/>
            {lookup.error.map(|key| view! {
                <span id=error_id class="field-error" role="alert">{t(&key)}</span>
            })}
            {(!lookup.candidates.is_empty()).then(|| view! {
                <fieldset class="candidates">
                    {lookup.candidates.into_iter().map(|(pid, label)| {
                        let radio = format!("{id}-{pid}");
                        let for_radio = radio.clone();
                        view! {
                            <label for=for_radio class="inline">
                                <input id=radio type="radio" name=id_name value=pid.to_string()/>
                                {label}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
            })}
        </div>
    }
}
