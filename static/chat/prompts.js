/* The turn on screen and the current question. What every turn shares (progress, announcements, errors,
   the Back button, putting a turn on screen, the transcript of the answers so far), then the question: drawing it, and its answer's control for
   each kind of question. One function per kind that is not answered in one line of text (WIDGETS); the
   others are drawn by textInput from the prompt's `input` (docs/protocol.md), as the server draws the
   first question into the page. */
import { $, t, el, LANG, BCP, TITLE, state } from "./page.js";
import { busy, updateBusy, enqueue } from "./connection.js";
import { upload, onUploadError } from "./uploads.js";
import { group } from "./group.js";
import { lookup } from "./lookup.js";

export function announce(s) {
  const a = $("announce");
  a.textContent = "";
  setTimeout(() => { a.textContent = s; }, 120);
}
// The progress shown; what to say first when the section changed.
export function setProgress(given) {
  if (!given) return "";
  // Within a section a turn carries the section only: the count and title are the ones already shown.
  const p = (state.progress = { ...state.progress, ...given });
  const txt = t("progress", { section: p.section, sections: p.sections, title: p.title || "" });
  $("progress-text").textContent = txt;
  $("progress-bar").style.setProperty("--done", Math.max(0, Math.min(1, p.section / (p.sections || 1))));
  const lead = p.section !== state.lastSection ? txt + ". " : "";
  state.lastSection = p.section;
  return lead;
}

// ---- errors ----
export function notice(msg, label, fn) {
  const n = el("div", { class: "banner", role: "alert", tabindex: "-1" }, el("p", { text: msg }),
    label && el("button", { type: "button", class: "button", onclick: fn }, label));
  $("notice").replaceChildren(n);
  n.focus();
}
export function describe() { // aria-describedby: hint, error when shown, and the control's own notes
  const form = state.form, e = form.querySelector("#q-error");
  const base = [form.querySelector("#q-hint") && "q-hint", e && !e.hidden && "q-error"];
  for (const x of form.querySelectorAll("[data-describe]")) {
    const ids = base.concat(x.dataset.describe.split(" ")).filter(Boolean).join(" ");
    if (ids) x.setAttribute("aria-describedby", ids); else x.removeAttribute("aria-describedby");
  }
}
export function fieldError(msg) {
  const form = state.form, e = form && form.querySelector("#q-error");
  if (!e) return notice(msg);
  form.classList.add("has-error");
  e.hidden = false;
  e.replaceChildren(el("span", { class: "vh", text: t("error_prefix") + " " }), msg);
  document.title = t("error_prefix") + " " + TITLE;
  describe();
  updateBusy();
  (state.widget.focus || form.querySelector("#q-text")).focus();
}
export function clearError() {
  $("notice").replaceChildren();
  document.title = TITLE;
  const form = state.form, e = form && form.querySelector("#q-error");
  if (!e) return;
  form.classList.remove("has-error");
  e.hidden = true;
  e.textContent = "";
  describe();
}
export function problem(err) {
  if (!err) return;
  const p = state.current && state.current.prompt, msg = err.message || t("failed");
  if (p && err.fields && state.widget && state.widget.fieldErrors) { // a group: each error at its own field
    state.widget.fieldErrors(err.fields);
    document.title = t("error_prefix") + " " + TITLE;
    return void updateBusy();
  }
  if (p && (err.code === "invalid" || err.question_id === p.question_id)) fieldError(msg);
  else notice(msg);
}

export function setTurn(nodes, focusEl) {
  const turn = $("turn");
  turn.replaceChildren(...nodes.filter(Boolean));
  updateBusy();
  turn.scrollIntoView({ block: "start" }); // the question and its buttons on screen, the transcript above
  focusEl.focus({ preventScroll: true });
}
export const backButton = () => el("button", { type: "button", class: "back-link", onclick: () => enqueue("back", {}) }, t("back"));

// ---- the transcript ----

