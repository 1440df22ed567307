/* What the page gives every module: its strings and languages, small DOM helpers, and the state of the
   conversation on screen. Contract with the server: docs/protocol.md. Answers live here, in memory only. */

export const $ = (id) => document.getElementById(id);
let S = JSON.parse($("ui-strings").textContent);
export const FLOW = $("main").dataset.flow || "nrm";
// The worker's language, its page title and strings: they change when the worker switches language (language.js).
export let LANG = $("main").dataset.language || "en", TITLE = document.title;
export const t = (k, v) => String(S[k] ?? k).replace(/\{(\w+)\}/g, (m, n) => (v && n in v ? v[n] : m));
export const bcp = (code) => String(code).replace(/_/g, "-"); // "zh_Hans" -> "zh-Hans", for lang= and Intl
export let BCP = bcp(LANG);
export function setLanguage(code, strings, title) {
  LANG = code; BCP = bcp(code); S = strings; TITLE = title;
}
// [{code, name, english_name, dir, draft}] offered, English first
export const LANGS = (() => { try { return JSON.parse($("languages").textContent) || []; } catch { return []; } })();
export const offered = (code) => LANGS.some((l) => l.code === code);

// What the modules share and change.
export const state = {
  conv: null,        // {conversation_id, resume_token}, as kept in browser storage
  switchNote: "",    // said once, after a switch of language reloaded the page
  current: null,     // {prompt} | {review} | {submitted}
  transcript: [],    // [{question_id, question, answer}] on the path before the current question
  said: {},          // question_id -> display text of its answer (labels for `previous`)
  labels: {},        // list + "\n" + value -> label seen in lookups
  texts: {},         // question or field id -> its text as last given: a lean review leaves out those known
  inflight: null, ready: false, changing: false,
  changed: null,     // the question_id whose Change was pressed: the review comes back to its row
  form: null, widget: null, lastSection: null,
};

// The page's language is the one in ?lang= when there is one (the worker chose it): the conversation
// follows the page. Without it (the browser's preference), the page follows the conversation.
export const query = new URLSearchParams(location.search), EXPLICIT = query.has("lang");
export const replaceQuery = () => history.replaceState(history.state, "", location.pathname + (String(query) ? "?" + query : "") + location.hash);
if (query.has("switched")) {
  const me = LANGS.find((l) => l.code === LANG);
  state.switchNote = t("switched", { language: me ? me.name : LANG });
  query.delete("switched");
  replaceQuery();
}

export function el(tag, attrs, ...kids) {
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
// A fresh random id for each action (its client_msg_id): 96 random bits in 16 base64url characters, sent with
// every event, where a UUID's 36 characters of random hex would not compress.
export const randomId = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(12)))).replace(/\+/g, "-").replace(/\//g, "_");
