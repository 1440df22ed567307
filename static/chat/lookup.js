/* The type-ahead of a question or a group's field over one of the long lists (docs/protocol.md, `lookup`). */
import { t, el, LANG, state } from "./page.js";
import { emit, connected } from "./connection.js";

// A type-ahead over a long list (ARIA 1.2 combobox with a listbox); with `repeat`, up to N chips.
// In a group, `id` names its elements apart from the other fields'; `onError(message)` shows its error (at the
// question, or at the field) and returns what the caller returns for a refusal.
export function lookup(p, { id = "", onError }) {
  const ids = id ? { input: id, list: id + "-list", opt: id + "-opt-", hint: id + "-lookup-hint" }
    : { input: "answer", list: "q-list", opt: "q-opt-", hint: "q-lookup-hint" };
  const max = p.repeat ? Math.max(1, Number(p.repeat) || 1) : 0; // 0: a single value
  const key = (v) => p.lookup + "\n" + v;
  // A name typed as written, for a place not on the list (the prompt's free_text): {free_text: "..."}.
  const typedName = (v) => (v && typeof v === "object" && typeof v.free_text === "string" ? v.free_text : null);
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const shownAs = (m) => (typedName(m.value) == null ? m.label : t("as_written", { name: m.label }));
  const prev = p.previous == null || p.previous === "" ? [] : [].concat(p.previous);
  const old = typeof state.said[p.question_id] === "string" ? state.said[p.question_id] : "", parts = old.split(", ");
  // The server names the previous values (previous_options, in the same order): they may never have been seen
  // on this page (an answer offered from the account, or a reload).
  const named = p.previous_options || [];
  const given = prev.map((v, i) => ({ value: v, label: typedName(v) ?? ((named[i] && same(named[i].value, v) && named[i].label)
    || state.labels[key(v)] || (!max ? old : parts.length === prev.length ? parts[i] : "") || String(v)) }));
  // The previous answer shows once: as chips with `repeat`; for a single value, in the text box alone
  // (emptying it clears the answer).
  const chosen = max ? given : [];
  let selected = max ? null : given[0] || null, matches = [], active = -1, seq = 0, tm = 0;

  const input = el("input", { id: ids.input, class: "input", type: "text", role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false",
    "aria-controls": ids.list, autocomplete: "off", autocapitalize: "none", spellcheck: "false", "data-describe": id ? null : ids.hint, dir: "auto" });
  if (selected) input.value = selected.label;
  const lb = el("ul", { id: ids.list, class: "listbox", role: "listbox", "aria-label": p.text, hidden: true });
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
  const exact = (s) => matches.find((m) => !m.free && String(m.label).toLowerCase() === s.toLowerCase());
  function move(d) {
    if (!matches.length) return;
    lb.hidden = false;
    input.setAttribute("aria-expanded", "true");
    active = active < 0 ? (d > 0 ? 0 : matches.length - 1) : (active + d + matches.length) % matches.length;
    [...lb.children].forEach((li, i) => li.setAttribute("aria-selected", i === active));
    input.setAttribute("aria-activedescendant", ids.opt + active);
    lb.children[active].scrollIntoView({ block: "nearest" });
  }
  function drawChips() {
    chips.replaceChildren(...chosen.map((c) => el("li", { class: "chip" }, el("span", { class: "chip-label", dir: "auto", text: shownAs(c) }),
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
    if (!m.free) state.labels[key(m.value)] = m.label;
    matches = [];
    close();
    if (!max) { selected = m; input.value = m.label; return; }
    if (chosen.length < max && !chosen.some((c) => same(c.value, m.value))) chosen.push({ value: m.value, label: m.label });
    input.value = "";
    drawChips();
    say(t("added", { label: shownAs(m) }));
    if (input.readOnly) state.form.querySelector("[type=submit]").focus();
  }
  function search(q) {
    const my = ++seq;
    if (!connected()) { matches = []; close(); return say(t("search_offline"), true); }
    emit("lookup", { list: p.lookup, query: q, language: LANG }, (err, res) => {
      if (my !== seq || !input.isConnected) return;
      if (err || !res || !res.ok) { matches = []; close(); return say(t("search_failed"), true); }
      matches = (Array.isArray(res.matches) ? res.matches : []).filter((m) => !chosen.some((c) => max && same(c.value, m.value)));
      for (const m of matches) state.labels[key(m.value)] = m.label;
      const found = matches.length;
      // Where the list may lack the place, its last option keeps the text as typed, marked as not on the list.
      if (p.free_text) matches.push({ free: true, value: { free_text: q }, label: q });
      lb.replaceChildren(...matches.map((m, i) => el("li", { id: ids.opt + i, role: "option", class: "option" + (m.free ? " option-free" : ""),
        "aria-selected": "false", onclick: () => pick(m) }, m.free ? t("not_listed", { text: q }) : String(m.label))));
      close();
      lb.hidden = !matches.length;
      input.setAttribute("aria-expanded", !!matches.length);
      // On a phone the keyboard takes the lower half: matches out of sight bring the box to the top.
      if (matches.length && lb.getBoundingClientRect().bottom > (visualViewport?.height ?? innerHeight)) input.scrollIntoView({ block: "start" });
      say(found ? t("results", { count: found }) : t(p.free_text ? "no_results_free" : "no_results"), !found);
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
    keep: () => ({ selected, chosen: chosen.slice() }),
    restore(k) { selected = k.selected; chosen.splice(0, chosen.length, ...k.chosen); drawChips(); },
    nodes: [el("p", { id: ids.hint, class: "hint", text: t("search_hint") }), chips, full, el("div", { class: "combo" }, input, lb), status],
    get() {
      const typed = input.value.trim(), m = typed && exact(typed);
      if (typed && !m && !(selected && typed === selected.label)) return onError(t(p.free_text ? "choose_or_keep" : "choose_from_list"));
      if (max) {
        if (m) pick(m);
        return [chosen.map((c) => c.value), chosen.length ? chosen.map(shownAs).join(", ") : null];
      }
      const v = typed ? m || selected : null;
      return v ? [v.value, shownAs(v)] : [null, null];
    },
  };
}
