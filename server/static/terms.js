/* The search page's "Translated as" panel: the renderings of a word or short phrase in another language
   (api/terms), with counts and an example pair, switched among the translation languages the reader reads.
   Loaded after widget.js (whose shared helpers it uses) and before page.js, which drives it through
   TandemPage.terms.panel(). */
(function () {
  "use strict";

  var shared = window.TandemWidget;
  var el = shared.el;
  var clear = shared.clear;
  var langTag = shared.langTag;
  var langName = shared.langName;
  var LANG_TAG = shared.langTags;
  var API = "api/terms";
  var LIMIT = 5;

  // A word or short phrase, without operators, quotes, prefixes or fields: what /api/terms takes.
  function isTerm(q) {
    if (!q || q.length > 60 || /["()*:]/.test(q)) return false;
    var words = q.split(/\s+/);
    return words.length <= 4 && !words.some(function (w) { return /^(AND|OR|NOT)$|^-/.test(w); });
  }

  function num(v) { return typeof v === "number" && isFinite(v) ? v : null; }

  // A relation as the API gives it ({type, label} or a label): a note to show, or null for the same document.
  function relationNote(rel) {
    return typeof rel === "string" && rel ? rel : shared.relationLabel(rel);
  }

  // One rendering in either shape: {text, count, share, examples: [{id, text, translation: {id, text}}]}, or
  // the earlier {text, pairs, dice, example: {lang: paragraph id}} whose example texts are fetched when opened.
  function readRendering(r, lang, target, seen) {
    var count = num(r.count) !== null ? r.count : num(r.pairs);
    var share = num(r.share) !== null ? r.share : (count !== null && seen ? count / seen : null);
    var ex = Array.isArray(r.examples) && r.examples[0] && typeof r.examples[0] === "object" ? r.examples[0] : null;
    var example = null;
    if (ex) {
      var tr = ex.translation && typeof ex.translation === "object" ? ex.translation : {};
      example = { id: ex.id, text: ex.text, targetId: tr.id, translation: tr.text, note: relationNote(ex.relation || tr.relation) };
    } else if (r.example && typeof r.example === "object") {
      example = { id: r.example[lang], targetId: r.example[target] };
    }
    return { text: String(r.text), count: count, share: share !== null && share >= 0 && share <= 1 ? share : null,
             example: example, note: relationNote(r.relation), split: relationSplit(r.by_relation) };
  }

  // A rendering's pairs by relation, said when both kinds of translation hold it: "27 same document, 18
  // another year's version"; else null (the note, or nothing, says which).
  function relationSplit(by) {
    if (!by || typeof by !== "object") return null;
    var same = by.same && num(by.same.count), other = by.other_year && num(by.other_year.count);
    if (!same || !other) return null;
    return same + " same document, " + other + " another year's version";
  }

  // The translation language last chosen in the panel, remembered in this browser.
  var CHOICE_KEY = "tandem.termsTarget";
  function remembered() {
    try { return window.localStorage.getItem(CHOICE_KEY); } catch (e) { return null; }
  }
  function remember(code) {
    try { window.localStorage.setItem(CHOICE_KEY, code); } catch (e) { /* private mode: chosen for this page only */ }
  }

  // The panel in parts.section, filled in parts.about, parts.choice (the translation languages to switch among)
  // and parts.list; parts.link(text, lang, attrs) is the page's link that searches text in lang.
  // Answers {show(q, lang, targets), hide()}.
  function panel(parts) {
    var current = { key: "", seq: 0, controller: null, q: "", lang: "", targets: null };

    function hide() {
      if (current.controller) current.controller.abort();
      current.controller = null;
      current.key = "";
      current.seq++;
      clear(parts.list);
      clear(parts.about);
      if (parts.choice) { clear(parts.choice); parts.choice.hidden = true; }
      parts.section.hidden = true;
      parts.section.removeAttribute("aria-busy");
    }

    // The renderings of q (of lang, or "auto") in one of `targets`, the translation languages the reader reads:
    // the one last chosen, else the first. Without targets (one other language indexed), the API's choice.
    function show(q, lang, targets) {
      var list = Array.isArray(targets) ? targets.filter(function (c) { return c !== lang; }) : null;
      var key = isTerm(q) ? lang + ":" + q + (list ? ">" + list.join(",") : "") : "";
      if (key && key === current.key) return;  // same query on another page or filter: the panel stays
      hide();
      if (!key) return;
      current.key = key;
      current.q = q;
      current.lang = lang;
      current.targets = list && list.length ? list : null;
      var mine = current.seq;
      // an "auto" language is known from the answer only: asked first without a target (the API's choice is
      // kept when it is the one wanted), as a target equal to the term's own language is refused
      var first = current.targets && lang !== "auto" ? preferred(current.targets) : null;
      ask(lang, first).then(function (data) {
        if (mine !== current.seq) return;
        var choices = choicesFor(data.lang);
        var want = choices ? preferred(choices) : null;
        if (!want || want === data.target) { render(data, choices, false); return; }
        ask(data.lang, want).then(function (again) {
          if (mine === current.seq) render(again, choices, false);
        }, failed(mine));
      }, failed(mine));
    }

    function choicesFor(lang) {
      var list = current.targets ? current.targets.filter(function (c) { return c !== lang; }) : [];
      return list.length ? list : null;
    }

    function preferred(list) {
      var last = remembered();
      return list.indexOf(last) >= 0 ? last : list[0];
    }

    function failed(mine) {
      return function () { if (mine === current.seq) hide(); };  // the panel is an extra: without it the page is whole
    }

    // api/terms for the current query in lang, into target (null: the API's choice); a later ask aborts it.
    function ask(lang, target) {
      if (current.controller) current.controller.abort();
      current.controller = typeof AbortController === "function" ? new AbortController() : null;
      var params = new URLSearchParams({ q: current.q, lang: lang, limit: String(LIMIT) });
      if (target) params.set("target", target);
      return shared.getJSON(API + "?" + params.toString(), {
        headers: { Accept: "application/json" }, credentials: "same-origin",
        signal: current.controller ? current.controller.signal : undefined
      });
    }

    // The reader chose another translation language: remembered, and its renderings asked for.
    function switchTo(code, lang, choices) {
      remember(code);
      var mine = ++current.seq;
      parts.section.setAttribute("aria-busy", "true");
      ask(lang, code).then(function (data) {
        if (mine === current.seq) render(data, choices, true);
      }, failed(mine));
    }

    // A first answer without renderings hides the panel; one the reader switched to says so, beside the choice.
    function render(data, choices, switched) {
      var q = current.q;
      parts.section.removeAttribute("aria-busy");
      var list = Array.isArray(data.renderings) ? data.renderings.filter(function (r) {
        return r && typeof r === "object" && typeof r.text === "string" && r.text.trim();
      }) : [];
      if (!list.length && !switched) { hide(); return; }
      var lang = LANG_TAG[data.lang] ? data.lang : null;
      var target = LANG_TAG[data.target] ? data.target : lang && Object.keys(LANG_TAG).filter(function (c) { return c !== lang; })[0];
      if (!lang || !target) { hide(); return; }
      var seen = num(data.pairs_seen) !== null ? data.pairs_seen : num(data.aligned);
      clear(parts.about);
      parts.about.appendChild(el("q", { lang: langTag(lang), text: data.query || data.term || q }));
      parts.about.appendChild(document.createTextNode(" in "));
      parts.about.appendChild(el("span", { lang: langTag(target), text: langName(target) }));
      if (seen) parts.about.appendChild(document.createTextNode(", from " + seen.toLocaleString("en") + " aligned " + (seen === 1 ? "pair" : "pairs")));
      renderChoice(choices && choices.indexOf(target) >= 0 ? choices : null, target, lang);
      clear(parts.list);
      if (!list.length) parts.list.appendChild(el("li", { "class": "none", text: "No rendering found in " + langName(target) + "." }));
      list.slice(0, LIMIT).forEach(function (raw) {
        parts.list.appendChild(renderRendering(readRendering(raw, lang, target, seen), lang, target, q));
      });
      parts.section.hidden = false;
    }

    // One button per translation language the reader reads, the one shown pressed; none for a single one.
    function renderChoice(choices, target, lang) {
      if (!parts.choice) return;
      clear(parts.choice);
      parts.choice.hidden = !choices || choices.length < 2;
      if (parts.choice.hidden) return;
      choices.forEach(function (code) {
        var button = el("button", { type: "button", lang: langTag(code), "aria-pressed": String(code === target),
                                    title: "The renderings in " + langName(code), text: langName(code) });
        button.addEventListener("click", function () { if (code !== target) switchTo(code, lang, choices); });
        parts.choice.appendChild(button);
      });
    }

    function renderRendering(r, lang, target, q) {
      var figures = [r.count !== null ? r.count + (r.count === 1 ? " pair" : " pairs") : null,
                     r.share !== null ? Math.round(r.share * 100) + "%" : null].filter(Boolean).join(" · ");
      var bar = null;
      if (r.share !== null) {
        bar = el("span", { "class": "share", "aria-hidden": "true" }, [el("span")]);
        bar.firstChild.style.width = (r.share * 100).toFixed(1) + "%";  // CSSOM: allowed by the CSP
      }
      return el("li", { "class": "rendering", "data-text": r.text }, [
        el("div", { "class": "rendering-head" }, [
          parts.link(r.text, target, { "class": "term", lang: langTag(target), title: "Search " + r.text + " in " + langName(target) }),
          el("span", { "class": "measure" }, [bar, figures ? el("span", { "class": "figures", text: figures }) : null])
        ]),
        r.note ? el("p", { "class": "relation", role: "note", text: "⚠ " + r.note }) : null,
        r.split ? el("p", { "class": "by-relation", text: r.split }) : null,
        r.example ? renderExample(r, lang, target, q) : null
      ]);
    }

    return { show: show, hide: hide };
  }

  // The example pair, folded away: given with the rendering, or fetched (one paragraph) when first opened.
  function renderExample(r, lang, target, q) {
    var ex = r.example;
    var body = el("div", { "class": "example-pair" });
    var details = el("details", { "class": "example" }, [el("summary", { text: "Example" }), body]);
    function fill(source, translation, note) {
      clear(body);
      if (note) body.appendChild(el("p", { "class": "relation", role: "note", text: "⚠ " + note }));
      body.appendChild(el("p", { "class": "source-text", lang: langTag(lang) }, [marked(source, q)]));
      body.appendChild(el("p", { "class": "target-text", lang: langTag(target) }, [marked(translation, r.text)]));
    }
    if (typeof ex.text === "string" && typeof ex.translation === "string") {
      fill(ex.text, ex.translation, ex.note);
    } else if (typeof ex.id === "string" && /^[\w-][\w.-]*$/.test(ex.id)) {
      details.addEventListener("toggle", function load() {
        details.removeEventListener("toggle", load);
        body.appendChild(el("p", { "class": "none", text: "Loading…" }));
        shared.getJSON("api/paragraphs/" + encodeURIComponent(ex.id), { headers: { Accept: "application/json" } })
          .then(function (p) {
            var trs = Array.isArray(p.translations) ? p.translations : [];
            var tr = trs.filter(function (t) { return t && (t.id === ex.targetId || (t.ids || []).indexOf(ex.targetId) >= 0); })[0] ||
                     trs.filter(function (t) { return t && t.lang === target; })[0];
            if (!tr) throw new Error("no translation");
            fill(String(p.text || ""), String(tr.text || ""), relationNote(tr.relation));
          }).catch(function () {
            clear(body);
            body.appendChild(el("p", { "class": "none", text: "The example could not be loaded." }));
          });
      });
    } else {
      return null;
    }
    return details;
  }

  // Text with each occurrence of `needle` marked, ignoring case and accents; built from text nodes only.
  function marked(text, needle) {
    var out = document.createDocumentFragment();
    var folded = "", at = [];  // folded text, and where each folded character came from
    for (var i = 0; i < text.length; i++) {
      var f = text[i].normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
      for (var j = 0; j < f.length; j++) { folded += f[j]; at.push(i); }
    }
    at.push(text.length);
    var key = String(needle || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    var last = 0, from = 0, hit;
    while (key && (hit = folded.indexOf(key, from)) >= 0) {
      var start = at[hit], end = at[hit + key.length];
      if (start > last) out.appendChild(document.createTextNode(text.slice(last, start)));
      out.appendChild(el("mark", { text: text.slice(start, end) }));
      last = end;
      from = hit + key.length;
    }
    if (last < text.length) out.appendChild(document.createTextNode(text.slice(last)));
    return out;
  }

  window.TandemPage = window.TandemPage || {};
  window.TandemPage.terms = { panel: panel };
})();
