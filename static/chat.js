/* NRM referral assistant: browser client. Contract: docs/protocol.md.
   Only {conversation_id, resume_token} is ever written to browser storage. */
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const S = JSON.parse($("ui-strings").textContent);
  const root = $("main");
  const FLOW = root.dataset.flow || "nrm";
  const LANG = root.dataset.language || document.documentElement.lang || "en";
  const KEY = "nrm-conversation";
  const ACK_MS = 10000;
  const EXIT_URL = "https://www.bbc.co.uk/weather";
  const TITLE = document.title;

  const t = (k, v) => String(S[k] == null ? k : S[k]).replace(/\{(\w+)\}/g, (m, n) => (v && n in v ? v[n] : m));

  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of kids) if (c != null && c !== false) e.append(c); // strings become text nodes
    return e;
  }

  function uuid() {
    const c = window.crypto;
    if (c && c.randomUUID) return c.randomUUID();
    const b = new Uint8Array(16);
    if (c && c.getRandomValues) c.getRandomValues(b);
    else for (let i = 0; i < 16; i++) b[i] = (Math.random() * 256) | 0;
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  function load() {
    try {
      const v = JSON.parse(localStorage.getItem(KEY));
      return v && typeof v.conversation_id === "string" && typeof v.resume_token === "string"
        ? { conversation_id: v.conversation_id, resume_token: v.resume_token } : null;
    } catch (e) { return null; }
  }
  function save() { try { localStorage.setItem(KEY, JSON.stringify(conv)); } catch (e) { /* private mode */ } }
  function forget() { conv = null; try { localStorage.removeItem(KEY); } catch (e) { /* ignore */ } }

  // ---- state (answers live only in memory) ----
  let conv = load();
  let current = null;      // {prompt} | {review} | {submitted}
  let transcript = [];     // [{question_id, question, answer}] on the path, before the current prompt
  let said = {};           // question_id -> display text of its answer
  let labels = {};         // list + "\n" + value -> label, from lookups
  const queue = [];        // ordered outgoing actions
  let inflight = null, ready = false, timer = 0, changing = false;
  let form = null, widget = null, lastSection = null;

  // Polling first, then upgrade to WebSocket: works behind proxies that block WebSockets.
  const socket = typeof io === "function" ? io({ transports: ["polling", "websocket"] }) : null;

  // ---- status and announcements ----
  let statusKey = "";
  function setStatus(k) {
    if (k === statusKey) return;
    statusKey = k;
    const s = $("status");
    s.dataset.state = k;
    s.textContent = t(k);
    updateBusy();
  }
  const lostState = () => (navigator.onLine === false ? "offline" : "reconnecting");
  function announce(s) {
    const a = $("announce");
    a.textContent = "";
    setTimeout(() => { a.textContent = s; }, 120);
  }
  function setProgress(p) {
    if (!p) return "";
    const txt = t("progress", { section: p.section, sections: p.sections, title: p.title || "" });
    $("progress-text").textContent = txt;
    $("progress-bar").style.setProperty("--done", String(Math.max(0, Math.min(1, p.section / (p.sections || 1)))));
    const changed = p.section !== lastSection;
    lastSection = p.section;
    return changed ? txt + ". " : "";
  }

  // ---- outgoing queue ----
  const busy = () => queue.some((i) => !i.internal);
  function updateBusy() {
    if (!form || !form.isConnected) return;
    const b = busy();
    form.classList.toggle("busy", b);
    form.setAttribute("aria-busy", String(b));
    const n = form.querySelector(".sending");
    if (n) n.textContent = b ? t(socket && socket.connected ? "sending" : "waiting") : "";
  }
  function enqueue(event, payload, extra) {
    if (busy()) return;
    clearError();
    queue.push(Object.assign({ event, payload, id: uuid(), tries: 0 }, extra));
    pump();
  }
  function retry(ms) { clearTimeout(timer); timer = setTimeout(pump, ms); }

  function pump() {
    updateBusy();
    if (!socket || !ready || inflight || !queue.length || !socket.connected) return;
    const item = queue[0];
    if (item.event !== "start" && !conv) { queue.shift(); return pump(); }
    const payload = Object.assign({}, item.payload);
    if (item.event === "resume") Object.assign(payload, conv);
    else {
      payload.client_msg_id = item.id;
      if (item.event !== "start") payload.conversation_id = conv.conversation_id;
    }
    const mine = {};
    item.attempt = mine;
    inflight = item;
    socket.timeout(ACK_MS).emit(item.event, payload, (err, turn) => {
      if (item.attempt !== mine || inflight !== item) return;
      inflight = null;
      if (err || !turn || typeof turn !== "object") return retry(1000); // timeout or disconnect: same id again
      const code = !turn.ok && turn.error ? turn.error.code : "";
      if ((code === "rate_limited" || code === "server_error") && item.tries++ < 4) {
        item.id = uuid(); // the turn was not applied: send it again as a new action
        return retry(1500 * item.tries);
      }
      if (code === "not_found" && item.event !== "start" && item.event !== "resume" && !item.nf) {
        item.nf = true; ready = false; return resume(); // re-authorise this connection, then resend
      }
      queue.shift();
      onTurn(turn, item);
      pump();
    });
  }

  function resume() {
    const c = conv;
    if (!socket || !socket.connected) return;
    if (!c) { ready = true; return pump(); }
    socket.timeout(ACK_MS).emit("resume", Object.assign({}, c), (err, turn) => {
      if (c !== conv || !socket.connected || ready) return;
      if (err || !turn) return setTimeout(resume, 1000);
      const code = !turn.ok && turn.error ? turn.error.code : "";
      if (code === "rate_limited" || code === "server_error") return setTimeout(resume, 2000);
      if (code === "not_found" || !(turn.prompt || turn.review || turn.submitted)) return lost();
      ready = true;
      if (!busy()) { // otherwise the resent action's acknowledgement says where we are
        if (Array.isArray(turn.transcript)) setTranscript(turn.transcript);
        render(turn, null);
      }
      pump();
    });
  }

  function onTurn(turn, item) {
    if (item.event === "start" && turn.conversation_id && turn.resume_token) {
      conv = { conversation_id: turn.conversation_id, resume_token: turn.resume_token };
      save();
    }
    if (item.internal && !turn.ok) return;
    if (Array.isArray(turn.transcript)) setTranscript(turn.transcript);
    const p = turn.prompt;
    if (turn.ok) {
      if (item.event === "answer") {
        said[item.entry.question_id] = item.entry.answer;
        cut(item.entry.question_id);
        transcript.push(item.entry);
      }
      if (item.event === "back" && p && !transcript.some((e) => e.question_id === p.question_id)) transcript.pop();
      if (item.event === "change") changing = true;
    }
    const err = turn.ok ? null : turn.error || { message: t("failed") };
    if (!p && !turn.review && !turn.submitted) {
      if (item.event === "start") return notice(err ? err.message || t("failed") : t("failed"), t("try_again"), () => newReferral(false));
      return notice(err ? err.message || t("failed") : t("failed"));
    }
    render(turn, err);
    if (turn.review || turn.submitted) changing = false;
    else if (changing && turn.ok && item.event === "answer") {
      // after a change the server may skip answered questions: fetch the exact path
      queue.push({ event: "resume", internal: true, payload: {} });
    }
  }

  function lost() {
    forget();
    queue.length = 0; inflight = null; ready = true; current = null; form = null;
    transcript = []; drawTranscript(false);
    $("turn").replaceChildren();
    notice(t("lost"), t("new"), () => newReferral(false));
  }

  function newReferral(ask) {
    if (ask && conv && current && !current.submitted && !window.confirm(t("new_confirm"))) return;
    forget();
    queue.length = 0; inflight = null; changing = false; current = null; form = null; widget = null;
    transcript = []; said = {}; labels = {}; lastSection = null;
    drawTranscript(false);
    $("progress-text").textContent = "";
    $("turn").replaceChildren(el("p", { class: "loading", text: t("loading") }));
    clearError();
    ready = !!(socket && socket.connected);
    enqueue("start", { flow: FLOW, language: LANG });
  }

  // ---- transcript ----
  function setTranscript(list) {
    transcript = list.map((e) => ({ question_id: e.question_id, question: e.question, answer: e.answer }));
    for (const e of transcript) said[e.question_id] = e.answer;
  }
  function cut(qid) {
    const i = transcript.findIndex((e) => e.question_id === qid);
    if (i >= 0) transcript.splice(i);
  }
  const shown = (a) => (a == null || a === "" || (Array.isArray(a) && !a.length) ? t("not_answered") : Array.isArray(a) ? a.join(", ") : String(a));
  function drawTranscript(show) {
    $("transcript").replaceChildren(...transcript.map((e) => el("li", { class: "exchange" },
      el("p", { class: "bubble bot" }, el("span", { class: "vh", text: t("question") + " " }), String(e.question || "")),
      e.answer === "" ? null : el("p", { class: "bubble me" }, el("span", { class: "vh", text: t("your_answer") + " " }), shown(e.answer)))));
    $("history").hidden = !show || !transcript.length;
  }

  // ---- errors ----
  function notice(msg, label, fn) {
    const n = el("div", { class: "banner", role: "alert", tabindex: "-1" }, el("p", { text: msg }),
      label ? el("button", { type: "button", class: "button", onclick: fn }, label) : null);
    $("notice").replaceChildren(n);
    n.focus();
  }
  function describe() {
    if (!form) return;
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
    e.hidden = true; e.textContent = "";
    describe();
  }
  function problem(err) {
    if (!err) return;
    const p = current && current.prompt;
    if (p && (err.code === "invalid" || err.question_id === p.question_id) && form) fieldError(err.message || t("failed"));
    else notice(err.message || t("failed"));
  }

  // ---- rendering ----
  function render(turn, err) {
    const lead = setProgress(turn.progress);
    if (turn.submitted) showReceipt(turn.submitted);
    else if (turn.review) showReview(turn.review, err, lead);
    else if (turn.prompt) showPrompt(turn.prompt, err, lead);
  }

  function setTurn(nodes, focusEl) {
    const turn = $("turn");
    turn.replaceChildren(...nodes);
    updateBusy();
    turn.scrollIntoView({ block: "start" }); // the question and its buttons at the top, the transcript above
    if (focusEl) focusEl.focus({ preventScroll: true });
  }

  const backButton = () => el("button", { type: "button", class: "back-link", onclick: () => enqueue("back", {}) }, t("back"));

  function showPrompt(p, err, progressSaid) {
    const same = current && current.prompt && current.prompt.question_id === p.question_id && form && form.isConnected;
    current = { prompt: p };
    cut(p.question_id);
    drawTranscript(true);
    if (same) { updateBusy(); return problem(err); }
    $("notice").replaceChildren();
    document.title = TITLE;
    const w = widget = build(p);
    const group = w.group;
    const head = el("h2", { id: "q-text", class: "q-text" + (p.kind === "info" ? " info" : ""), tabindex: "-1" },
      group || p.kind === "info" ? p.text : el("label", { for: w.focus.id }, p.text));
    const intro = [
      p.hint ? el("p", { id: "q-hint", class: "hint", text: p.hint }) : null,
      p.help ? el("details", { class: "help" }, el("summary", {}, el("span", { text: t("why") })), el("p", { text: p.help })) : null,
      el("p", { id: "q-error", class: "error-message", hidden: true }),
    ];
    const body = group
      ? [el("fieldset", { class: "fieldset", "data-describe": "" }, el("legend", {}, head), ...intro, ...w.nodes)]
      : [head, ...intro, ...w.nodes];
    const actions = el("div", { class: "actions" },
      w.instant ? null : el("button", { type: "submit", class: "button" }, t("continue")),
      p.required === false && p.kind !== "info"
        ? el("button", { type: "button", class: "button secondary", onclick: () => send(null, null) }, t("skip")) : null);
    form = el("form", { class: "question", novalidate: true, autocomplete: "off", "data-kind": p.kind, "data-question": p.question_id },
      el("div", { class: "group" }, ...body), actions, el("p", { class: "sending" }));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      if (busy()) return;
      const r = w.get();
      if (r) send(r[0], r[1]);
    });
    function send(value, display) {
      if (busy()) return;
      enqueue("answer", { question_id: p.question_id, value },
        { entry: { question_id: p.question_id, question: p.text, answer: p.kind === "info" ? "" : display } });
    }
    w.send = send;
    describe();
    setTurn([transcript.length ? backButton() : null, form].filter(Boolean),
      group || p.kind === "info" ? head : w.focus);
    if (w.after) w.after();
    announce(progressSaid + p.text);
    problem(err);
  }

  function build(p) {
    const opts = Array.isArray(p.options) ? p.options : [];
    const k = p.kind;
    if (k === "info") return { nodes: [], get: () => [p.previous != null ? p.previous : "seen", ""] };
    if (k === "choice" || (k === "select" && opts.length && opts.length <= 6 && !p.repeat)) return buttons(p, opts);
    if (k === "multichoice" || (k === "select" && opts.length && p.repeat)) return checks(p, opts);
    if (k === "select" && opts.length) return nativeSelect(p, opts);
    if (k === "select" && p.lookup) return lookup(p);
    if (k === "date") return dateInputs(p);
    return textInput(p);
  }

  function buttons(p, opts) {
    const w = { group: true, instant: true };
    const wrap = el("div", { class: "replies" }, ...opts.map((o) => {
      const prev = p.previous === o.value;
      return el("button", { type: "button", class: "reply" + (prev ? " previous" : ""), onclick: () => w.send(o.value, o.label) },
        el("span", { text: o.label }), prev ? el("span", { class: "tag", text: t("previous") }) : null);
    }));
    w.nodes = [wrap];
    w.focus = wrap.firstChild;
    w.get = () => null;
    return w;
  }

  function checks(p, opts) {
    const prev = [].concat(p.previous == null ? [] : p.previous);
    const boxes = opts.map((o, i) => el("input", { type: "checkbox", class: "check-input", id: "opt-" + i, value: o.value, checked: prev.includes(o.value) }));
    const wrap = el("div", { class: "checks" }, ...opts.map((o, i) => el("div", { class: "check" }, boxes[i], el("label", { for: "opt-" + i, class: "check-label", text: o.label }))));
    return {
      group: true, nodes: [wrap], focus: boxes[0],
      get() {
        const sel = opts.filter((o, i) => boxes[i].checked);
        return [sel.map((o) => o.value), sel.length ? sel.map((o) => o.label).join(", ") : null];
      },
    };
  }

  function nativeSelect(p, opts) {
    const s = el("select", { id: "answer", class: "select", "data-describe": "" }, el("option", { value: "", text: t("choose") }),
      ...opts.map((o) => el("option", { value: o.value, selected: p.previous === o.value, text: o.label })));
    return {
      nodes: [s], focus: s,
      get() {
        const o = opts.find((x) => x.value === s.value);
        return o ? [o.value, o.label] : [null, null];
      },
    };
  }

  function dateInputs(p) {
    let prev = p.previous;
    if (typeof prev === "string") {
      const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(prev);
      prev = m ? { year: m[1], month: m[2], day: m[3] } : null;
    }
    const parts = ["day", "month", "year"].map((n) => {
      const v = prev && prev[n] != null && prev[n] !== "" ? String(prev[n]).replace(/^0+(?=\d)/, "") : "";
      return el("input", { id: "answer-" + n, class: "input date-" + n, type: "text", inputmode: "numeric", autocomplete: "off", value: v, "data-describe": "" });
    });
    const wrap = el("div", { class: "date" }, ...parts.map((x, i) => el("div", { class: "date-item" },
      el("label", { for: x.id, class: "date-label", text: t(["day", "month", "year"][i]) }), x)));
    return {
      group: true, nodes: [wrap], focus: parts[0],
      get() {
        const [d, m, y] = parts.map((x) => x.value.trim());
        if (!d && !m && !y) return [null, null];
        let txt = `${d}/${m}/${y}`;
        try {
          if (/^\d+$/.test(d + m + y)) txt = new Intl.DateTimeFormat(LANG, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(Date.UTC(+y, +m - 1, +d));
        } catch (e) { /* keep the plain form */ }
        return [{ day: d, month: m, year: y }, txt];
      },
    };
  }

  function textInput(p) {
    const k = p.kind;
    const a = { id: "answer", class: "input", autocomplete: "off", "data-describe": "" };
    const extra = {
      email: { type: "email", autocapitalize: "none", spellcheck: "false", class: "input w-30" },
      phone: { type: "tel", class: "input w-20" },
      number: { type: "text", inputmode: "numeric", class: "input w-10" },
      postcode: { type: "text", autocapitalize: "characters", spellcheck: "false", class: "input w-10" },
    }[k] || { type: "text" };
    const prev = p.previous == null ? "" : String(p.previous);
    if (k !== "textarea") {
      const i = el("input", Object.assign(a, extra, { value: prev }));
      return { nodes: [i], focus: i, get: () => { const v = i.value.trim(); return [v, v || null]; } };
    }
    const max = Number(p.max_length) || 15000;
    const ta = el("textarea", Object.assign(a, { class: "input textarea", rows: "6", "data-describe": "q-count" }));
    ta.value = prev;
    const count = el("p", { id: "q-count", class: "count" });
    const live = el("p", { class: "vh", "aria-live": "polite" });
    let tm = 0;
    const upd = (speak) => {
      const n = max - Array.from(ta.value).length;
      count.textContent = n >= 0 ? t("chars_left", { count: n.toLocaleString(LANG) }) : t("chars_over", { count: (-n).toLocaleString(LANG) });
      count.classList.toggle("over", n < 0);
      ta.classList.toggle("over", n < 0);
      clearTimeout(tm);
      if (speak) tm = setTimeout(() => { live.textContent = count.textContent; }, 1000);
    };
    ta.addEventListener("input", () => upd(true));
    upd(false);
    return { nodes: [ta, count, live], focus: ta, get: () => { const v = ta.value.trim(); return [v, v || null]; } };
  }

  function lookup(p) {
    const max = p.repeat ? Math.max(1, Number(p.repeat) || 1) : 0; // 0: a single value
    const key = (v) => p.lookup + "\n" + v;
    const prevVals = p.previous == null || p.previous === "" ? [] : [].concat(p.previous);
    const old = typeof said[p.question_id] === "string" ? said[p.question_id] : "";
    const guess = old.split(", ");
    const lab = (v, i) => labels[key(v)] || (max ? (guess.length === prevVals.length ? guess[i] : String(v)) : old || String(v));
    const chosen = prevVals.map((v, i) => ({ value: v, label: lab(v, i) }));
    let selected = max ? null : chosen[0] || null;
    let matches = [], active = -1, seq = 0, tm = 0;

    const input = el("input", { id: "answer", class: "input", type: "text", role: "combobox", "aria-autocomplete": "list",
      "aria-expanded": "false", "aria-controls": "q-list", autocomplete: "off", autocapitalize: "none", spellcheck: "false",
      "data-describe": "q-lookup-hint" });
    if (selected) input.value = selected.label;
    const lb = el("ul", { id: "q-list", class: "listbox", role: "listbox", "aria-label": p.text, hidden: true });
    const help = el("p", { id: "q-lookup-hint", class: "hint", text: t("search_hint") });
    const status = el("p", { class: "lookup-status vh", "aria-live": "polite" });
    const chips = el("ul", { class: "chips", "aria-label": t("chosen") });
    const full = el("p", { class: "hint", hidden: true, text: t("max_reached") });
    const say = (s, visible) => {
      status.classList.toggle("vh", !visible);
      status.textContent = "";
      setTimeout(() => { status.textContent = s; }, 60);
    };
    const close = () => {
      lb.hidden = true; active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    };
    const exact = (s) => matches.find((m) => String(m.label).toLowerCase() === s.toLowerCase());

    function open() {
      lb.replaceChildren(...matches.map((m, i) => el("li", { id: "q-opt-" + i, role: "option", class: "option", "aria-selected": "false", onclick: () => pick(m) }, String(m.label))));
      close();
      lb.hidden = !matches.length;
      input.setAttribute("aria-expanded", String(!!matches.length));
      say(matches.length ? t("results", { count: matches.length }) : t("no_results"), !matches.length);
    }
    function move(d) {
      if (!matches.length) return;
      lb.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = active < 0 ? (d > 0 ? 0 : matches.length - 1) : (active + d + matches.length) % matches.length;
      Array.from(lb.children).forEach((li, i) => li.setAttribute("aria-selected", String(i === active)));
      input.setAttribute("aria-activedescendant", "q-opt-" + active);
      lb.children[active].scrollIntoView({ block: "nearest" });
    }
    function drawChips() {
      chips.replaceChildren(...chosen.map((c) => el("li", { class: "chip" }, el("span", { class: "chip-label", text: c.label }),
        el("button", { type: "button", class: "chip-remove", "aria-label": t("remove", { label: c.label }), onclick: () => {
          chosen.splice(chosen.indexOf(c), 1);
          drawChips();
          say(t("removed", { label: c.label }));
          input.focus();
        } }, "×"))));
      chips.hidden = !chosen.length;
      const isFull = max > 0 && chosen.length >= max;
      input.readOnly = isFull;
      full.hidden = !isFull;
    }
    function pick(m) {
      labels[key(m.value)] = m.label;
      matches = [];
      close();
      if (max) {
        if (chosen.length < max && !chosen.some((c) => c.value === m.value)) chosen.push({ value: m.value, label: m.label });
        input.value = "";
        drawChips();
        say(t("added", { label: m.label }));
      } else {
        selected = m;
        input.value = m.label;
      }
      if (max && chosen.length >= max) form.querySelector("button[type=submit]").focus();
      else input.focus();
    }
    function search(q) {
      const my = ++seq;
      if (!socket || !socket.connected) { matches = []; close(); return say(t("search_offline"), true); }
      socket.timeout(8000).emit("lookup", { list: p.lookup, query: q, language: LANG }, (err, res) => {
        if (my !== seq || !input.isConnected) return;
        if (err || !res || !res.ok) { matches = []; close(); return say(t("search_failed"), true); }
        matches = (Array.isArray(res.matches) ? res.matches : []).filter((m) => !(max && chosen.some((c) => c.value === m.value)));
        for (const m of matches) labels[key(m.value)] = m.label;
        open();
      });
    }
    input.addEventListener("input", () => {
      if (!max) selected = null;
      clearTimeout(tm);
      const q = input.value.trim();
      if (!q) { seq++; matches = []; close(); return; }
      tm = setTimeout(() => search(q), 150);
    });
    input.addEventListener("keydown", (e) => {
      if (e.key === "ArrowDown" || e.key === "Down") { e.preventDefault(); move(1); }
      else if (e.key === "ArrowUp" || e.key === "Up") { e.preventDefault(); move(-1); }
      else if (e.key === "Enter" && !lb.hidden && active >= 0) { e.preventDefault(); pick(matches[active]); }
      else if (e.key === "Enter" && max && input.value.trim()) {
        e.preventDefault();
        const m = exact(input.value.trim()) || (matches.length === 1 ? matches[0] : null);
        if (m) pick(m);
      } else if (e.key === "Escape" && !lb.hidden) { e.preventDefault(); close(); }
    });
    input.addEventListener("blur", () => setTimeout(() => { if (document.activeElement !== input) close(); }, 150));
    lb.addEventListener("mousedown", (e) => e.preventDefault()); // keep focus in the input
    drawChips();

    return {
      nodes: [help, chips, full, el("div", { class: "combo" }, input, lb), status], focus: input,
      get() {
        const typed = input.value.trim();
        if (max) {
          if (typed) {
            const m = exact(typed);
            if (!m) return fieldError(t("choose_from_list"));
            pick(m);
          }
          return [chosen.map((c) => c.value), chosen.length ? chosen.map((c) => c.label).join(", ") : null];
        }
        if (selected && typed === selected.label) return [selected.value, selected.label];
        if (!typed) return [null, null];
        const m = exact(typed);
        return m ? [m.value, m.label] : fieldError(t("choose_from_list"));
      },
    };
  }

  function showReview(r, err, progressSaid) {
    current = { review: r };
    transcript = [];
    for (const s of r.sections || []) for (const i of s.items || []) {
      transcript.push({ question_id: i.question_id, question: i.question, answer: i.answer });
      said[i.question_id] = i.answer;
    }
    drawTranscript(false);
    const head = el("h2", { class: "q-text", tabindex: "-1", text: t("review_title") });
    const box = el("div", { class: "review" }, head);
    for (const s of r.sections || []) {
      box.append(el("h3", { class: "section-title", text: s.title }), el("dl", { class: "summary" },
        ...(s.items || []).map((i) => el("div", { class: "summary-row" },
          el("dt", { class: "summary-key", text: i.question }),
          el("dd", { class: "summary-value", text: shown(i.answer) }),
          el("dd", { class: "summary-action" }, el("button", { type: "button", class: "link-button",
            onclick: () => enqueue("change", { question_id: i.question_id }) }, t("change"), el("span", { class: "vh", text: " " + i.question })))))));
    }
    box.append(el("div", { class: "actions" }, el("button", { type: "button", class: "button", onclick: () => enqueue("submit", {}) }, t("submit"))),
      el("p", { class: "sending" }));
    form = box; widget = null;
    setTurn([backButton(), box], head);
    announce(progressSaid + t("review_title"));
    if (err) notice(err.message || t("failed"));
  }

  function showReceipt(s) {
    forget();
    queue.length = 0;
    current = { submitted: s };
    transcript = []; said = {}; labels = {};
    drawTranscript(false);
    const head = el("h2", { class: "panel-title", tabindex: "-1", text: t(s.kind === "dtn" ? "done_dtn" : "done_nrm") });
    form = null; widget = null;
    setTurn([el("div", { class: "panel" }, head, el("p", { class: "panel-label", text: t("ref_label") }),
      el("p", { class: "reference", dir: "ltr", text: s.reference })),
      s.message ? el("p", { class: "message", text: s.message }) : null,
      el("button", { type: "button", class: "button", onclick: () => newReferral(false) }, t("new"))].filter(Boolean), head);
    announce(head.textContent + ". " + t("ref_label") + " " + s.reference);
  }

  // ---- wiring ----
  $("quick-exit").addEventListener("click", (e) => {
    e.preventDefault();
    forget();
    try { if (socket) socket.close(); } catch (x) { /* leaving anyway */ }
    document.title = "";
    document.body.replaceChildren();
    window.location.replace(EXIT_URL);
  });
  $("new-referral").addEventListener("click", () => newReferral(true));

  if (!socket) return notice(t("failed"));
  socket.on("connect", () => {
    setStatus("connected");
    ready = false; inflight = null;
    resume();
  });
  socket.on("disconnect", (reason) => {
    ready = false;
    setStatus(lostState());
    if (reason === "io server disconnect") setTimeout(() => socket.connect(), 2000);
  });
  socket.on("connect_error", () => {
    setStatus(lostState());
    if (!socket.active) setTimeout(() => socket.connect(), 5000);
  });
  window.addEventListener("offline", () => setStatus("offline"));
  window.addEventListener("online", () => {
    if (socket.connected) return setStatus("connected");
    setStatus("reconnecting");
    socket.connect();
  });

  setStatus(navigator.onLine === false ? "offline" : "connecting");
  if (conv) $("turn").replaceChildren(el("p", { class: "loading", text: t("loading") }));
  else newReferral(false);
})();
