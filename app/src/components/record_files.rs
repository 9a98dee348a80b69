//! A record's 附件 panel (customers, opportunities): the files with their size, uploader and
//! time, each a download link, 删除 where the viewer may; and 上传 of several files at once
//! (a plain multipart form, refused beside the input when a file is too large or of a type not
//! kept).

use crate::i18n::t;
use crate::model::attachment::{readable_size, RecordFiles, SubmittedFiles};
use crate::paths;
use crate::query::use_query;
use leptos::prelude::*;

#[component]
pub fn FilesPanel(files: RecordFiles, post_to: String) -> impl IntoView {
    let refused = SharedValue::new(use_context::<SubmittedFiles>).into_inner();
    let error = refused.and_then(|s| s.errors.into_iter().next()).map(|e| {
        view! { <span class="field-error" role="alert">{t(&e.key)}</span> }
    });
    let uploaded = use_query().with_untracked(|q| q.get("uploaded"));
    let rows = files
        .files
        .into_iter()
        .map(|f| {
            let delete = f.can_delete.then(|| {
                view! {
                    <form method="post" action=paths::ATTACHMENT_DELETE.of(f.id) class="inline-form">
                        <button type="submit" class="link">{t("common.delete")}</button>
                    </form>
                }
            });
            view! {
                <tr>
                    <td><a href=paths::ATTACHMENT.of(f.id) rel="external" download>{f.name}</a></td>
                    <td>{readable_size(f.size_bytes)}</td>
                    <td>{f.uploader}</td>
                    <td>{f.uploaded_at}</td>
                    <td>{delete}</td>
                </tr>
            }
        })
        .collect_view();
    let upload = files.can_upload.then(|| {
        view! {
            <form method="post" action=post_to enctype="multipart/form-data" class="dict-row">
                <label for="file-input">{t("files.choose")}</label>
                <input id="file-input" name="files" type="file" multiple=true/>
                <button type="submit" class="secondary">{t("files.upload")}</button>
                {error}
                <span class="hint">{t("files.rules")}</span>
            </form>
        }
    });
    view! {
        <div class="panel" id="files">
            <h2>{t("files.title")}</h2>
            {uploaded.map(|n| view! { <p class="notice" role="status">{t("files.uploaded")}" "{n}</p> })}
            <table class="list files">
                <thead><tr>
                    <th>{t("files.name")}</th>
                    <th>{t("files.size")}</th>
                    <th>{t("files.uploader")}</th>
                    <th>{t("files.at")}</th>
                    <th></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
            {upload}
        </div>
    }
}
