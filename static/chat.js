/* NRM referral assistant, browser client. Contract: docs/protocol.md.
   Browser storage holds only {conversation_id, resume_token}; answers live in memory. */
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const S = JSON.parse($("ui-strings").textContent);
  const FLOW = $("main").dataset.flow || "nrm", LANG = $("main").dataset.language || "en";
  const KEY = "nrm-conversation", ACK_MS = 10000, TITLE = document.title;
  const t = (k, v) => String(S[k] ?? k).replace(/\{(\w+)\}/g, (m, n) => (v && n in v ? v[n] : m));
  const bcp = (code) => String(code).replace(/_/g, "-"); // "zh_Hans" -> "zh-Hans", for lang= and Intl
  const BCP = bcp(LANG);
  let LANGS = [];      // [{code, name, english_name, dir, draft}] offered, English first
  try { LANGS = JSON.parse($("languages").textContent) || []; } catch (e) { /* English only */ }
  const offered = (code) => LANGS.some((l) => l.code === code);

  // The page's language is the one in ?lang= when there is one (the worker chose it): the conversation
  // follows the page. Without it (the browser's preference), the page follows the conversation.
  const query = new URLSearchParams(location.search), EXPLICIT = query.has("lang");
  let switchNote = ""; // said once, after a switch of language reloaded the page
  if (query.has("switched")) {
    const me = LANGS.find((l) => l.code === LANG);
    switchNote = t("switched", { language: me ? me.name : LANG });
    query.delete("switched");
    history.replaceState(history.state, "", location.pathname + (String(query) ? "?" + query : "") + location.hash);
  }

  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? "" : v);
    }
    e.append(...kids.filter((c) => c != null && c !== false)); // strings become text nodes, never HTML
    return e;
  }
  const uuid = () => (crypto.randomUUID ? crypto.randomUUID() // needs a secure context
    : "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) => (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16)));

  const store = (v) => { try { if (v) localStorage.setItem(KEY, JSON.stringify(v)); else localStorage.removeItem(KEY); } catch (e) { /* storage off */ } };
  let conv = null;
  try {
    const v = JSON.parse(localStorage.getItem(KEY));
    if (v && v.conversation_id && v.resume_token) conv = { conversation_id: String(v.conversation_id), resume_token: String(v.resume_token) };
  } catch (e) { /* nothing kept */ }
  const forget = () => { conv = null; store(null); };

  let current = null;  // {prompt} | {review} | {submitted}
  let transcript = []; // [{question_id, question, answer}] on the path before the current question
  let said = {};       // question_id -> display text of its answer (labels for `previous`)
  let labels = {};     // list + "\n" + value -> label seen in lookups
  const queue = [];    // ordered outgoing actions, kept until acknowledged
  let inflight = null, ready = false, timer = 0, changing = false, leaving = false;
  let form = null, widget = null, lastSection = null;

  // Long-polling first, then the upgrade to WebSocket: works behind proxies that block WebSockets.
  // Quick exit: forget this device's link to the referral and leave without a history entry.
  const quickExit = (e) => {
    e.preventDefault();
    forget();
    try { socket.close(); } catch (x) { /* no socket yet */ }
    document.title = "";
    document.body.replaceChildren();
    location.replace("https://www.bbc.co.uk/weather");
  };
  for (const a of document.querySelectorAll(".quick-exit")) a.addEventListener("click", quickExit);
  if (typeof io !== "function") return void ($("turn").textContent = t("failed"));
  const socket = io({ transports: ["polling", "websocket"] });
  const emit = (ev, payload, cb) => socket.timeout(ACK_MS).emit(ev, payload, cb);

  function setStatus(k) {
    const s = $("status");
    if (s.dataset.state === k) return;
    s.dataset.state = k;
    s.textContent = t(k);
    updateBusy();
  }
  const downState = () => (navigator.onLine === false ? "offline" : "reconnecting");
  function announce(s) {
    const a = $("announce");
    a.textContent = "";
    setTimeout(() => { a.textContent = s; }, 120);
  }
  function setProgress(p) {
    if (!p) return "";
    const txt = t("progress", { section: p.section, sections: p.sections, title: p.title || "" });
    $("progress-text").textContent = txt;
    $("progress-bar").style.setProperty("--done", Math.max(0, Math.min(1, p.section / (p.sections || 1))));
    const lead = p.section !== lastSection ? txt + ". " : "";
    lastSection = p.section;
    return lead;
  }

  // ---- the outgoing queue ----
  const busy = () => leaving || queue.some((i) => !i.internal);
  function updateBusy() {
    if (!form || !form.isConnected) return;
    const b = busy();
    form.setAttribute("aria-busy", b);
    form.querySelector(".sending").textContent = b ? t(socket.connected ? "sending" : "waiting") : "";
  }
  function enqueue(event, payload, extra) {
    if (busy()) return;
    clearError();
    queue.push({ event, payload, id: uuid(), tries: 0, ...extra });
    pump();
  }
  function pump() {
    updateBusy();
    if (!ready || inflight || !queue.length || !socket.connected) return;
    const item = queue[0];
    if (item.event !== "start" && !conv) {
      queue.shift();
      if (item.to) return go(item.to, false); // no referral to switch: just load the page in that language
      return pump();
    }
    const payload = item.event === "resume" ? resumePayload(false)
      : { ...item.payload, client_msg_id: item.id, ...(item.event === "start" ? {} : { conversation_id: conv.conversation_id }) };
    const mine = (item.attempt = {});
    inflight = item;
    emit(item.event, payload, (err, turn) => {
      if (item.attempt !== mine || inflight !== item) return;
      inflight = null;
      clearTimeout(timer);
      if (err || !turn || typeof turn !== "object") { timer = setTimeout(pump, 1000); return; } // resend, same id
      const code = turn.ok ? "" : (turn.error || {}).code;
      if ((code === "rate_limited" || code === "server_error") && item.tries++ < 4) {
        item.id = uuid(); // not applied: send again as a new action
        timer = setTimeout(pump, 1500 * item.tries);
        return;
      }
      if (code === "not_found" && !item.nf && item.event !== "start" && item.event !== "resume") {
        item.nf = true; // this connection may not act on it yet: resume, then resend
        ready = false;
        return resume();
      }
      queue.shift();
      onTurn(turn, item);
      pump();
    });
  }
  // When the conversation's language is not the page's, `resume` is sent again with the page's language.
  let langRefused = false;
  const resumePayload = (withLang) => (withLang && !langRefused ? { ...conv, language: LANG } : { ...conv });
  function resume(withLang) {
    const c = conv;
    if (!socket.connected) return;
    if (!c) { ready = true; return pump(); }
    const payload = resumePayload(withLang === true);
    emit("resume", payload, (err, turn) => {
      if (c !== conv || !socket.connected || ready) return;
      const code = err || !turn ? "retry" : turn.ok ? "" : (turn.error || {}).code;
      if (code === "retry" || code === "rate_limited" || code === "server_error") return void setTimeout(resume, 2000);
      if (code === "unsupported_language" && payload.language) { langRefused = true; return resume(); }
      if (code === "not_found" || !(turn.prompt || turn.review || turn.submitted)) return lost();
      if (turn.language && turn.language !== LANG && !langRefused) {
        if (!EXPLICIT && offered(turn.language)) return go(turn.language, false); // the page follows the referral
        if (!payload.language) return resume(true);
      }
      ready = true;
      if (!busy()) { // otherwise the resent action's acknowledgement says where we are
        if (Array.isArray(turn.transcript)) setTranscript(turn.transcript);
        render(turn, null);
      }
      pump();
    });
  }

  function onTurn(turn, item) {
    if (item.internal && !turn.ok) return;
    if (item.to && turn.ok) {
      if (!queue.some((i) => i.to)) go(item.to, true); // unless another switch follows
      return;
    }
    if (item.to && picker) picker.value = LANG; // refused: the error is shown below
    if (item.event === "start" && turn.conversation_id && turn.resume_token) {
      conv = { conversation_id: turn.conversation_id, resume_token: turn.resume_token };
      store(conv);
    }
    if (Array.isArray(turn.transcript)) setTranscript(turn.transcript);
    const p = turn.prompt, e = item.entry;
    if (turn.ok && e) { said[e.question_id] = e.answer; cut(e.question_id); transcript.push(e); }
    if (turn.ok && item.event === "back" && p && !transcript.some((x) => x.question_id === p.question_id)) transcript.pop();
    if (turn.ok && item.event === "change") changing = true;
    const err = turn.ok ? null : turn.error || {};
    if (!p && !turn.review && !turn.submitted) {
      return notice((err && err.message) || t("failed"), item.event === "start" ? t("try_again") : null, () => newReferral(false));
    }
    render(turn, err);
    if (turn.review || turn.submitted) changing = false;
    // after a change the server may jump over answered questions: fetch the path as it now is
    else if (changing && e && turn.ok) queue.push({ event: "resume", internal: true });
  }

  // ---- the worker's language ----
  // A switch waits in the queue like any action (it needs the connection, and the page load after it
  // needs the server); once the conversation is in the new language, the page reloads in it.
  const picker = $("ui-language");
  function switchLanguage(code) {
    if (code === LANG || !offered(code)) return;
    if (current && current.submitted && !window.confirm(t("new_confirm"))) { picker.value = LANG; return; }
    for (let i = queue.length - 1; i >= 0; i--) if (queue[i].to && queue[i] !== inflight) queue.splice(i, 1);
    clearError();
    queue.push({ event: "language", payload: { language: code }, id: uuid(), tries: 0, to: code });
    pump();
  }
  function go(code, switched) {
    leaving = true;
    updateBusy();
    const u = new URL(location.href);
    u.searchParams.set("lang", code);
    u.searchParams.delete("switched");
    if (switched && conv) u.searchParams.set("switched", "1");
    u.hash = "";
    location.replace(u.href);
  }

  function lost() {
    forget();
    switchNote = "";
    queue.length = 0; inflight = null; ready = true; current = form = null;
    transcript = []; drawTranscript(false);
    $("turn").replaceChildren();
    notice(t("lost"), t("new"), () => newReferral(false));
  }
  function newReferral(ask) {
    if (ask && conv && current && !current.submitted && !window.confirm(t("new_confirm"))) return;
    forget();
    queue.length = 0; inflight = current = form = widget = lastSection = null; changing = false;
    transcript = []; said = {}; labels = {};
    drawTranscript(false);
    $("new-referral").hidden = false;
    $("progress-text").textContent = "";
    $("turn").replaceChildren(el("p", { class: "loading", text: t("loading") }));
    ready = socket.connected;
    enqueue("start", { flow: FLOW, language: LANG });
  }

  // ---- transcript ----
  function setTranscript(list) {
    transcript = list.map(({ question_id, question, answer }) => ({ question_id, question, answer }));
    for (const e of transcript) said[e.question_id] = e.answer;
  }
  function cut(qid) {
    const i = transcript.findIndex((e) => e.question_id === qid);
    if (i >= 0) transcript.splice(i);
  }
  const shown = (a) => (a == null || a === "" || (Array.isArray(a) && !a.length) ? t("not_answered") : [].concat(a).join(", "));
  function drawTranscript(show) {
    $("transcript").replaceChildren(...transcript.map((e) => el("li", { class: "exchange" },
      el("p", { class: "bubble bot" }, el("span", { class: "vh", text: t("question") + " " }), String(e.question || "")),
      e.answer === "" ? null : el("p", { class: "bubble me" }, el("span", { class: "vh", text: t("your_answer") + " " }),
        el("bdi", { class: "answer" }, shown(e.answer))))));
    $("history").hidden = !show || !transcript.length;
  }

  // ---- errors ----
  function notice(msg, label, fn) {
    const n = el("div", { class: "banner", role: "alert", tabindex: "-1" }, el("p", { text: msg }),
      label && el("button", { type: "button", class: "button", onclick: fn }, label));
    $("notice").replaceChildren(n);
    n.focus();
  }
  function describe() { // aria-describedby: hint, error when shown, and the control's own notes
    const e = form.querySelector("#q-error");
    const base = [form.querySelector("#q-hint") && "q-hint", e && !e.hidden && "q-error"];
    for (const x of form.querySelectorAll("[data-describe]")) {
      const ids = base.concat(x.dataset.describe.split(" ")).filter(Boolean).join(" ");
      if (ids) x.setAttribute("aria-describedby", ids); else x.removeAttribute("aria-describedby");
    }
  }
  function fieldError(msg) {
    const e = form && form.querySelector("#q-error");
    if (!e) return notice(msg);
    form.classList.add("has-error");
    e.hidden = false;
    e.replaceChildren(el("span", { class: "vh", text: t("error_prefix") + " " }), msg);
    document.title = t("error_prefix") + " " + TITLE;
    describe();
    updateBusy();
    (widget.focus || form.querySelector("#q-text")).focus();
  }
  function clearError() {
    $("notice").replaceChildren();
    document.title = TITLE;
    const e = form && form.querySelector("#q-error");
    if (!e) return;
    form.classList.remove("has-error");
    e.hidden = true;
    e.textContent = "";
    describe();
  }
  function problem(err) {
    if (!err) return;
    const p = current && current.prompt, msg = err.message || t("failed");
    if (p && (err.code === "invalid" || err.question_id === p.question_id)) fieldError(msg);
    else notice(msg);
  }

  // ---- rendering ----
  function render(turn, err) {
    const lead = (switchNote ? switchNote + " " : "") + setProgress(turn.progress);
    switchNote = "";
    if (turn.submitted) showReceipt(turn.submitted);
    else if (turn.review) showReview(turn.review, err, lead);
    else if (turn.prompt) showPrompt(turn.prompt, err, lead);
  }
  function setTurn(nodes, focusEl) {
    const turn = $("turn");
    turn.replaceChildren(...nodes.filter(Boolean));
    updateBusy();
    turn.scrollIntoView({ block: "start" }); // the question and its buttons on screen, the transcript above
    focusEl.focus({ preventScroll: true });
  }
  const backButton = () => el("button", { type: "button", class: "back-link", onclick: () => enqueue("back", {}) }, t("back"));

  function showPrompt(p, err, lead) {
    const same = current && current.prompt && current.prompt.question_id === p.question_id && form && form.isConnected;
    current = { prompt: p };
    cut(p.question_id);
    drawTranscript(true);
    if (same) return void problem(err); // keep what the user typed
    clearError();
    const w = (widget = build(p));
    const info = p.kind === "info";
    const head = el("h2", { id: "q-text", class: "q-text" + (info ? " info" : ""), tabindex: "-1" },
      w.group || info ? p.text : el("label", { for: w.focus.id }, p.text));
    const intro = [
      p.hint && el("p", { id: "q-hint", class: "hint", text: p.hint }),
      p.help && el("details", { class: "help" }, el("summary", {}, el("span", { text: t("why") })), el("p", { text: p.help })),
      el("p", { id: "q-error", class: "error-message", hidden: true }),
    ];
    const send = (w.send = (value, display) => enqueue("answer", { question_id: p.question_id, value },
      { entry: { question_id: p.question_id, question: p.text, answer: info ? "" : display } }));
    form = el("form", { class: "question", novalidate: true, autocomplete: "off", "data-kind": p.kind, "data-question": p.question_id },
      el("div", { class: "group" }, ...(w.group
        ? [el("fieldset", { class: "fieldset", "data-describe": "" }, el("legend", {}, head), ...intro, ...w.nodes)]
        : [head, ...intro, ...w.nodes])),
      el("div", { class: "actions" },
        !w.instant && el("button", { type: "submit", class: "button" }, t("continue")),
        p.required === false && !info && el("button", { type: "button", class: "button secondary", onclick: () => busy() || send(null, null) }, t("skip"))),
      el("p", { class: "sending" }));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const r = busy() ? null : w.get();
      if (r) send(r[0], r[1]);
    });
    describe();
    setTurn([transcript.length && backButton(), form], w.group || info ? head : w.focus);
    announce(lead + p.text);
    problem(err);
  }

  function build(p) {
    const opts = Array.isArray(p.options) ? p.options : [], k = p.kind;
    if (k === "info") return { nodes: [], get: () => [p.previous ?? "seen", ""] };
    if (k === "choice" || (k === "select" && opts.length && opts.length <= 6 && !p.repeat)) return buttons(p, opts);
    if (k === "multichoice" || (k === "select" && opts.length && p.repeat)) return checks(p, opts);
    if (k === "select" && opts.length) return nativeSelect(p, opts);
    if (k === "select" && p.lookup) return lookup(p);
    if (k === "date") return dateInputs(p);
    return textInput(p);
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

  function dateInputs(p) {
    let prev = p.previous;
    if (typeof prev === "string") {
      const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(prev);
      prev = m && { year: m[1], month: m[2], day: m[3] };
    }
    const names = ["day", "month", "year"];
    const parts = names.map((n) => el("input", { id: "answer-" + n, class: "input date-" + n, type: "text", inputmode: "numeric", autocomplete: "off", dir: "auto",
      "data-describe": "", value: prev && prev[n] != null ? String(prev[n]).replace(/^0+(?=\d)/, "") : "" }));
    return {
      group: true, focus: parts[0],
      nodes: [el("div", { class: "date" }, ...parts.map((x, i) => el("div", { class: "date-item" }, el("label", { for: x.id, class: "date-label", text: t(names[i]) }), x)))],
      get() {
        const [day, month, year] = parts.map((x) => x.value.trim());
        if (!day && !month && !year) return [null, null];
        let txt = `${day}/${month}/${year}`;
        try {
          if (/^\d+$/.test(day + month + year)) txt = new Intl.DateTimeFormat(LANG === "en" ? "en-GB" : BCP, { dateStyle: "long", timeZone: "UTC" }).format(Date.UTC(+year, month - 1, +day));
        } catch (e) { /* keep d/m/y */ }
        return [{ day, month, year }, txt];
      },
    };
  }

  function textInput(p) {
    const a = { id: "answer", class: "input", autocomplete: "off", "data-describe": "", type: "text", dir: "auto" };
    Object.assign(a, {
      email: { type: "email", autocapitalize: "none", spellcheck: "false" },
      phone: { type: "tel", class: "input w-20" },
      number: { inputmode: "numeric", class: "input w-10" },
      postcode: { autocapitalize: "characters", spellcheck: "false", class: "input w-10" },
    }[p.kind]);
    const area = p.kind === "textarea";
    const i = area ? el("textarea", { ...a, type: null, class: "input textarea", rows: "6", "data-describe": "q-count" }) : el("input", a);
    i.value = p.previous ?? "";
    const get = () => { const v = i.value.trim(); return [v, v || null]; };
    if (!area) return { nodes: [i], focus: i, get };
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
    return { nodes: [i, count, live], focus: i, get };
  }

  // A type-ahead over a long list (ARIA 1.2 combobox with a listbox); with `repeat`, up to N chips.
  function lookup(p) {
    const max = p.repeat ? Math.max(1, Number(p.repeat) || 1) : 0; // 0: a single value
    const key = (v) => p.lookup + "\n" + v;
    const prev = p.previous == null || p.previous === "" ? [] : [].concat(p.previous);
    const old = typeof said[p.question_id] === "string" ? said[p.question_id] : "", parts = old.split(", ");
    const chosen = prev.map((v, i) => ({ value: v, label: labels[key(v)] || (!max ? old : parts.length === prev.length ? parts[i] : "") || String(v) }));
    let selected = max ? null : chosen[0], matches = [], active = -1, seq = 0, tm = 0;

    const input = el("input", { id: "answer", class: "input", type: "text", role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false",
      "aria-controls": "q-list", autocomplete: "off", autocapitalize: "none", spellcheck: "false", "data-describe": "q-lookup-hint", dir: "auto" });
    if (selected) input.value = selected.label;
    const lb = el("ul", { id: "q-list", class: "listbox", role: "listbox", "aria-label": p.text, hidden: true });
    const status = el("p", { class: "lookup-status vh", "aria-live": "polite" });
    const chips = el("ul", { class: "chips", "aria-label": t("chosen") });
    const full = el("p", { class: "hint", hidden: true, text: t("max_reached") });
    const say = (s, visible) => {
      status.classList.toggle("vh", !visible);
      status.textContent = "";
      setTimeout(() => { status.textContent = s; }, 60);
    };
    const close = () => {
      lb.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    };
    const exact = (s) => matches.find((m) => String(m.label).toLowerCase() === s.toLowerCase());
    function move(d) {
      if (!matches.length) return;
      lb.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = active < 0 ? (d > 0 ? 0 : matches.length - 1) : (active + d + matches.length) % matches.length;
      [...lb.children].forEach((li, i) => li.setAttribute("aria-selected", i === active));
      input.setAttribute("aria-activedescendant", "q-opt-" + active);
      lb.children[active].scrollIntoView({ block: "nearest" });
    }
    function drawChips() {
      chips.replaceChildren(...chosen.map((c) => el("li", { class: "chip" }, el("span", { class: "chip-label", dir: "auto", text: c.label }),
        el("button", { type: "button", class: "chip-remove", "aria-label": t("remove", { label: c.label }), onclick() {
          chosen.splice(chosen.indexOf(c), 1);
          drawChips();
          say(t("removed", { label: c.label }));
          input.focus();
        } }, "×"))));
      chips.hidden = !chosen.length;
      full.hidden = !(input.readOnly = max > 0 && chosen.length >= max);
    }
    function pick(m) {
      labels[key(m.value)] = m.label;
      matches = [];
      close();
      if (!max) { selected = m; input.value = m.label; return; }
      if (chosen.length < max && !chosen.some((c) => c.value === m.value)) chosen.push({ value: m.value, label: m.label });
      input.value = "";
      drawChips();
      say(t("added", { label: m.label }));
      if (input.readOnly) form.querySelector("[type=submit]").focus();
    }
    function search(q) {
      const my = ++seq;
      if (!socket.connected) { matches = []; close(); return say(t("search_offline"), true); }
      emit("lookup", { list: p.lookup, query: q, language: LANG }, (err, res) => {
        if (my !== seq || !input.isConnected) return;
        if (err || !res || !res.ok) { matches = []; close(); return say(t("search_failed"), true); }
        matches = (Array.isArray(res.matches) ? res.matches : []).filter((m) => !chosen.some((c) => max && c.value === m.value));
        for (const m of matches) labels[key(m.value)] = m.label;
        lb.replaceChildren(...matches.map((m, i) => el("li", { id: "q-opt-" + i, role: "option", class: "option", "aria-selected": "false", onclick: () => pick(m) }, String(m.label))));
        close();
        lb.hidden = !matches.length;
        input.setAttribute("aria-expanded", !!matches.length);
        say(matches.length ? t("results", { count: matches.length }) : t("no_results"), !matches.length);
      });
    }
    input.addEventListener("input", () => {
      if (!max) selected = null;
      clearTimeout(tm);
      const q = input.value.trim();
      if (q) tm = setTimeout(() => search(q), 150);
      else { seq++; matches = []; close(); }
    });
    input.addEventListener("keydown", (e) => {
      const k = e.key, typed = input.value.trim();
      if (k === "ArrowDown" || k === "ArrowUp") move(k === "ArrowDown" ? 1 : -1);
      else if (k === "Enter" && !lb.hidden && active >= 0) pick(matches[active]);
      else if (k === "Enter" && max && typed) { const m = exact(typed) || (matches.length === 1 && matches[0]); if (m) pick(m); }
      else if (k === "Escape" && !lb.hidden) close();
      else return;
      e.preventDefault();
    });
    input.addEventListener("blur", () => setTimeout(() => { if (document.activeElement !== input) close(); }, 150));
    lb.addEventListener("mousedown", (e) => e.preventDefault()); // keep focus in the input
    drawChips();
    return {
      focus: input,
      nodes: [el("p", { id: "q-lookup-hint", class: "hint", text: t("search_hint") }), chips, full, el("div", { class: "combo" }, input, lb), status],
      get() {
        const typed = input.value.trim(), m = typed && exact(typed);
        if (typed && !m && !(selected && typed === selected.label)) return fieldError(t("choose_from_list"));
        if (max) {
          if (m) pick(m);
          return [chosen.map((c) => c.value), chosen.length ? chosen.map((c) => c.label).join(", ") : null];
        }
        const v = typed ? m || selected : null;
        return v ? [v.value, v.label] : [null, null];
      },
    };
  }

  function showReview(r, err, lead) {
    current = { review: r };
    const sections = r.sections || [];
    setTranscript(sections.flatMap((s) => s.items || []));
    drawTranscript(false);
    const head = el("h2", { class: "q-text", tabindex: "-1", text: t("review_title") });
    form = el("div", { class: "review" }, head, ...sections.flatMap((s) => [
      el("h3", { class: "section-title", text: s.title }),
      el("dl", { class: "summary" }, ...(s.items || []).map((i) => el("div", { class: "summary-row" },
        el("dt", { class: "summary-key", text: i.question }),
        el("dd", { class: "summary-value", dir: "auto", text: shown(i.answer) }),
        el("dd", { class: "summary-action" }, el("button", { type: "button", class: "link-button", onclick: () => enqueue("change", { question_id: i.question_id }) },
          t("change"), el("span", { class: "vh", text: " " + i.question })))))),
    ]), el("div", { class: "actions" }, el("button", { type: "button", class: "button", onclick: () => enqueue("submit", {}) }, t("submit"))),
    el("p", { class: "sending" }));
    widget = null;
    setTurn([backButton(), form], head);
    announce(lead + t("review_title"));
    if (err) notice(err.message || t("failed"));
  }

  function showReceipt(s) {
    forget();
    queue.length = 0;
    current = { submitted: s };
    transcript = []; said = {}; labels = {}; form = widget = null;
    drawTranscript(false);
    $("new-referral").hidden = true; // the receipt has its own button
    const head = el("h2", { class: "panel-title", tabindex: "-1", text: t(s.kind === "dtn" ? "done_dtn" : "done_nrm") });
    setTurn([el("div", { class: "panel" }, head, el("p", { class: "panel-label", text: t("ref_label") }), el("p", { class: "reference", dir: "ltr", text: s.reference })),
      s.message && el("p", { class: "message", text: s.message }),
      el("button", { type: "button", class: "button", onclick: () => newReferral(false) }, t("new"))], head);
    announce(`${head.textContent}. ${t("ref_label")} ${s.reference}`);
  }

  // ---- wiring ----
  $("new-referral").addEventListener("click", () => newReferral(true));
  if (picker) {
    picker.value = LANG; // not a value the browser kept from before a reload
    picker.addEventListener("change", () => switchLanguage(picker.value));
  }
  // For cards.js: the same connection, strings and helpers.
  window.nrmChat = Object.freeze({
    el, t, bcp, lang: LANG, languages: LANGS,
    connected: () => socket.connected,
    emit: (ev, payload, cb) => emit(ev, payload, cb),
  });
  socket.on("connect", () => {
    setStatus("connected");
    ready = false;
    inflight = null;
    resume();
  });
  socket.on("disconnect", (reason) => {
    ready = false;
    setStatus(downState());
    if (reason === "io server disconnect") setTimeout(() => socket.connect(), 2000);
  });
  socket.on("connect_error", () => {
    setStatus(downState());
    if (!socket.active) setTimeout(() => socket.connect(), 5000);
  });
  addEventListener("offline", () => setStatus("offline"));
  addEventListener("online", () => {
    setStatus(socket.connected ? "connected" : "reconnecting");
    // Reconnect now: the client would otherwise wait out its back-off (up to seconds) first.
    if (!socket.connected) socket.disconnect().connect();
  });

  setStatus(navigator.onLine === false ? "offline" : "connecting");
  if (conv) $("turn").replaceChildren(el("p", { class: "loading", text: t("loading") }));
  else newReferral(false);
})();
