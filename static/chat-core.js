/* NRM referral assistant, browser client. Contract: docs/protocol.md.
   Browser storage holds only {conversation_id, resume_token}; answers live in memory.
   Three deferred scripts, loaded in this order, share one namespace object (window.nrmChatParts, dropped once
   the page is wired): chat-core.js (helpers, the connection and its outgoing queue), chat-prompts.js (a
   question and its answer widget), chat.js (transcript, review, receipt, and the page's start). */
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

  // What the three scripts share and change; answers live here, in memory only.
  const state = {
    conv: null,        // {conversation_id, resume_token}, as kept in browser storage
    switchNote: "",    // said once, after a switch of language reloaded the page
    current: null,     // {prompt} | {review} | {submitted}
    transcript: [],    // [{question_id, question, answer}] on the path before the current question
    said: {},          // question_id -> display text of its answer (labels for `previous`)
    labels: {},        // list + "\n" + value -> label seen in lookups
    inflight: null, ready: false, changing: false,
    changed: null,     // the question_id whose Change was pressed: the review comes back to its row
    form: null, widget: null, lastSection: null,
  };
  const queue = [];    // ordered outgoing actions, kept until acknowledged
  let timer = 0, leaving = false;

  // The page's language is the one in ?lang= when there is one (the worker chose it): the conversation
  // follows the page. Without it (the browser's preference), the page follows the conversation.
  const query = new URLSearchParams(location.search), EXPLICIT = query.has("lang");
  if (query.has("switched")) {
    const me = LANGS.find((l) => l.code === LANG);
    state.switchNote = t("switched", { language: me ? me.name : LANG });
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
  try {
    const v = JSON.parse(localStorage.getItem(KEY));
    if (v && v.conversation_id && v.resume_token) state.conv = { conversation_id: String(v.conversation_id), resume_token: String(v.resume_token) };
  } catch (e) { /* nothing kept */ }
  // A draft picked from "My referrals": the server put its id and token in the page; drop the id from the address.
  try {
    const v = JSON.parse(($("carry-on") || {}).textContent || "null");
    if (v && v.conversation_id && v.resume_token) { state.conv = { conversation_id: String(v.conversation_id), resume_token: String(v.resume_token) }; store(state.conv); }
    if (query.has("conversation")) {
      query.delete("conversation");
      history.replaceState(history.state, "", location.pathname + (String(query) ? "?" + query : "") + location.hash);
    }
  } catch (e) { /* nothing to carry on */ }
  const forget = () => { state.conv = null; store(null); };
  // The session ended (signed out elsewhere, timed out, disabled): sign in again, then come back here.
  // The link to the draft stays, so it resumes; an answer not yet acknowledged was not saved.
  let leavingForSignIn = false;
  const signedOut = () => {
    if (leavingForSignIn) return;
    leavingForSignIn = true;
    location.assign("/sign-in?next=" + encodeURIComponent(location.pathname + location.search));
  };
  const signOut = $("sign-out");
  if (signOut) signOut.addEventListener("submit", () => forget()); // the response also clears site data

  // Quick exit: forget this device's link to the referral, end the session (a sign-out sent in the
  // background, with the form's token; nothing waits for it), and leave without a history entry, so
  // that Back shows the sign-in page, not a signed-in one.
  let socket = null; // made by connect(), once all three scripts have run
  const quickExit = (e) => {
    e.preventDefault();
    forget();
    try { if (signOut) navigator.sendBeacon(signOut.action, new FormData(signOut)); } catch (x) { /* no beacon: the session times out */ }
    try { socket.close(); } catch (x) { /* no socket yet */ }
    document.title = "";
    document.body.replaceChildren();
    location.replace("https://www.bbc.co.uk/weather");
  };
  for (const a of document.querySelectorAll(".quick-exit")) a.addEventListener("click", quickExit);
  // Without the socket.io client there is no namespace: chat-prompts.js, chat.js and cards.js then do nothing.
  if (typeof io !== "function") return void ($("turn").textContent = t("failed"));
  const N = (window.nrmChatParts = {}); // the later scripts' functions join it; called through N.
  // While the chat is used, touch the web session now and then: chat events alone do not keep it alive.
  let aliveAt = Date.now();
  const keepAlive = () => {
    if (Date.now() - aliveAt < 300000) return;
    aliveAt = Date.now();
    fetch("/session/alive", { credentials: "same-origin", cache: "no-store" })
      .then((r) => { if (r.status === 401 || r.redirected) signedOut(); }, () => { /* offline: try later */ });
  };
  const emit = (ev, payload, cb) => {
    keepAlive();
    socket.timeout(ACK_MS).emit(ev, payload, (err, turn) => {
      if (!err && turn && turn.ok === false && (turn.error || {}).code === "signed_out") return signedOut();
      cb(err, turn);
    });
  };
  const connected = () => socket.connected;

  function setStatus(k) {
    const s = $("status");
    if (s.dataset.state === k) return;
    s.dataset.state = k;
    s.textContent = t(k);
    updateBusy();
  }
  const downState = () => (navigator.onLine === false ? "offline" : "reconnecting");

  // ---- the outgoing queue ----
  // Busy: an action of the user's is on its way; the form takes no other. An `internal` resume and a
  // `quiet` start (the one sent while the first question, drawn by the server, is already on screen) do not count.
  const busy = () => leaving || queue.some((i) => !i.internal && !i.quiet);
  function updateBusy() {
    const form = state.form;
    if (!form || !form.isConnected) return;
    const b = busy(), first = $("status").dataset.state === "connecting"; // not yet connected once: no "back online"
    form.setAttribute("aria-busy", b);
    form.querySelector(".sending").textContent = b ? t(socket.connected || first ? "sending" : "waiting") : "";
  }
  function enqueue(event, payload, extra) {
    if (busy()) return;
    N.clearError();
    queue.push({ event, payload, id: uuid(), tries: 0, ...extra });
    pump();
  }
  function pump() {
    updateBusy();
    if (!state.ready || state.inflight || !queue.length || !socket.connected) return;
    const item = queue[0], conv = state.conv;
    if (item.event !== "start" && !conv) {
      queue.shift();
      if (item.to) return go(item.to, false); // no referral to switch: just load the page in that language
      return pump();
    }
    const payload = item.event === "resume" ? resumePayload(false)
      : { ...item.payload, client_msg_id: item.id, ...(item.event === "start" ? {} : { conversation_id: conv.conversation_id }) };
    const mine = (item.attempt = {});
    state.inflight = item;
    emit(item.event, payload, (err, turn) => {
      if (item.attempt !== mine || state.inflight !== item) return;
      state.inflight = null;
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
        state.ready = false;
        return resume();
      }
      queue.shift();
      onTurn(turn, item);
      pump();
    });
  }
  // When the conversation's language is not the page's, `resume` is sent again with the page's language.
  let langRefused = false;
  const resumePayload = (withLang) => (withLang && !langRefused ? { ...state.conv, language: LANG } : { ...state.conv });
  function resume(withLang) {
    const c = state.conv;
    if (!socket.connected) return;
    if (!c) { state.ready = true; return pump(); }
    const payload = resumePayload(withLang === true);
    emit("resume", payload, (err, turn) => {
      if (c !== state.conv || !socket.connected || state.ready) return;
      const code = err || !turn ? "retry" : turn.ok ? "" : (turn.error || {}).code;
      if (code === "retry" || code === "rate_limited" || code === "server_error") return void setTimeout(resume, 2000);
      if (code === "unsupported_language" && payload.language) { langRefused = true; return resume(); }
      if (code === "not_found" || !(turn.prompt || turn.review || turn.submitted)) return N.lost();
      if (turn.language && turn.language !== LANG && !langRefused) {
        if (!EXPLICIT && offered(turn.language)) return go(turn.language, false); // the page follows the referral
        if (!payload.language) return resume(true);
      }
      state.ready = true;
      if (!busy()) { // otherwise the resent action's acknowledgement says where we are
        if (Array.isArray(turn.transcript)) N.setTranscript(turn.transcript);
        N.render(turn, null);
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
      state.conv = { conversation_id: turn.conversation_id, resume_token: turn.resume_token };
      store(state.conv);
    }
    if (Array.isArray(turn.transcript)) N.setTranscript(turn.transcript);
    const p = turn.prompt, e = item.entry;
    if (turn.ok && e) { state.said[e.question_id] = e.answer; N.cut(e.question_id); state.transcript.push(e); }
    if (turn.ok && item.event === "back" && p && !state.transcript.some((x) => x.question_id === p.question_id)) state.transcript.pop();
    if (turn.ok && item.event === "change") { state.changing = true; state.changed = item.payload.question_id; }
    const err = turn.ok ? null : turn.error || {};
    if (!p && !turn.review && !turn.submitted) {
      return N.notice((err && err.message) || t("failed"), item.event === "start" ? t("try_again") : null, () => N.newReferral(false));
    }
    N.render(turn, err);
    if (turn.review || turn.submitted) state.changing = false;
    // after a change the server may jump over answered questions: fetch the path as it now is
    else if (state.changing && e && turn.ok) queue.push({ event: "resume", internal: true });
  }

  // ---- the worker's language ----
  // A switch waits in the queue like any action (it needs the connection, and the page load after it
  // needs the server); once the conversation is in the new language, the page reloads in it.
  const picker = $("ui-language");
  function switchLanguage(code) {
    if (code === LANG || !offered(code)) return;
    if (state.current && state.current.submitted && !window.confirm(t("new_confirm"))) { picker.value = LANG; return; }
    for (let i = queue.length - 1; i >= 0; i--) if (queue[i].to && queue[i] !== state.inflight) queue.splice(i, 1);
    N.clearError();
    queue.push({ event: "language", payload: { language: code }, id: uuid(), tries: 0, to: code });
    pump();
  }
  function go(code, switched) {
    leaving = true;
    updateBusy();
    const u = new URL(location.href);
    u.searchParams.set("lang", code);
    u.searchParams.delete("switched");
    if (switched && state.conv) u.searchParams.set("switched", "1");
    u.hash = "";
    location.replace(u.href);
  }

  // ---- the connection ----
  // Made last (chat.js calls this once everything is defined), so no reply arrives before its handler exists.
  // Long-polling first, then the upgrade to WebSocket: works behind proxies that block WebSockets.
  function connect() {
    socket = io({ transports: ["polling", "websocket"] });
    socket.on("connect", () => {
      setStatus("connected");
      state.ready = false;
      state.inflight = null;
      resume();
    });
    socket.on("disconnect", (reason) => {
      state.ready = false;
      setStatus(downState());
      if (reason === "io server disconnect") setTimeout(() => socket.connect(), 2000);
    });
    socket.on("connect_error", (err) => {
      if (err && err.data && err.data.code === "sign_in_required") return signedOut();
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
  }

  Object.assign(N, {
    $, t, bcp, el, uuid, FLOW, LANG, BCP, LANGS, TITLE, state, queue, picker,
    forget, emit, connected, busy, updateBusy, enqueue, switchLanguage, connect,
  });
})();
