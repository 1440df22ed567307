/* The connection and its outgoing queue: actions wait here, in order, until the server acknowledges them,
   across reconnections and time offline. Also the link to the referral kept on this device, the session's
   upkeep, and the switch of the worker's language. What a turn means for the screen is the entry point's
   (main.js), which gives its handlers to connect(). */
import { io } from "socket.io-client";
import { $, t, randomId, LANG, LANGS, EXPLICIT, offered, query, replaceQuery, setLanguage, state } from "./page.js";

const KEY = "nrm-conversation", ACK_MS = 10000;
export const queue = []; // ordered outgoing actions, kept until acknowledged
let socket = null, timer = 0, leaving = false;
let handlers = { turn() {}, resumed() {}, lost() {}, sending() {} };

// ---- the link to the referral: browser storage holds only {conversation_id, resume_token} ----
const store = (v) => { try { if (v) localStorage.setItem(KEY, JSON.stringify(v)); else localStorage.removeItem(KEY); } catch { /* storage off */ } };
try {
  const v = JSON.parse(localStorage.getItem(KEY));
  if (v && v.conversation_id && v.resume_token) state.conv = { conversation_id: String(v.conversation_id), resume_token: String(v.resume_token) };
} catch { /* nothing kept */ }
// A draft picked from "My referrals": the server put its id and token in the page; drop the id from the address.
try {
  const v = JSON.parse(($("carry-on") || {}).textContent || "null");
  if (v && v.conversation_id && v.resume_token) { state.conv = { conversation_id: String(v.conversation_id), resume_token: String(v.resume_token) }; store(state.conv); }
  if (query.has("conversation")) {
    query.delete("conversation");
    replaceQuery();
  }
} catch { /* nothing to carry on */ }
export const forget = () => { state.conv = null; state.fresh = false; store(null); };
// The referral the page's own request opened: kept like one that `start` opened. Until the first connection
// there is nothing to resume: it is at its first question, as the page drew it.
export const opened = (v) => {
  state.conv = { conversation_id: String(v.conversation_id), resume_token: String(v.resume_token) };
  store(state.conv);
  state.fresh = true;
};

// The session ended (signed out elsewhere, timed out, disabled): sign in again, then come back here.
// The link to the draft stays, so it resumes; an answer not yet acknowledged was not saved.
let leavingForSignIn = false;
const signedOut = () => {
  if (leavingForSignIn) return;
  leavingForSignIn = true;
  location.assign("/sign-in?next=" + encodeURIComponent(location.pathname + location.search));
};
export const closeConnection = () => { if (socket) socket.close(); };

// While the chat is used, touch the web session now and then: chat events alone do not keep it alive.
let aliveAt = Date.now();
const keepAlive = () => {
  if (Date.now() - aliveAt < 300000) return;
  aliveAt = Date.now();
  fetch("/session/alive", { credentials: "same-origin", cache: "no-store" })
    .then((r) => { if (r.status === 401 || r.redirected) signedOut(); }, () => { /* offline: try later */ });
};
export const emit = (ev, payload, cb) => {
  keepAlive();
  socket.timeout(ACK_MS).emit(ev, payload, (err, turn) => {
    if (!err && turn && turn.ok === false && (turn.error || {}).code === "signed_out") return signedOut();
    cb(err, turn);
  });
};
export const connected = () => !!socket && socket.connected;

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
export const busy = () => leaving || queue.some((i) => !i.internal && !i.quiet);
export function updateBusy() {
  const form = state.form;
  if (!form || !form.isConnected) return;
  const b = busy(), first = $("status").dataset.state === "connecting"; // not yet connected once: no "back online"
  form.setAttribute("aria-busy", b);
  form.querySelector(".sending").textContent = b ? t(connected() || first ? "sending" : "waiting") : "";
}
export function enqueue(event, payload, extra) {
  if (busy()) return;
  handlers.sending();
  queue.push({ event, payload, id: randomId(), tries: 0, ...extra });
  pump();
}
// After a change the server may jump over answered questions: fetch the path as it now is, after this turn.
export const refresh = () => queue.push({ event: "resume", internal: true });
// Start again from nothing: no action waits, none is on its way.
export function clear() { queue.length = 0; state.inflight = null; }

