//! Checks a form in the browser before it is posted, with the very parse functions the
//! server runs: a refused field gets its message at once, nothing is sent, and nothing typed
//! is touched. The server checks again (the browser may be bypassed), and without JavaScript
//! its re-rendered page says the same.

use crate::model::customer::FieldError;
use crate::model::posted::FormBody;
use leptos::prelude::*;

/// The refusals the browser found on the last submit (`None`: not checked yet, so the
/// server's, if any, stand).
#[derive(Clone, Copy)]
pub struct ClientCheck(RwSignal<Option<Vec<FieldError>>>);

impl ClientCheck {
    pub fn new() -> Self {
        Self(RwSignal::new(None))
    }

    /// A submit handler: reads the form as it would be posted (with the button that
    /// submitted it), runs `check`, and stops the post if it refuses anything.
    pub fn on_submit(
        self,
        check: impl Fn(&FormBody) -> Result<(), Vec<FieldError>> + 'static,
    ) -> impl Fn(leptos::ev::SubmitEvent) + 'static {
        move |ev: leptos::ev::SubmitEvent| {
            let Some(body) = read_form(&ev) else {
                return; // Unreadable here: the server decides.
            };
            match check(&body) {
                Ok(()) => self.0.set(None),
                Err(errors) => {
                    ev.prevent_default();
                    self.0.set(Some(errors));
                }
            }
        }
    }

    /// The message key for `field`: the browser's finding once it checked, else the server's.
    pub fn error(self, field: &str, server: &[FieldError]) -> Option<String> {
        let find = |list: &[FieldError]| {
            list.iter()
                .find(|e| e.field == field)
                .map(|e| e.key.clone())
        };
        self.0.with(|checked| match checked {
            Some(list) => find(list),
            None => find(server),
        })
    }
}

impl Default for ClientCheck {
    fn default() -> Self {
        Self::new()
    }
}

/// The submitted form's body, the submitting button's name and value included.
fn read_form(ev: &leptos::ev::SubmitEvent) -> Option<FormBody> {
    use wasm_bindgen::JsCast;
    let form: web_sys::HtmlFormElement = ev.target()?.dyn_into().ok()?;
    let data = web_sys::FormData::new_with_form(&form).ok()?;
    let mut pairs: Vec<(String, String)> = Vec::new();
    for entry in js_sys::try_iter(&data.entries()).ok()??.flatten() {
        let entry: js_sys::Array = entry.unchecked_into();
        if let (Some(name), Some(value)) = (entry.get(0).as_string(), entry.get(1).as_string()) {
            pairs.push((name, value));
        }
    }
    if let Some(button) = ev.submitter() {
        if let (Some(name), Some(value)) =
            (button.get_attribute("name"), button.get_attribute("value"))
        {
            pairs.push((name, value));
        }
    }
    Some(FormBody::from_pairs(&pairs))
}

/// The server's message for `field` among `errors`, beside the field (forms without a browser
/// check of their own).
pub fn field_message(errors: &[FieldError], field: &str) -> Option<AnyView> {
    errors.iter().find(|e| e.field == field).map(|e| {
        view! { <span class="field-error" role="alert">{crate::i18n::t(&e.key)}</span> }.into_any()
    })
}
