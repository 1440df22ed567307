/* The worker's language switched in place, without reloading the page: the page's words in the new language
   come from /chat/labels and replace those on screen, and the conversation's turn, which the server gives again
   in that language, is redrawn by the entry point with what the worker had typed still in it (prompts.js,
   redrawPrompt). So nothing typed is lost, and nothing typed is kept anywhere but in the page. Loaded only when
   the worker switches, and handed what it uses of page.js by connection.js. It imports nothing: esbuild bundles it
   on its own (Makefile), so an import of page.js would be a copy of it, with a state of its own. */

// The parts of the page with words in them, matched one to one with the same parts of the page in the new language.
const WORDS = ["#before-start", ".skip-link", ".lang-label", ".service-name", ".quick-exit", "#history-title", "#new-referral", "#cards-open",
  ".account-links a", "#sign-out button", "#cards-title", ".sheet-body > .hint", "label[for=person-language]", "#cards-close",
  "#card-view-close", "#hand-over"];
const LABELLED = ["#turn", ".account-links"]; // their aria-label

// The page in language `code`, parsed (no script in it runs); rejects when it cannot be had (offline, signed out).
export async function fetchLabels(code) {
  const r = await fetch("/chat/labels?lang=" + encodeURIComponent(code), { credentials: "same-origin", cache: "no-store" });
  if (!r.ok || r.redirected) throw new Error("no labels");
  const doc = new DOMParser().parseFromString(await r.text(), "text/html");
  if (!doc.getElementById("ui-strings")) throw new Error("no labels");
  return doc;
}

// Put the page's words in language `code`, from `doc` (fetchLabels), keeping every element and its listeners.
export function relabel(page, code, doc) {
  const { $, t, setLanguage, LANGS, query, replaceQuery, state } = page;
  setLanguage(code, JSON.parse(doc.getElementById("ui-strings").textContent), doc.title);
  const root = document.documentElement;
  root.lang = doc.documentElement.lang;
  root.dir = doc.documentElement.dir;
  document.title = doc.title;
  for (const sel of WORDS) {
    const theirs = doc.querySelectorAll(sel);
    document.querySelectorAll(sel).forEach((mine, i) => {
      if (theirs[i]) mine.replaceChildren(...[...theirs[i].childNodes].map((n) => document.importNode(n, true)));
    });
  }
  for (const sel of LABELLED) {
    const mine = document.querySelector(sel), theirs = doc.querySelector(sel);
    if (mine && theirs) mine.setAttribute("aria-label", theirs.getAttribute("aria-label") || "");
  }
  const notice = doc.getElementById("draft-notice"), mine = $("draft-notice");
  if (mine) mine.remove();
  if (notice) $("main").prepend(document.importNode(notice, true));
  $("main").dataset.language = code;
  const status = $("status");
  status.textContent = t(status.dataset.state);
  query.set("lang", code); // a reload stays in this language (the code says nothing about the person)
  replaceQuery();
  const me = LANGS.find((l) => l.code === code);
  state.switchNote = t("switched", { language: me ? me.name : code });
}
