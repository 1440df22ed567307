/* The turn on screen: what every question, the review and the receipt share (progress, announcements,
   errors, the Back button, and putting a turn on screen). */
import { $, t, el, TITLE, state } from "./page.js";
import { enqueue, updateBusy } from "./connection.js";

export function announce(s) {
  const a = $("announce");
  a.textContent = "";
  setTimeout(() => { a.textContent = s; }, 120);
}
// The progress shown; what to say first when the section changed.
export function setProgress(p) {
  if (!p) return "";
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