// The question texts a turn gives, kept: a later review leaves out each one this connection was given,
// word for word (docs/protocol.md, "Lean turns").
export function learnTexts(turn) {
  const texts = state.texts, p = turn.prompt;
  if (p && !String(p.question_id).startsWith("conflict:")) {
    texts[p.question_id] = p.text;
    for (const f of p.fields || []) texts[f.field_id] = f.text;
  }
  for (const e of turn.transcript || []) texts[e.question_id] = e.question;
  for (const s of (turn.review && turn.review.sections) || []) for (const i of s.items || []) if (i.question != null) texts[i.question_id] = i.question;
}
// A review row or weakness with its question's text, given or kept.
export const withText = (i) => (i.question != null ? i : { ...i, question: state.texts[i.question_id] || "" });

export function setTranscript(list) {
  state.transcript = list.map(({ question_id, question, answer }) => ({ question_id, question, answer }));
  for (const e of state.transcript) state.said[e.question_id] = e.answer;
}
export function cut(qid) {
  const i = state.transcript.findIndex((e) => e.question_id === qid);
  if (i >= 0) state.transcript.splice(i);
}
export const shown = (a) => (a == null || a === "" || (Array.isArray(a) && !a.length) ? t("not_answered") : [].concat(a).join(", "));
export function drawTranscript(show) {
  const transcript = state.transcript;
  $("transcript").replaceChildren(...transcript.map((e) => el("li", { class: "exchange" },
    el("p", { class: "bubble bot" }, el("span", { class: "vh", text: t("question") + " " }), String(e.question || "")),
    e.answer === "" ? null : el("p", { class: "bubble me" }, el("span", { class: "vh", text: t("your_answer") + " " }),
      el("bdi", { class: "answer" }, shown(e.answer))))));
  $("history").hidden = !show || !transcript.length;
  // "Before you start" stays above the first question of a referral only, until its first answer.
  const before = $("before-start");
  if (before) before.hidden = transcript.length > 0 || !(state.current && state.current.prompt);
}

// ---- the question ----

export function showPrompt(p, err, lead) {
  const same = state.current && state.current.prompt && state.current.prompt.question_id === p.question_id && state.form && state.form.isConnected;
  state.current = { prompt: p };
  cut(p.question_id);
  drawTranscript(true);
  if (same) return void problem(err); // keep what the user typed
  clearError();
  const w = (state.widget = build(p));
  const info = w.explanation;
  const head = el("h2", { id: "q-text", class: "q-text" + (info ? " info" : ""), tabindex: "-1" },
    w.group || info ? p.text : el("label", { for: w.focus.id }, p.text));
  const intro = [
    p.hint && el("p", { id: "q-hint", class: "hint", text: p.hint }),
    p.help && el("details", { class: "help" }, el("summary", {}, el("span", { text: t("why") })), el("p", { text: p.help })),
    // A card for the person that this question relies on, one tap away (cards.js opens it, when it runs).
    p.card && el("p", { class: "card-link" }, el("button", { type: "button", class: "link-button", "data-card-link": p.card,
      "aria-haspopup": "dialog", hidden: !document.body.classList.contains("has-cards") }, t("card_link"))),
    el("p", { id: "q-error", class: "error-message", hidden: true }),
  ];
  const skip = p.required === false && !info && el("button", { type: "button", class: "button secondary" }, t("skip"));
  const form = el("form", { class: "question", novalidate: true, autocomplete: "off", "data-kind": p.kind, "data-question": p.question_id },
    el("div", { class: "group" }, ...(w.group
      ? [el("fieldset", { class: "fieldset", "data-describe": "" }, el("legend", {}, head), ...intro, ...w.nodes)]
      : [head, ...intro, ...w.nodes])),
    el("div", { class: "actions" }, !w.instant && el("button", { type: "submit", class: "button" }, t("continue")), skip),
    el("p", { class: "sending" }));
  wire(p, w, form, skip);
  setTurn([state.transcript.length && backButton(), form], w.group || info ? head : w.focus);
  announce(lead + p.text);
  problem(err);
}
// The same question drawn again (in the worker's new language), with what was typed, ticked or chosen
// in it still there: the fields by id, and what a widget holds beyond them (keep/restore).
export function redrawPrompt(p, err, lead) {
  const form = state.form, w = state.widget, cur = state.current && state.current.prompt;
  const kept = form && form.isConnected && cur && cur.question_id === p.question_id ? {
    fields: [...form.querySelectorAll("input[id], textarea[id], select[id]")].map((x) => [x.id, x.type === "checkbox" || x.type === "radio" ? x.checked : x.value]),
    widget: w && w.keep ? w.keep() : null,
  } : null;
  state.current = null; // not the same question any more: draw it afresh
  showPrompt(p, err, lead);
  if (!kept) return;
  for (const [id, v] of kept.fields) {
    const x = state.form.querySelector("#" + CSS.escape(id));
    if (!x) continue;
    if (typeof v === "boolean") x.checked = v;
    else x.value = v;
    if (x.tagName === "TEXTAREA") x.dispatchEvent(new Event("input")); // its count of characters left
  }
  if (kept.widget && state.widget.restore) state.widget.restore(kept.widget);
}
// A question's form, drawn by showPrompt or by the server (chat.html), answers through the queue.
function wire(p, w, form, skip) {
  const info = w.explanation;
  const send = (w.send = (value, display) => enqueue("answer", { question_id: p.question_id, value },
    { entry: { question_id: p.question_id, question: p.text, answer: info ? "" : display } }));
  state.form = form;
  if (skip) skip.addEventListener("click", () => busy() || send(null, null));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const r = busy() ? null : w.get();
    if (r) send(r[0], r[1]);
  });
  describe();
}

