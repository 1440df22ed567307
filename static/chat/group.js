/* A grouped question (docs/protocol.md, "Grouped questions"): one message with a labelled control for each field,
   answered in one turn. A field with `when` shows only while an earlier field has one of its values. Each field has
   its own hint and error, tied to its control with aria-describedby; the answer is an object keyed by field id.
   A field's error goes as soon as its answer changes: the worker is correcting it, and Continue checks it again. */
import { t, el, TITLE } from "./page.js";

// widgets: the type-ahead (`lookup`, lookup.js) and date boxes (`date`, prompts.js), each given an id for its elements; the
// type-ahead also where to show its error.
export function group(p, widgets) {
  const parts = (p.fields || []).map((f) => field(f, widgets));
  const byId = Object.fromEntries(parts.map((x) => [x.f.field_id, x]));
  const shown = (x) => {
    const when = x.f.when;
    if (!when) return true;
    const earlier = byId[when.field];
    if (!earlier || !shown(earlier)) return false;
    const given = [].concat(earlier.value() ?? []);
    return when.values.some((v) => given.includes(v));
  };
  // "Error:" leaves the page title with the last field's error.
  const settle = () => {
    if (document.title === t("error_prefix") + " " + TITLE && !parts.some((x) => x.hasError())) document.title = TITLE;
  };
  const update = () => {
    for (const x of parts) {
      x.wrap.hidden = !shown(x);
      if (x.wrap.hidden && x.hasError()) x.error(null); // no longer asked, so nothing to correct
    }
    settle();
  };
  const corrected = (e) => {
    const x = parts.find((y) => y.wrap.contains(e.target));
    if (x && x.hasError()) x.error(null);
    settle();
  };
  const wrap = el("div", { class: "group-fields", oninput: corrected, onchange: (e) => { corrected(e); update(); }, onclick: update },
    ...parts.map((x) => x.wrap));
  update();
  const visible = () => parts.filter((x) => !x.wrap.hidden);
  return {
    group: true,
    nodes: [wrap],
    get focus() { return (visible()[0] || parts[0]).focus; },
    get() {
      for (const x of parts) x.error(null);
      const value = {}, said = [];
      for (const x of visible()) {
        const r = x.get();
        if (!Array.isArray(r)) return null; // refused: the field showed its own error (a widget may return its focus)
        value[x.f.field_id] = r[0];
        if (r[1] != null && r[1] !== "") said.push(x.f.text + ": " + r[1]);
      }
      return [value, said.join("; ")];
    },
    // A language switch redraws the group: each type-ahead keeps its choice, and `when` fields follow the
    // answers put back.
    keep: () => Object.fromEntries(parts.filter((x) => x.keep).map((x) => [x.f.field_id, x.keep()])),
    restore(kept) {
      for (const [id, k] of Object.entries(kept)) if (byId[id] && byId[id].restore) byId[id].restore(k);
      update();
    },
    // [{field_id, message}] from the server: each shown at its field, the first focused.
    fieldErrors(errors) {
      for (const x of parts) x.error(null);
      const marked = errors.map((e) => byId[e.field_id] && byId[e.field_id].error(e.message)).filter(Boolean);
      if (marked.length) marked[0].focus();
    },
  };
}

// One field: its label (a legend for several inputs), hint, error and control.
function field(f, widgets) {
  const base = "f-" + f.field_id;
  const hint = f.hint && el("p", { id: base + "-hint", class: "hint", text: f.hint });
  const err = el("p", { id: base + "-error", class: "error-message", hidden: true });
  const x = { f, ...control(f, base, widgets, (msg) => x.error(msg)) };
  const several = x.several;
  const label = several ? el("legend", { class: "field-label", text: f.text })
    : f.kind === "info" ? el("p", { class: "field-label", text: f.text })
      : el("label", { class: "field-label", for: x.focus.id, text: f.text });
  const help = f.help && el("details", { class: "help" }, el("summary", {}, el("span", { text: t("why") })), el("p", { text: f.help }));
  const body = [label, hint, help, err, ...x.nodes];
  x.wrap = el("div", { class: "field", "data-field": f.field_id }, ...(several ? [el("fieldset", { class: "fieldset" }, ...body)] : body));
  const describe = () => {
    const ids = [hint && hint.id, ...(x.notes || []), !err.hidden && err.id].filter(Boolean).join(" ");
    for (const i of x.described) if (ids) i.setAttribute("aria-describedby", ids); else i.removeAttribute("aria-describedby");
  };
  x.error = (msg) => {
    err.hidden = !msg;
    err.replaceChildren(...(msg ? [el("span", { class: "vh", text: t("error_prefix") + " " }), msg] : []));
    x.wrap.classList.toggle("has-error", !!msg);
    // aria-invalid on the boxes a worker types in; not on radio buttons or checkboxes, where the error is the
    // whole set's and their description says it
    for (const i of x.described) {
      if (i.type === "radio" || i.type === "checkbox") continue;
      if (msg) i.setAttribute("aria-invalid", "true"); else i.removeAttribute("aria-invalid");
    }
    describe();
    return msg ? x.focus : null;
  };
  x.hasError = () => !err.hidden;
  describe();
  return x;
}

// The control of a field by its kind: nodes, the element to focus, value() for `when`, get() -> [value, text] or
// nothing when refused; `described`: the inputs its hint and error describe; `several`: inputs under a legend.
function control(f, base, widgets, onError) {
  const options = Array.isArray(f.options) ? f.options : [];
  if (f.kind === "info") {
    const seen = el("span", { id: base, tabindex: "-1" });
    return { nodes: [seen], focus: seen, described: [], value: () => null, get: () => ["seen", ""] };
  }
  if (f.kind === "select" && !options.length) {
    const w = widgets.lookup(f, { id: base, onError });
    return { ...w, described: [w.focus], notes: [base + "-lookup-hint"], value: () => null };
  }
  if (["choice", "multichoice", "select"].includes(f.kind)) {
    const several = f.kind === "multichoice" || !!f.repeat, prev = [].concat(f.previous ?? []);
    const boxes = options.map((o, i) => el("input", { type: several ? "checkbox" : "radio", class: "check-input", name: base,
      id: i ? base + "-" + i : base, value: o.value, checked: prev.includes(o.value) }));
    const chosen = () => options.filter((o, i) => boxes[i].checked);
    return {
      several: true, focus: boxes[0], described: boxes,
      nodes: [el("div", { class: "checks" }, ...options.map((o, i) => el("div", { class: "check" }, boxes[i],
        el("label", { for: boxes[i].id, class: "check-label", text: o.label }))))],
      value: () => (several ? chosen().map((o) => o.value) : (chosen()[0] || {}).value),
      get() {
        const c = chosen();
        if (several) return [c.map((o) => o.value), c.map((o) => o.label).join(", ")];
        return c.length ? [c[0].value, c[0].label] : [null, null];
      },
    };
  }
  if (f.kind === "date") {
    const { nodes, focus, inputs, get } = widgets.date(f, { id: base });
    return { several: true, nodes, focus, described: inputs, value: () => null, get };
  }
  const input = f.input || { attributes: {} };
  const box = f.kind === "textarea"
    ? el("textarea", { id: base, class: "input textarea", autocomplete: "off", dir: "auto", rows: "4", maxlength: f.max_length || null })
    : el("input", { id: base, class: "input" + (input.width ? " w-" + input.width : ""), autocomplete: "off", type: "text", dir: "auto", ...input.attributes });
  box.value = f.previous ?? "";
  return { nodes: [box], focus: box, described: [box], value: () => box.value, get: () => { const v = box.value.trim(); return [v, v]; } };
}
