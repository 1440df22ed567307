/* The review of every answer before sending (with Change for each), and the receipt once sent. */
import { $, t, el, state } from "./page.js";
import { enqueue, forget, queue } from "./connection.js";
import { announce, notice, setTurn, backButton, setTranscript, drawTranscript, shown, withText } from "./prompts.js";


const FOLD_OVER = 12; // answers: a shorter review shows every section open

// Back from a Change, the review opens at the row changed, its Change button focused: the review is long.
export function showReview(r, err, lead) {
  state.current = { review: r };
  // A lean review leaves out the question texts this connection was given: they are kept (learnTexts).
  const sections = (r.sections || []).map((s) => ({ ...s, items: (s.items || []).map(withText) })), changed = state.changed;
  state.changed = null;
  setTranscript(sections.flatMap((s) => s.items || []));
  drawTranscript(false);
  // A Duty to Notify report is sent (its button says "Send report"); a referral is submitted.
  const title = t(r.kind === "dtn" ? "review_title_dtn" : "review_title");
  const head = el("h2", { class: "q-text", tabindex: "-1", text: title });
  // A long review opens folded to its section titles, each with its count of answers; the changed row's stays open.
  const fold = sections.reduce((n, s) => n + (s.items || []).length, 0) > FOLD_OVER;
  const form = (state.form = el("div", { class: "review" }, head, ...sections.map((s) => {
    const items = s.items || [];
    const rows = el("dl", { class: "summary" }, ...items.map((i) => el("div", { class: "summary-row", "data-question": i.question_id },
      el("dt", { class: "summary-key", text: i.question }),
      el("dd", { class: "summary-value", dir: "auto", text: shown(i.answer) }),
      el("dd", { class: "summary-action" }, el("button", { type: "button", class: "link-button", onclick: () => enqueue("change", { question_id: i.question_id }) },
        t("change"), el("span", { class: "vh", text: " " + i.question }))))));
    const open = !fold || items.some((i) => i.question_id === changed);
    return el("details", { class: "review-section", open },
      el("summary", {}, el("h3", { class: "section-title", text: s.title }), " ",
        el("span", { class: "section-count", text: s.count })),
      rows);
  }), weaknessList((r.weaknesses || []).map(withText)),
  el("div", { class: "actions" }, el("button", { type: "button", class: "button", onclick: () => enqueue("submit", {}) }, t(r.kind === "dtn" ? "send_report" : "submit"))),
  el("p", { class: "sending" })));
  state.widget = null;
  const row = changed && [...form.querySelectorAll(".summary-row")].find((x) => x.dataset.question === changed);
  setTurn([backButton(), form], row ? row.querySelector(".summary-action button") : head);
  if (row) row.scrollIntoView({ block: "center" });
  announce(lead + title + (row ? ". " + row.querySelector(".summary-key").textContent : ""));
  if (err) notice(err.message || t("failed"));
}

// What would make the referral stronger, before the submit button: each item starts the change of its answer
// (as the row's Change does, so the review comes back to that row). Never blocks sending.
function weaknessList(weaknesses) {
  if (!weaknesses.length) return null;
  return el("section", { class: "weaknesses", "aria-labelledby": "weaknesses-title" },
    el("h3", { class: "section-title", id: "weaknesses-title", text: t("weaknesses_title") }),
    el("p", { text: t("weaknesses_intro") }),
    el("ul", { class: "weakness-list" }, ...weaknesses.map((w) => el("li", { class: "weakness", "data-question": w.question_id },
      el("span", { class: "weakness-question", dir: "auto", text: w.question }), // which answer: several can share a message
      el("span", { dir: "auto", text: w.message }), " ",
      el("button", { type: "button", class: "link-button", onclick: () => enqueue("change", { question_id: w.question_id }) },
        t("change_this"), el("span", { class: "vh", text: ": " + w.question }))))));
}

// onNew: start a new referral (the receipt's own button).
export function showReceipt(s, onNew) {
  forget();
  queue.length = 0;
  state.current = { submitted: s };
  state.transcript = []; state.said = {}; state.labels = {}; state.form = state.widget = null;
  drawTranscript(false);
  $("new-referral").hidden = true; // the receipt has its own button
  const head = el("h2", { class: "panel-title", tabindex: "-1", text: t(s.kind === "dtn" ? "done_dtn" : "done_nrm") });
  setTurn([el("div", { class: "panel" }, head, el("p", { class: "panel-label", text: t("ref_label") }), el("p", { class: "reference", dir: "ltr", text: s.reference })),
    s.message && el("p", { class: "message", text: s.message }),
    el("button", { type: "button", class: "button", onclick: onNew }, t("new")),
    // what was sent, with its status, is in My referrals (the footer's link, kept within reach here)
    el("p", {}, el("a", { class: "button secondary", href: $("my-referrals").getAttribute("href") }, t("mine")))], head);
  announce(`${head.textContent}. ${t("ref_label")} ${s.reference}`);
}