// The first question of a new referral comes drawn in the page (chat.html, from the same prompt as `start`
// gives), so that it can be read and answered before the scripts and the connection are there. Take it over
// as it is: no new drawing, so what is typed and the focus stay. `submitted`: Continue was pressed before.
export function adoptable() {
  const form = $("turn").querySelector(":scope > form.question"), data = $("first-prompt");
  if (!form || !data) return null;
  try {
    const first = JSON.parse(data.textContent);
    return first && first.prompt && first.prompt.question_id === form.dataset.question ? { ...first, form } : null;
  } catch { return null; }
}
export function adopt(first, submitted) {
  const p = first.prompt, form = first.form, input = form.querySelector("#answer");
  learnTexts(first);
  for (const n of [...$("turn").children]) if (n !== form) n.remove(); // the noscript text and "Loading…"
  state.current = { prompt: p };
  state.switchNote = "";
  const lead = setProgress(first.progress);
  const w = (state.widget = textInput(p, input));
  wire(p, w, form, form.querySelector(".actions .secondary"));
  updateBusy();
  const a = document.activeElement;
  if (!a || a === document.body) input.focus({ preventScroll: true }); // as a drawn question takes it
  announce(lead + p.text);
  if (submitted) form.requestSubmit();
}

// The control for each kind of question not answered in one line of text. A widget gives the nodes to
// draw, the one to focus, and get() -> [value, text shown in the transcript] (or nothing, when refused);
// `group`: its inputs share the question as legend; `instant`: answered by a click, no Continue;
// `explanation`: nothing to answer, Continue acknowledges it.
const WIDGETS = {
  info: (p) => ({ nodes: [], explanation: true, get: () => [p.previous ?? "seen", ""] }),
  choice: (p) => buttons(p, p.options || []),
  multichoice: (p) => checks(p, p.options || []),
  select,
  date: dateInputs,
  textarea: textArea,
  upload,
  group: (p) => group(p, { lookup, date: dateInputs }),
};
onUploadError((msg) => fieldError(msg));
const build = (p) => (WIDGETS[p.kind] || textInput)(p);

// Up to six options: buttons; more: a list to pick from; several answers: checkboxes; a long list: a type-ahead.
function select(p) {
  const opts = Array.isArray(p.options) ? p.options : [];
  if (opts.length && opts.length <= 6 && !p.repeat) return buttons(p, opts);
  if (opts.length && p.repeat) return checks(p, opts);
  if (opts.length) return nativeSelect(p, opts);
  return lookup(p, { onError: fieldError });
}

function buttons(p, opts) {
  const w = { group: true, instant: true, get: () => null };
  const wrap = el("div", { class: "replies" }, ...opts.map((o) => el("button", {
    type: "button", class: "reply" + (p.previous === o.value ? " previous" : ""), onclick: () => busy() || w.send(o.value, o.label),
  }, el("span", { text: o.label }), p.previous === o.value && el("span", { class: "tag", text: t("previous") }))));
  w.nodes = [wrap];
  w.focus = wrap.firstChild;
  return w;
}

