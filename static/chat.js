/* NRM referral assistant, browser client: the transcript, the review and the receipt, then the page's start
   (the language switcher; resume, take over the first question the server drew, or start a new referral).
   Needs chat-core.js and chat-prompts.js, loaded before it. */
(() => {
  "use strict";
  const N = window.nrmChatParts;
  if (!N) return;
  const { $, t, bcp, el, FLOW, LANG, LANGS, state, queue, picker, forget, emit, connected, enqueue, switchLanguage } = N;
  const { announce, notice, setTurn, backButton } = N;

  function lost() {
    forget();
    state.switchNote = "";
    queue.length = 0; state.inflight = null; state.ready = true; state.current = state.form = null;
    state.transcript = []; drawTranscript(false);
    $("turn").replaceChildren();
    notice(t("lost"), t("new"), () => newReferral(false));
  }
  // A new referral whose first question the server drew into the page: `start` goes in the background, first
  // in the queue, so an answer given before it is acknowledged follows it, once (chat-core.js's busy()).
  function begin(first, submitted) {
    state.ready = connected();
    enqueue("start", { flow: FLOW, language: LANG }, { quiet: true });
    N.adopt(first, submitted);
  }
  function newReferral(ask) {
    if (ask && state.conv && state.current && !state.current.submitted && !window.confirm(t("new_confirm"))) return;
    forget();
    queue.length = 0; state.inflight = state.current = state.form = state.widget = state.lastSection = state.changed = null; state.changing = false;
    state.transcript = []; state.said = {}; state.labels = {};
    drawTranscript(false);
    $("new-referral").hidden = false;
    $("progress-text").textContent = "";
    $("turn").replaceChildren(el("p", { class: "loading", text: t("loading") }));
    state.ready = connected();
    enqueue("start", { flow: FLOW, language: LANG });
  }

  // ---- transcript ----
  function setTranscript(list) {
    state.transcript = list.map(({ question_id, question, answer }) => ({ question_id, question, answer }));
    for (const e of state.transcript) state.said[e.question_id] = e.answer;
  }
  function cut(qid) {
    const i = state.transcript.findIndex((e) => e.question_id === qid);
    if (i >= 0) state.transcript.splice(i);
  }
  const shown = (a) => (a == null || a === "" || (Array.isArray(a) && !a.length) ? t("not_answered") : [].concat(a).join(", "));
  function drawTranscript(show) {
    const transcript = state.transcript;
    $("transcript").replaceChildren(...transcript.map((e) => el("li", { class: "exchange" },
      el("p", { class: "bubble bot" }, el("span", { class: "vh", text: t("question") + " " }), String(e.question || "")),
      e.answer === "" ? null : el("p", { class: "bubble me" }, el("span", { class: "vh", text: t("your_answer") + " " }),
        el("bdi", { class: "answer" }, shown(e.answer))))));
    $("history").hidden = !show || !transcript.length;
  }

  // Back from a Change, the review opens at the row changed, its Change button focused: the review is long.
  function showReview(r, err, lead) {
    state.current = { review: r };
    const sections = r.sections || [], changed = state.changed;
    state.changed = null;
    setTranscript(sections.flatMap((s) => s.items || []));
    drawTranscript(false);
    const head = el("h2", { class: "q-text", tabindex: "-1", text: t("review_title") });
    const form = (state.form = el("div", { class: "review" }, head, ...sections.flatMap((s) => [
      el("h3", { class: "section-title", text: s.title }),
      el("dl", { class: "summary" }, ...(s.items || []).map((i) => el("div", { class: "summary-row", "data-question": i.question_id },
        el("dt", { class: "summary-key", text: i.question }),
        el("dd", { class: "summary-value", dir: "auto", text: shown(i.answer) }),
        el("dd", { class: "summary-action" }, el("button", { type: "button", class: "link-button", onclick: () => enqueue("change", { question_id: i.question_id }) },
          t("change"), el("span", { class: "vh", text: " " + i.question })))))),
    ]), el("div", { class: "actions" }, el("button", { type: "button", class: "button", onclick: () => enqueue("submit", {}) }, t("submit"))),
    el("p", { class: "sending" })));
    state.widget = null;
    const row = changed && [...form.querySelectorAll(".summary-row")].find((x) => x.dataset.question === changed);
    setTurn([backButton(), form], row ? row.querySelector(".summary-action button") : head);
    if (row) row.scrollIntoView({ block: "center" });
    announce(lead + t("review_title") + (row ? ". " + row.querySelector(".summary-key").textContent : ""));
    if (err) notice(err.message || t("failed"));
  }

  function showReceipt(s) {
    forget();
    queue.length = 0;
    state.current = { submitted: s };
    state.transcript = []; state.said = {}; state.labels = {}; state.form = state.widget = null;
    drawTranscript(false);
    $("new-referral").hidden = true; // the receipt has its own button
    const head = el("h2", { class: "panel-title", tabindex: "-1", text: t(s.kind === "dtn" ? "done_dtn" : "done_nrm") });
    setTurn([el("div", { class: "panel" }, head, el("p", { class: "panel-label", text: t("ref_label") }), el("p", { class: "reference", dir: "ltr", text: s.reference })),
      s.message && el("p", { class: "message", text: s.message }),
      el("button", { type: "button", class: "button", onclick: () => newReferral(false) }, t("new"))], head);
    announce(`${head.textContent}. ${t("ref_label")} ${s.reference}`);
  }

  Object.assign(N, { lost, newReferral, setTranscript, cut, drawTranscript, showReview, showReceipt });

  // ---- wiring ----
  $("new-referral").addEventListener("click", () => newReferral(true));
  if (picker) {
    picker.value = LANG; // not a value the browser kept from before a reload
    picker.addEventListener("change", () => switchLanguage(picker.value));
  }
  // For cards.js: the same connection, strings and helpers. The shared parts stay private to these scripts.
  window.nrmChat = Object.freeze({
    el, t, bcp, lang: LANG, languages: LANGS,
    connected: () => connected(),
    emit: (ev, payload, cb) => emit(ev, payload, cb),
  });
  delete window.nrmChatParts;
  N.connect();

  const early = window.nrmEarly; // chat.html's inline script: kept Continue from before the scripts arrived
  if (early) document.removeEventListener("submit", early.listener, true);
  delete window.nrmEarly;
  const first = !state.conv && N.adoptable();
  if (state.conv) $("turn").replaceChildren(el("p", { class: "loading", text: t("loading") }));
  else if (first) begin(first, !!(early && early.submitted));
  else newReferral(false);
  document.documentElement.classList.remove("resuming");
})();
