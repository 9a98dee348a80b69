//! A form's 附件 field: the file it already holds (uploaded with it earlier, or with a refused
//! post — a file input cannot be refilled), kept unless 移除 is ticked or another file is
//! chosen, and the file input. The form must post `multipart/form-data`.

use crate::i18n::t;
use leptos::prelude::*;

#[component]
pub fn AttachmentField(
    /// The held file's id and name (empty: none).
    held_id: String,
    held_name: String,
    /// The refusal beside the field, if any.
    error: impl Fn() -> Option<AnyView> + Send + Sync + 'static,
) -> impl IntoView {
    let held = (!held_id.is_empty()).then(|| {
        view! {
            <div class="held-file">
                <input type="hidden" name="attachment_id" value=held_id/>
                <input type="hidden" name="attachment_name" value=held_name.clone()/>
                <span>{t("attachment.held")}"："{held_name}</span>
                <label class="inline">
                    <input type="checkbox" name="remove_attachment" value="1"/>
                    {t("attachment.remove")}
                </label>
            </div>
        }
    });
    view! {
        <div class="field">
            <label for="attachment">{t("signing.attachment")}</label>
            {held}
            <input id="attachment" name="attachment" type="file"/>
            {error}
        </div>
    }
}