function checks(p, opts) {
  const prev = [].concat(p.previous ?? []);
  const boxes = opts.map((o, i) => el("input", { type: "checkbox", class: "check-input", id: "opt-" + i, value: o.value, checked: prev.includes(o.value) }));
  return {
    group: true, focus: boxes[0],
    nodes: [el("div", { class: "checks" }, ...opts.map((o, i) => el("div", { class: "check" }, boxes[i], el("label", { for: "opt-" + i, class: "check-label", text: o.label }))))],
    get() {
      const sel = opts.filter((o, i) => boxes[i].checked);
      return [sel.map((o) => o.value), sel.length ? sel.map((o) => o.label).join(", ") : null];
    },
  };
}

function nativeSelect(p, opts) {
  const s = el("select", { id: "answer", class: "select", "data-describe": "" }, el("option", { value: "", text: t("choose") }),
    ...opts.map((o) => el("option", { value: o.value, selected: p.previous === o.value, text: o.label })));
  return { nodes: [s], focus: s, get() { const o = opts.find((x) => x.value === s.value); return o ? [o.value, o.label] : [null, null]; } };
}

// Day, month and year in three boxes (<id>-day, <id>-month, <id>-year), and the date as said in the transcript.
// In a group, `id` names its boxes apart from the other fields' (as the type-ahead's), and the field, not the
// question, says what describes them.
function dateInputs(p, { id = "" } = {}) {
  let prev = p.previous;
  if (typeof prev === "string") {
    const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(prev);
    prev = m && { year: m[1], month: m[2], day: m[3] };
  }
  const names = ["day", "month", "year"];
  const parts = names.map((n) => el("input", { id: (id || "answer") + "-" + n, class: "input date-" + n, type: "text", inputmode: "numeric",
    autocomplete: "off", dir: "auto", "data-describe": id ? null : "", value: prev && prev[n] != null ? String(prev[n]).replace(/^0+(?=\d)/, "") : "" }));
  return {
    group: true, focus: parts[0], inputs: parts,
    nodes: [el("div", { class: "date" }, ...parts.map((x, i) => el("div", { class: "date-item" }, el("label", { for: x.id, class: "date-label", text: t(names[i]) }), x)))],
    get() {
      const [day, month, year] = parts.map((x) => x.value.trim());
      if (!day && !month && !year) return [null, null];
      let txt = `${day}/${month}/${year}`;
      try {
        if (/^\d+$/.test(day + month + year)) txt = new Intl.DateTimeFormat(LANG === "en" ? "en-GB" : BCP, { dateStyle: "long", timeZone: "UTC" }).format(Date.UTC(+year, month - 1, +day));
      } catch { /* keep d/m/y */ }
      return [{ day, month, year }, txt];
    },
  };
}

// One line of text; its attributes and width come with the prompt (`input`).
// drawn: the server's input for this prompt (chat.html), taken over as it is.
function textInput(p, drawn) {
  const input = p.input || { attributes: {} };
  const i = drawn || el("input", {
    id: "answer", class: "input" + (input.width ? " w-" + input.width : ""), autocomplete: "off", "data-describe": "", type: "text", dir: "auto",
    ...input.attributes,
  });
  if (!drawn) i.value = p.previous ?? "";
  return { nodes: [i], focus: i, get: () => { const v = i.value.trim(); return [v, v || null]; } };
}

// Several lines of text, with a count of the characters left.
function textArea(p) {
  const i = el("textarea", { id: "answer", class: "input textarea", autocomplete: "off", "data-describe": "q-count", dir: "auto", rows: "6" });
  i.value = p.previous ?? "";
  const max = Number(p.max_length) || 15000;
  const count = el("p", { id: "q-count", class: "count" }), live = el("p", { class: "vh", "aria-live": "polite" });
  let tm = 0;
  const upd = (speak) => {
    const n = max - Array.from(i.value).length; // characters, as the server counts them
    count.textContent = t(n < 0 ? "chars_over" : "chars_left", { count: Math.abs(n).toLocaleString(BCP) });
    count.classList.toggle("over", n < 0);
    i.classList.toggle("over", n < 0);
    clearTimeout(tm);
    if (speak) tm = setTimeout(() => { live.textContent = count.textContent; }, 1000);
  };
  i.addEventListener("input", () => upd(true));
  upd(false);
  return { nodes: [i, count, live], focus: i, get: () => { const v = i.value.trim(); return [v, v || null]; } };
}