function pump() {
  updateBusy();
  if (!state.ready || state.inflight || !queue.length || !connected()) return;
  const item = queue[0], conv = state.conv;
  if (item.event !== "start" && !conv) {
    queue.shift();
    if (item.to && item.labels && state.current && state.current.submitted) { // a receipt: keep it on screen
      item.labels();
      handlers.turn({ ok: true, submitted: state.current.submitted }, item);
      return pump();
    }
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
      item.id = randomId(); // not applied: send again as a new action
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
// Once nothing waits for a connection of its own: send what the queue holds.
export function ready() { state.ready = connected(); }

// When the conversation's language is not the page's, `resume` is sent again with the page's language.
let langRefused = false;
const resumePayload = (withLang) => (withLang && !langRefused ? { ...state.conv, language: LANG } : { ...state.conv });
function resume(withLang) {
  const c = state.conv;
  if (!connected()) return;
  if (!c || state.fresh) { state.fresh = false; state.ready = true; return pump(); }
  const payload = resumePayload(withLang === true);
  emit("resume", payload, (err, turn) => {
    if (c !== state.conv || !connected() || state.ready) return;
    const code = err || !turn ? "retry" : turn.ok ? "" : (turn.error || {}).code;
    if (code === "retry" || code === "rate_limited" || code === "server_error") return void setTimeout(resume, 2000);
    if (code === "unsupported_language" && payload.language) { langRefused = true; return resume(); }
    if (code === "not_found" || !(turn.prompt || turn.review || turn.submitted)) return handlers.lost();
    if (turn.language && turn.language !== LANG && !langRefused) {
      if (!EXPLICIT && offered(turn.language)) return go(turn.language, false); // the page follows the referral
      if (!payload.language) return resume(true);
    }
    state.ready = true;
    if (!busy()) handlers.resumed(turn); // otherwise the resent action's acknowledgement says where we are
    pump();
  });
}

function onTurn(turn, item) {
  if (item.internal && !turn.ok) return;
  if (item.to && turn.ok) {
    if (queue.some((i) => i.to)) return; // another switch follows
    if (!item.labels) return go(item.to, true);
    item.labels(); // in place: the turn is redrawn with what was typed kept
  }
  if (item.to && picker) picker.value = LANG; // the new language, or, refused, the old one (the error is shown below)
  if (item.event === "start" && turn.conversation_id && turn.resume_token) {
    state.conv = { conversation_id: turn.conversation_id, resume_token: turn.resume_token };
    store(state.conv);
  }
  handlers.turn(turn, item);
}

// ---- the worker's language ----
// The page's words in the new language are fetched first (language.js); then the switch waits in the queue
// like any action, and once the conversation is in the new language the page takes those words and the
// turn is redrawn in place, keeping what was typed. Without them (offline), the page reloads in it instead.
const picker = $("ui-language");
let asked = 0;
export function switchLanguage(code) {
  if (code === LANG || !offered(code)) return;
  const mine = ++asked;
  const send = (labels) => {
    if (mine !== asked) return; // the worker chose again meanwhile
    for (let i = queue.length - 1; i >= 0; i--) if (queue[i].to && queue[i] !== state.inflight) queue.splice(i, 1);
    handlers.sending();
    queue.push({ event: "language", payload: { language: code }, id: randomId(), tries: 0, to: code, labels });
    pump();
  };
  // language.js is loaded only now: the first question does not wait for it. It is given what it uses of page.js.
  import("./language.js")
    .then((m) => m.fetchLabels(code).then((doc) => send(() => m.relabel({ $, t, setLanguage, LANGS, query, replaceQuery, state }, code, doc))))
    .catch(() => send(null));
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
// Made once the entry point has its handlers, so no reply arrives before they exist. `io` is socket.io-client's,
// bundled with these modules: it takes window.WebSocket when the bundle runs, after chat.html's inline script
// replaced it, so its first WebSocket is the one that script opened. WebSocket first, with no long-polling
// handshake before it (each round trip counts on a slow network); only when it fails, long-polling
// (tryAllTransports), for proxies that block WebSockets.
// handlers: turn(turn, item) an acknowledged action; resumed(turn) where the conversation stands after a
// (re)connection; lost() the conversation is gone; sending() an action of the user's is about to go.
export function connect(given) {
  handlers = given;
  socket = io({ transports: ["websocket", "polling"], tryAllTransports: true });
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
