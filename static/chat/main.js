/* The chat's entry point: what a turn shows, starting and losing a referral, and the page's wiring (quick
   exit, the language switcher, the cards, loaded last); then connect, and resume, take over the first question the
   server drew, or start a new referral. Contract with the server: docs/protocol.md. The page loads it as
   static/bundle/main.js: with what it imports and the Socket.IO client, bundled and minified by esbuild (make). */
import { $, t, el, bcp, FLOW, LANG, state } from "./page.js";
import { clear, closeConnection, connect, connected, emit, enqueue, forget, opened, ready, refresh, switchLanguage } from "./connection.js";
import { clearError, notice, setProgress, setTranscript, cut, drawTranscript, showPrompt, redrawPrompt, adoptable, adopt, learnTexts } from "./prompts.js";
import { showReview, showReceipt } from "./review.js";

// relabelled: the worker's language changed, so the question is drawn again in it, keeping what was typed.
function render(turn, err, relabelled) {
  const lead = (state.switchNote ? state.switchNote + " " : "") + setProgress(turn.progress);
  state.switchNote = "";
  if (turn.submitted) showReceipt(turn.submitted, () => newReferral(false));
  else if (turn.review) showReview(turn.review, err, lead);
  else if (turn.prompt) (relabelled ? redrawPrompt : showPrompt)(turn.prompt, err, lead);
}

// An action acknowledged (item: what was sent, with `entry`, the transcript line of an answer).
function acknowledged(turn, item) {
  learnTexts(turn);
  if (Array.isArray(turn.transcript)) setTranscript(turn.transcript);
  const p = turn.prompt, e = item.entry;
  if (turn.ok && e) { state.said[e.question_id] = e.answer; cut(e.question_id); state.transcript.push(e); }
  if (turn.ok && item.event === "back" && p && !state.transcript.some((x) => x.question_id === p.question_id)) state.transcript.pop();
  if (turn.ok && item.event === "change") { state.changing = true; state.changed = item.payload.question_id; }
  const err = turn.ok ? null : turn.error || {};
  if (!p && !turn.review && !turn.submitted) {
    return notice((err && err.message) || t("failed"), item.event === "start" ? t("try_again") : null, () => newReferral(false));
  }
  render(turn, err, item.event === "language");
  if (turn.review || turn.submitted) state.changing = false;
  // after a change the server may jump over answered questions: fetch the path as it now is
  else if (state.changing && e && turn.ok) refresh();
}
function resumed(turn) {
  learnTexts(turn);
  if (Array.isArray(turn.transcript)) setTranscript(turn.transcript);
  render(turn, null);
}

function lost() {
  forget();
  state.switchNote = "";
  clear(); state.ready = true; state.current = state.form = null;
  state.transcript = []; drawTranscript(false);
  $("turn").replaceChildren();
  notice(t("lost"), t("new"), () => newReferral(false));
}
// A new referral whose first question the server drew into the page. The page's request opened it: the first
// connection sends the answer at once, with no `start` or `resume` before it. A page without one (an older
// server) sends `start` in the background, first in the queue, so an answer given before it is acknowledged
// follows it, once (connection.js's busy()).
function begin(first, submitted) {
  if (first.conversation_id && first.resume_token) opened(first);
  ready();
  if (!state.conv) enqueue("start", { flow: FLOW, language: LANG }, { quiet: true });
  adopt(first, submitted);
}
function newReferral(ask) {
  if (ask && state.conv && state.current && !state.current.submitted && !window.confirm(t("new_confirm"))) return;
  forget();
  clear(); state.current = state.form = state.widget = state.lastSection = state.changed = null; state.changing = false;
  state.transcript = []; state.said = {}; state.labels = {};
  drawTranscript(false);
  $("new-referral").hidden = false;
  $("progress-text").textContent = "";
  $("turn").replaceChildren(el("p", { class: "loading", text: t("loading") }));
  ready();
  enqueue("start", { flow: FLOW, language: LANG });
}

// ---- wiring ----
const signOut = $("sign-out");
if (signOut) signOut.addEventListener("submit", () => forget()); // the response also clears site data
// Quick exit: forget this device's link to the referral, end the session (a sign-out sent in the
// background, with the form's token; nothing waits for it), and leave without a history entry, so
// that Back shows the sign-in page, not a signed-in one.
const quickExit = (e) => {
  e.preventDefault();
  forget();
  try { if (signOut) navigator.sendBeacon(signOut.action, new FormData(signOut)); } catch { /* no beacon: the session times out */ }
  try { closeConnection(); } catch { /* no socket yet */ }
  document.title = "";
  document.body.replaceChildren();
  location.replace("https://www.bbc.co.uk/weather");
};
for (const a of document.querySelectorAll(".quick-exit")) a.addEventListener("click", quickExit);

const root = document.documentElement;
$("new-referral").addEventListener("click", () => newReferral(true));
const picker = $("ui-language");
if (picker) {
  picker.value = LANG; // not a value the browser kept from before a reload
  picker.addEventListener("change", () => switchLanguage(picker.value));
}
connect({ turn: acknowledged, resumed, lost, sending: clearError });
// The cards are not needed for the first question: asked for once the chat runs, off the first load's path
// (a chunk of the bundle of its own, handed the page's helpers and the connection).
import("./cards.js").then((cards) => cards.setUpCards({ $, t, el, bcp, LANG }, { emit, connected }), () => { /* no cards: their button stays hidden */ });

// Continue pressed before the scripts arrived: chat.html's inline script held it, and marked the form.
root.dataset.chat = "ready"; // from now on that script leaves submits to this one (tests wait for it too)
const first = !state.conv && adoptable();
if (state.conv && $("before-start")) $("before-start").hidden = true; // until the resumed turn says where it stands
if (state.conv) $("turn").replaceChildren(el("p", { class: "loading", text: t("loading") }));
else if (first) begin(first, first.form.dataset.early === "submitted");
else newReferral(false);
root.classList.remove("resuming");
