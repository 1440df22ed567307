/* The upload question (docs/protocol.md, "Evidence uploads"): files from the camera or the phone's
   files, each uploaded at once in chunks the server acknowledges, with its progress; after a dropped
   connection it asks the server how far it got and carries on from there. Each file gets a one-line
   description and can be removed before Continue. Nothing is kept in browser storage. */
import { el, t, state, BCP } from "./page.js";

const csrf = () => (document.querySelector('input[name="csrf_token"]') || {}).value || "";
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

async function call(method, url, body, headers) {
  const r = await fetch(url, { method, body, credentials: "same-origin", headers: { "X-CSRFToken": csrf(), ...headers } });
  let data = {};
  try { data = await r.json(); } catch { /* HEAD and 204 have no body */ }
  return { status: r.status, offset: Number(r.headers.get("Upload-Offset")), data };
}

// Send one file from the acknowledged offset on, for as long as the connection keeps dropping.
async function send(entry, p) {
  const file = entry.file;
  let created;
  for (let wait = 500; !created; wait = Math.min(wait * 2, 8000)) {
    try { created = await call("POST", "/uploads/", JSON.stringify({ conversation_id: state.conv.conversation_id, question_id: p.question_id, size: file.size }), { "Content-Type": "application/json" }); }
    catch { entry.show("paused"); await pause(wait); }
  }
  if (created.status !== 201) return entry.fail(created.data.error);
  entry.id = created.data.id;
  const size = created.data.chunk_size;
  let offset = 0, wait = 500;
  while (offset < file.size && !entry.removed) {
    try {
      const r = await call("PATCH", "/uploads/" + entry.id, file.slice(offset, offset + size), { "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" });
      if (r.status === 409 && Number.isFinite(r.offset)) { offset = r.offset; continue; } // it had arrived: go on from there
      if (r.status !== 200) return entry.fail(r.data.error);
      offset = r.offset; wait = 500;
      entry.show(offset / file.size);
    } catch { // the connection dropped: wait, then ask how far the server got
      entry.show("paused");
      await pause(wait);
      wait = Math.min(wait * 2, 8000);
      try { const r = await call("HEAD", "/uploads/" + entry.id); if (r.status === 200) offset = r.offset; } catch { /* still offline */ }
    }
  }
  if (!entry.removed) entry.done();
}

export function upload(p) {
  const limits = p.upload || { accept: "", max_bytes: 25 * 1024 * 1024, max_files: 10, description_length: 200 };
  const entries = [];
  const list = el("ul", { class: "evidence-files", "aria-live": "polite" });
  const picker = (label, attrs) => {
    const input = el("input", { type: "file", class: "vh", ...attrs, onchange: () => { add(Array.from(input.files)); input.value = ""; } });
    return el("label", { class: "button secondary file-button" }, input, el("span", { text: label }));
  };
  const camera = picker(t("take_photo"), { accept: "image/*", capture: "environment", "data-picker": "camera" });
  const files = picker(t("choose_files"), { accept: limits.accept, multiple: true, "data-picker": "files" });

  function entry(file, previous) {
    const n = entries.length + 1;
    const progress = el("progress", { max: "100", value: previous ? "100" : "0" });
    const status = el("span", { class: "hint upload-status", text: previous ? t("upload_done") : "" });
    const description = el("input", { type: "text", class: "input", id: "file-description-" + n, dir: "auto", maxlength: String(limits.description_length), autocomplete: "off" });
    description.value = previous ? previous.description : "";
    const e = { file, id: previous ? previous.file : null, complete: !!previous, failed: false, removed: false, description };
    const remove = el("button", { type: "button", class: "link-button", onclick: () => {
      e.removed = true;
      entries.splice(entries.indexOf(e), 1);
      item.remove();
      if (e.id) call("DELETE", "/uploads/" + e.id).catch(() => {}); // the purge takes it if this is lost
    } }, t("remove", { label: file ? file.name : description.value }));
    const label = el("label", { for: description.id, class: "field-label", text: t("describe_file") });
    const item = el("li", { class: "evidence-file" },
      el("p", { class: "file-name", dir: "auto", text: file ? file.name : "" }), progress, status, label, description, remove);
    e.show = (fraction) => {
      if (fraction === "paused") { status.textContent = t("upload_paused"); return; }
      progress.value = Math.round(fraction * 100);
      status.textContent = t("uploading") + " " + new Intl.NumberFormat(BCP, { style: "percent" }).format(fraction);
    };
    e.done = () => { e.complete = true; progress.value = 100; status.textContent = t("upload_done"); };
    // A refused file is not kept: it shows why, as an error, and only a way to clear it from the list.
    e.fail = (err) => {
      e.failed = true;
      progress.remove(); label.remove(); description.remove();
      status.className = "error-message upload-status";
      status.replaceChildren(el("span", { class: "vh", text: t("error_prefix") + " " }), (err && err.message) || t("upload_failed"));
    };
    entries.push(e);
    list.append(item);
    return e;
  }

  function add(chosen) {
    for (const file of chosen) {
      if (entries.length >= limits.max_files) { entry(file).fail({ message: t("too_many_files") }); continue; }
      const e = entry(file);
      if (file.size > limits.max_bytes) e.fail({ message: t("file_too_large") });
      else send(e, p);
    }
  }

  for (const previous of Array.isArray(p.previous) ? p.previous : []) entry(null, previous);
  return {
    group: true,
    nodes: [list, el("div", { class: "file-pickers" }, camera, files)],
    focus: files.querySelector("input"),
    get: () => {
      const kept = entries.filter((e) => !e.failed);
      if (kept.some((e) => !e.complete)) return void fieldErrorLater(t("upload_wait"));
      if (kept.some((e) => !e.description.value.trim())) return void fieldErrorLater(t("describe_each"));
      if (!kept.length) return [null, null];
      const value = kept.map((e) => ({ file: e.id, description: e.description.value.trim() }));
      return [value, value.map((v, i) => `${i + 1}. ${v.description}`).join("; ")];
    },
  };
}

// The question's error line (prompts.js), shown through the same path as the server's errors.
let report = () => {};
export const onUploadError = (fn) => { report = fn; };
const fieldErrorLater = (msg) => report(msg);
