//! Checks a form in the browser before it is posted, with the very parse functions the
//! server runs: a refused field gets its message at once, nothing is sent, and nothing typed
//! is touched. The server checks again (the browser may be bypassed), and without JavaScript
//! its re-rendered page says the same.

use crate::model::customer::FieldError;
use leptos::prelude::*;
use serde::de::DeserializeOwned;

/// The refusals the browser found on the last submit (`None`: not checked yet, so the
/// server's, if any, stand).
#[derive(Clone, Copy)]
pub struct ClientCheck(RwSignal<Option<Vec<FieldError>>>);

impl ClientCheck {
    pub fn new() -> Self {
        Self(RwSignal::new(None))
    }

    /// A submit handler: reads the form as `T`, runs `parse`, and stops the post if it
    /// refuses anything.
    pub fn on_submit<T, R>(
        self,
        parse: impl Fn(&T) -> Result<R, Vec<FieldError>> + 'static,
    ) -> impl Fn(leptos::ev::SubmitEvent) + 'static
    where
        T: DeserializeOwned,
    {
        move |ev: leptos::ev::SubmitEvent| {
            let Some(form) = read_form::<T>(&ev) else {
                return; // Unreadable here: the server decides.
            };
            match parse(&form) {
                Ok(_) => self.0.set(None),
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

/// The submitted form's fields as `T` (every field a string, by its `name`).
fn read_form<T: DeserializeOwned>(ev: &leptos::ev::SubmitEvent) -> Option<T> {
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
    let map =
        serde::de::value::MapDeserializer::<_, serde::de::value::Error>::new(pairs.into_iter());
    T::deserialize(map).ok()
}
