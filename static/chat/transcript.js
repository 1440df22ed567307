/* The answers given so far, above the current question. */
import { $, t, el, state } from "./page.js";

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
}
