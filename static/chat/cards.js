/* Information for the person: the cards of docs/protocol.md (`card`), in the person's language, which can
   differ from the worker's. Each can be shown full screen to hand the phone over. The person's language is
   kept in memory only, never in browser storage. Loaded after the first question (main.js), which hands it
   the page's helpers and the connection. It imports nothing: esbuild bundles it on its own (Makefile), so an
   import of page.js or connection.js would be a copy of it, with a state of its own. */

const IDS = ["what-is-the-nrm", "consent", "privacy", "what-happens-next", "emergency"];

export function setUpCards({ $, t, el, bcp, LANG }, { emit, connected }) {
  const opener = $("cards-open"), sheet = $("cards"), view = $("card-view"), choose = $("person-language");
  if (!opener || !sheet || !view || !choose || typeof sheet.showModal !== "function") return;
  const PAGE = { lang: document.documentElement.lang, dir: document.documentElement.dir };
  const list = $("card-list"), status = $("cards-status"), content = $("card-content");
  const cache = new Map(); // language + "\n" + card id -> card
  let person = LANG, seq = 0;

  function fetchCard(id, language) {
    const key = language + "\n" + id;
    if (cache.has(key)) return Promise.resolve(cache.get(key));
    return new Promise((resolve, reject) => {
      if (!connected()) return reject(new Error("offline"));
      emit("card", { card: id, language }, (err, res) => {
        if (err || !res || !res.ok || !res.card) return reject(err || new Error((res && res.error && res.error.code) || "card"));
        cache.set(key, res.card);
        resolve(res.card);
      });
    });
  }

  // A script a device may lack (Ethiopic, Bengali, ...): link its font's stylesheet once, only when such a card is
  // shown, and wait (2 s at most) for its faces before the card's text is laid out: Chromium goes on drawing as
  // empty boxes the bold text it laid out while the bold face was still loading.
  const fonts = new Map(); // stylesheet URL -> promise of its faces loaded (or given up on)
  function linkFont(card) {
    if (!card.font) return Promise.resolve();
    if (!fonts.has(card.font)) {
      const link = el("link", { rel: "stylesheet", href: card.font });
      const linked = new Promise((resolve) => { link.onload = link.onerror = resolve; });
      document.head.append(link);
      const faces = linked.then(() => Promise.all([...document.fonts]
        .filter((face) => face.family.replace(/"/g, "").startsWith("NRM ") && face.status === "unloaded")
        .map((face) => face.load().catch(() => null))));
      fonts.set(card.font, Promise.race([faces, new Promise((resolve) => setTimeout(resolve, 2000))]));
    }
    return fonts.get(card.font);
  }

  // The direction and language of what the card says (its own, as the server gave it).
  const own = (card) => ({ lang: bcp(card.language || person), dir: card.dir === "rtl" ? "rtl" : "ltr" });

  function load() {
    const my = ++seq, language = person;
    list.setAttribute("aria-busy", "true");
    status.replaceChildren(t("loading"));
    Promise.all(IDS.map((id) => fetchCard(id, language))).then((cards) => Promise.all(cards.map(linkFont)).then(() => cards)).then((cards) => {
      if (my !== seq) return;
      list.removeAttribute("aria-busy");
      status.replaceChildren();
      // Each item reads in the person's direction; its button is in the worker's language.
      list.replaceChildren(...cards.map((card) => el("li", { class: "card-item", "data-card": card.id, ...own(card) },
        el("h3", { class: "card-item-title" }, card.title),
        el("button", { type: "button", class: "button secondary card-show", "aria-haspopup": "dialog", ...PAGE, onclick: () => show(card.id) },
          t("show_card"), el("span", { class: "vh", ...own(card) }, " " + card.title)))));
    }, () => {
      if (my !== seq) return;
      list.removeAttribute("aria-busy");
      status.replaceChildren(el("span", { class: "cards-error", text: t("failed") }), " ",
        el("button", { type: "button", class: "link-button", onclick: load }, t("try_again")));
    });
  }

  // "Call {number}", with the number kept left to right inside a sentence in any direction.
  function callLabel(phone, said) {
    const [before, after = ""] = (said || t("call")).split("{number}");
    return [before, el("bdi", { dir: "ltr", class: "tel-number" }, phone), after].filter(Boolean);
  }

  // Always in the language chosen now, even if the list still shows the one before.
  const show = (id) => fetchCard(id, person).then((card) => linkFont(card).then(() => open(card)), load);

  function open(card) {
    const title = el("h2", { class: "card-title", id: "card-view-title", tabindex: "-1" }, card.title);
    // The person holds the phone: the card's buttons (Close, Quick exit, Call) are in its language when the
    // server gave them (controls), else in the worker's (the page's strings).
    const said = card.controls || {}, mine = said.close ? own(card) : PAGE;
    const contacts = Array.isArray(card.contacts) && card.contacts.length ? el("ul", { class: "contacts", "aria-label": said.phone || t("phone") },
      ...card.contacts.map((c) => el("li", { class: "contact", "data-nation": c.nation },
        el("p", { class: "contact-name" }, c.name),
        el("a", { class: "tel", href: "tel:" + String(c.phone).replace(/[^\d+]/g, ""), ...mine }, ...callLabel(c.phone, said.call))))) : null;
    const bar = view.querySelector(".card-view-bar"), exit = bar.querySelector(".quick-exit");
    Object.assign(bar, mine);
    $("card-view-close").textContent = said.close || t("close_card");
    if (said.quick_exit) exit.replaceChildren(said.quick_exit, el("span", { class: "vh" }, " " + said.quick_exit_hint));
    // A draft translation says so under the title: in the card's language when the server gave the notice
    // (draft_notice), else in the worker's (the page's strings).
    content.replaceChildren(...[title,
      card.draft && el("p", { class: "card-draft", ...(card.draft_notice ? {} : PAGE), text: card.draft_notice || t("draft") }),
      ...(card.paragraphs || []).map((p) => el("p", { class: "card-text" }, p)),
      contacts].filter(Boolean));
    Object.assign(content, own(card));
    content.dataset.card = card.id;
    if (!view.open) view.showModal();
    title.focus();
    content.scrollTop = 0;
    view.scrollTop = 0;
  }

  opener.hidden = false;
  // A question's link to the card it relies on (prompts.js draws it hidden until this runs).
  document.body.classList.add("has-cards");
  for (const link of document.querySelectorAll("[data-card-link]")) link.hidden = false;
  document.addEventListener("click", (e) => {
    const link = e.target.closest && e.target.closest("[data-card-link]");
    if (link) show(link.dataset.cardLink);
  });
  opener.addEventListener("click", () => {
    if (!sheet.open) sheet.showModal();
    $("cards-title").focus();
    load(); // fresh titles if the connection came back; from memory when already fetched
  });
  $("cards-close").addEventListener("click", () => sheet.close());
  $("card-view-close").addEventListener("click", () => view.close());
  choose.value = person;
  choose.closest(".field").hidden = choose.options.length < 2;
  choose.addEventListener("change", () => {
    person = choose.value;
    load();
  });
}
