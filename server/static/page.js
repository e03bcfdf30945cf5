/* The search page: state in the URL, results rendered as text (served as a file: the page's CSP allows
   no inline script). */
(function () {
  "use strict";

  // Every URL here is relative, so the page works under any path prefix behind a reverse proxy.
  // Reached as /prefix (no trailing slash), relative URLs would resolve against the parent folder:
  // switch the address to /prefix/ first (same document, no reload).
  if (!/\/$/.test(location.pathname) && !/\.[^\/]*$/.test(location.pathname)) {
    history.replaceState(null, "", location.pathname + "/" + location.search + location.hash);
  }
  // Shared with the widget (widget.js, loaded first as a library): the API call, its error text, and
  // the highlight rebuilt from text and <mark> elements only, so nothing else can ever reach the page.
  var shared = window.TandemWidget;
  var API = "api/search";
  var TERMS_API = "api/terms";
  var TERMS_LIMIT = 5;
  var LIMIT = 10;
  var PARAMS = ["q", "lang", "kind", "year", "symbol", "sort", "offset"];
  var DEFAULTS = { q: "", lang: "auto", kind: "", year: "", symbol: "", sort: "relevance", offset: 0 };
  var LANG_TAG = { fr: "fr", zh: "zh-Hans" };
  var LANG_NAME = { fr: "Français", zh: "中文" };
  var KIND_NAME = { title: "Title", preambular: "Preambular", operative: "Operative", footnote: "Footnote", other: "Other" };
  var FACET_NAME = { year: "Year", kind: "Paragraph kind", symbol: "Document" };

  var $ = function (id) { return document.getElementById(id); };
  var form = $("search-form");
  var els = {
    q: $("q"), lang: $("lang"), kind: $("kind"), sort: $("sort"), year: $("year"), symbol: $("symbol"),
    summary: $("summary"), filters: $("active-filters"), suggestion: $("suggestion"),
    suggestionLink: $("suggestion-link"), error: $("error"), layout: $("layout"), facets: $("facets"),
    results: $("results"), intro: $("intro"), hits: $("hits"), pager: $("pager"),
    terms: $("terms"), termsAbout: $("terms-about"), renderings: $("renderings")
  };
  var controller = null;
  var sequence = 0;

  // ------------------------------------------------------------ state <-> URL

  function readState(search) {
    var p = new URLSearchParams(search);
    var s = {};
    PARAMS.forEach(function (k) { s[k] = p.has(k) ? p.get(k) : DEFAULTS[k]; });
    s.q = (s.q || "").trim();
    if (!LANG_TAG[s.lang]) s.lang = "auto";
    if (s.sort !== "date") s.sort = "relevance";
    var off = parseInt(s.offset, 10);
    s.offset = isFinite(off) && off > 0 ? off : 0;
    return s;
  }

  // Query string for a state: only non-default values, so URLs stay short and linkable.
  function queryString(s) {
    var p = new URLSearchParams();
    PARAMS.forEach(function (k) {
      var v = s[k];
      if (v !== undefined && v !== null && v !== "" && String(v) !== String(DEFAULTS[k])) p.set(k, String(v));
    });
    return "?" + p.toString();
  }

  function with_(s, changes) {
    var out = {};
    PARAMS.forEach(function (k) { out[k] = s[k]; });
    Object.keys(changes).forEach(function (k) { out[k] = changes[k]; });
    return out;
  }

  function syncForm(s) {
    els.q.value = s.q;
    els.lang.value = s.lang;
    els.kind.value = s.kind;
    if (els.kind.value !== s.kind) els.kind.value = "";   // kind given in the URL but not an option
    els.sort.value = s.sort;
    els.year.value = s.year;
    els.symbol.value = s.symbol;
  }

  function formState() {
    return readState(new URLSearchParams(new FormData(form)).toString());
  }

  var state = readState(location.search);

  function navigate(next, replace) {
    state = next;
    var url = queryString(next);
    if (url === "?") url = location.pathname;  // bare page, still relative to the current directory
    if (replace) history.replaceState(null, "", url);
    else history.pushState(null, "", url);
    run();
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var next = formState();
    next.offset = 0;
    if (!next.q) { els.q.focus(); return; }
    navigate(next);
  });

  // Changing a select re-runs the current query at once.
  ["lang", "kind", "sort"].forEach(function (k) {
    els[k].addEventListener("change", function () {
      if (!els.q.value.trim()) return;
      var next = formState();
      next.offset = 0;
      navigate(next);
    });
  });

  window.addEventListener("popstate", function () {
    state = readState(location.search);
    run();
  });

  // Links inside the page (facets, chips, pager, suggestion) carry a full relative query string:
  // they work opened in a new tab, and a plain click is handled without a reload.
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest ? ev.target.closest("a[data-nav]") : null;
    if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    ev.preventDefault();
    navigate(readState(a.getAttribute("href")));
    if (a.hasAttribute("data-top")) els.results.focus({ preventScroll: true });
    if (a.hasAttribute("data-top")) els.results.scrollIntoView({ block: "start" });
  });

  // ------------------------------------------------------------ DOM helpers (text only)

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === "text") node.textContent = String(v);
        else if (k === "class") node.className = v;
        else node.setAttribute(k, v === true ? "" : String(v));
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined || c === false) return;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  var clear = shared.clear;
  var highlighted = shared.highlighted;

  function navLink(s, text, attrs) {
    var a = el("a", attrs || {}, typeof text === "string" ? [text] : text);
    a.setAttribute("href", queryString(s));
    a.setAttribute("data-nav", "");
    return a;
  }

  function langTag(code) { return LANG_TAG[code] || code || null; }
  function langName(code) { return LANG_NAME[code] || code || "?"; }
  function docName(doc) { return (doc && (doc.symbol || doc.id)) || "untitled document"; }
  function kindName(k) { return KIND_NAME[k] || k; }

  // ------------------------------------------------------------ search

  function run() {
    syncForm(state);
    document.title = state.q ? state.q + " · tandem" : "tandem · French ⇄ Chinese search in UN documents";
    if (controller) controller.abort();
    controller = null;
    if (!state.q) { showIdle(); return; }
    runTerms(state);

    var params = new URLSearchParams();
    params.set("q", state.q);
    params.set("lang", state.lang);
    params.set("limit", String(LIMIT));
    params.set("offset", String(state.offset));
    ["kind", "year", "symbol"].forEach(function (k) { if (state[k]) params.set(k, state[k]); });
    if (state.sort !== "relevance") params.set("sort", state.sort);

    var mine = ++sequence;
    controller = typeof AbortController === "function" ? new AbortController() : null;
    els.results.setAttribute("aria-busy", "true");
    setSummary([el("span", { text: "Searching…" })]);

    shared.getJSON(API + "?" + params.toString(), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined
    }).then(function (data) {
      if (mine !== sequence) return;
      render(data);
    }).catch(function (e) {
      if (mine !== sequence || (e && e.name === "AbortError")) return;
      showError(shared.errorText(e), e && e.code);
    }).then(function () {
      if (mine === sequence) els.results.removeAttribute("aria-busy");
    });
  }

  function setSummary(children) {
    clear(els.summary);
    children.forEach(function (c) { els.summary.appendChild(c); });
  }

  function resetResults() {
    els.error.hidden = true;
    clear(els.error);
    els.suggestion.hidden = true;
    clear(els.hits);
    clear(els.pager);
    els.pager.hidden = true;
    clear(els.facets);
    els.facets.hidden = true;
    els.layout.classList.add("no-facets");
  }

  function showIdle() {
    hideTerms();
    resetResults();
    renderActiveFilters();
    setSummary([]);
    els.intro.hidden = false;
    els.results.removeAttribute("aria-busy");
  }

  function showError(message, code) {
    hideTerms();
    resetResults();
    renderActiveFilters();
    els.intro.hidden = true;
    setSummary([]);
    els.error.appendChild(el("strong", { text: "Search failed:" }));
    els.error.appendChild(el("span", { class: "message", text: message }));
    if (code) els.error.appendChild(el("span", { class: "code", text: " (" + code + ")" }));
    els.error.hidden = false;
  }

  function render(data) {
    resetResults();
    els.intro.hidden = true;
    var total = data.total || 0;
    var hits = data.hits || [];
    var offset = data.offset || 0;

    var summary = [];
    if (total) {
      summary.push(el("span", {}, [el("strong", { "class": "total", text: total.toLocaleString("en") }),
        total === 1 ? " paragraph matches " : " paragraphs match ", el("q", { text: data.query, lang: langTag(data.lang) })]));
    } else {
      summary.push(el("span", {}, ["No paragraph matches ", el("q", { text: data.query, lang: langTag(data.lang) })]));
    }
    summary.push(el("span", { text: "searched in " + langName(data.lang) }));
    if (typeof data.took_ms === "number") summary.push(el("span", { "class": "took", text: data.took_ms + " ms" }));
    setSummary(summary);

    if (data.suggestion) {
      els.suggestionLink.textContent = data.suggestion;
      els.suggestionLink.setAttribute("href", queryString(with_(state, { q: data.suggestion, offset: 0 })));
      els.suggestionLink.setAttribute("data-nav", "");
      els.suggestion.hidden = false;
    }

    renderActiveFilters();
    renderFacets(data.facets || {});
    hits.forEach(function (hit, i) { els.hits.appendChild(renderHit(hit, offset + i + 1)); });
    if (!hits.length) {
      var tips = total ? "This page is past the last result." : (state.year || state.kind || state.symbol)
        ? "Try removing a filter, or fewer words." : "Try fewer words, another spelling, or the other language.";
      els.hits.appendChild(el("li", { "class": "empty intro", text: tips }));
    }
    renderPager(total, offset, data.limit || LIMIT, hits.length);
  }

  function renderActiveFilters() {
    clear(els.filters);
    var any = false;
    ["year", "kind", "symbol"].forEach(function (k) {
      if (!state[k]) return;
      any = true;
      var change = {}; change[k] = ""; change.offset = 0;
      var value = k === "kind" ? kindName(state[k]) : state[k];
      els.filters.appendChild(el("li", {}, [navLink(with_(state, change),
        [FACET_NAME[k] + ": " + value + " ", el("span", { "class": "x", "aria-hidden": "true", text: "×" })],
        { "class": "chip", "aria-label": "Remove filter " + FACET_NAME[k] + " " + value })]));
    });
    els.filters.hidden = !any;
  }

  function renderFacets(facets) {
    var any = false;
    ["year", "kind", "symbol"].forEach(function (name) {
      var counts = facets[name];
      var keys = counts ? Object.keys(counts) : [];
      if (!keys.length) return;
      if (name === "year") keys.sort(function (a, b) { return Number(b) - Number(a); });
      any = true;
      var list = el("ul");
      keys.forEach(function (value) {
        var active = String(state[name]) === String(value);
        var change = { offset: 0 };
        change[name] = active ? "" : value;
        var label = name === "kind" ? kindName(value) : value;
        list.appendChild(el("li", {}, [navLink(with_(state, change), [
          el("span", { "class": "val", text: label }),
          el("span", { "class": "count", text: String(counts[value]) })
        ], { "aria-current": active ? "true" : null, "data-facet": name, "data-value": value,
             "title": active ? "Remove this filter" : "Only " + label })]));
      });
      var id = "facet-" + name;
      els.facets.appendChild(el("section", { "aria-labelledby": id }, [el("h2", { id: id, text: FACET_NAME[name] }), list]));
    });
    els.facets.hidden = !any;
    els.layout.classList.toggle("no-facets", !any);
  }

  function renderHit(hit, rank) {
    var doc = hit.document || {};
    var head = el("div", { "class": "hit-head" }, [
      el("span", { "class": "rank visually-hidden", text: "Result " + rank + ": " }),
      el("span", { "class": "symbol", text: docName(doc) }),
      doc.year ? el("span", { "class": "tag year", text: String(doc.date || doc.year) }) : null,
      hit.kind ? el("span", { "class": "tag kind", text: kindName(hit.kind) }) : null,
      hit.number ? el("span", { "class": "tag number", text: "¶ " + hit.number }) : null,
      typeof hit.score === "number" ? el("span", { "class": "score", text: "score " + hit.score.toFixed(2) }) : null,
      doc.title ? el("span", { "class": "doc-title", lang: langTag(doc.lang), text: doc.title }) : null
    ]);

    var source = el("div", { "class": "source", lang: langTag(hit.lang) }, [
      el("div", { "class": "col-label" }, [el("span", { lang: "en", text: langName(hit.lang) })]),
      el("p", { "class": "para highlight" }, [highlighted(hit.highlight)])
    ]);
    if (hit.notes && hit.notes.length) {
      source.appendChild(el("div", { "class": "notes", lang: "en", text: "Footnotes " + hit.notes.join(", ") }));
    }

    var translations = el("div", { "class": "translations", "aria-label": "Translations" });
    var list = hit.translations || [];
    if (!list.length) translations.appendChild(el("p", { "class": "none", text: "No aligned translation." }));
    list.forEach(function (tr) { translations.appendChild(renderTranslation(tr)); });

    return el("li", { "class": "hit", "data-id": hit.id, "data-symbol": doc.symbol || "" }, [
      head, el("div", { "class": "pair" }, [source, translations])
    ]);
  }

  function renderTranslation(tr) {
    var rel = tr.relation || { type: "same" };
    var tdoc = tr.document || {};
    var label = el("div", { "class": "col-label", lang: "en" }, [
      el("span", { text: langName(tr.lang) }),
      el("span", { "class": "doc", text: docName(tdoc) + (tdoc.year ? " (" + tdoc.year + ")" : "") }),
      typeof tr.confidence === "number"
        ? el("span", { "class": "confidence", title: "Alignment confidence", text: "confidence " + Math.round(tr.confidence * 100) + "%" })
        : null
    ]);
    return el("div", { "class": "translation", "data-relation": rel.type || "same" }, [
      label,
      rel.type && rel.type !== "same"
        ? el("p", { "class": "relation", role: "note", lang: "en", text: "⚠ " + (rel.label || "from another document") })
        : null,
      rel.type && rel.type !== "same" ? renderDifferences(tr.differences) : null,
      // the words matching the query, marked on this side too when the API marks them
      typeof tr.highlight === "string"
        ? el("p", { "class": "para text", lang: langTag(tr.lang) }, [highlighted(tr.highlight)])
        : el("p", { "class": "para text", lang: langTag(tr.lang), text: tr.text || "" })
    ]);
  }

  // Another year's translation: the numbers, symbols and dates each side alone holds, to update before reuse.
  function renderDifferences(diff) {
    if (!diff || typeof diff !== "object") return null;
    var sides = [["fr", diff.only_fr], ["zh", diff.only_zh]].filter(function (s) {
      return Array.isArray(s[1]) && s[1].length;
    });
    if (!sides.length) {
      return el("p", { "class": "differences agree", lang: "en", text: "✓ Numbers, symbols and dates agree" });
    }
    var items = sides.map(function (s) {
      return el("li", { "data-lang": s[0] }, [
        el("span", { "class": "side", text: (s[0] === "fr" ? "French" : "Chinese") + " only: " }),
        el("span", { "class": "values" }, s[1].map(function (v) { return el("code", { text: String(v) }); }))
      ]);
    });
    return el("div", { "class": "differences", role: "note", lang: "en" }, [
      el("span", { "class": "title", text: "Differs — update before reuse:" }), el("ul", {}, items)
    ]);
  }

  function renderPager(total, offset, limit, shown) {
    if (total <= limit && offset === 0) return;
    var from = shown ? offset + 1 : 0;
    var to = offset + shown;
    var prev = offset > 0
      ? navLink(with_(state, { offset: Math.max(0, offset - limit) }), "‹ Previous", { rel: "prev", "data-top": "", "class": "prev" })
      : el("span", { "class": "disabled prev", "aria-disabled": "true", text: "‹ Previous" });
    var next = to < total
      ? navLink(with_(state, { offset: offset + limit }), "Next ›", { rel: "next", "data-top": "", "class": "next" })
      : el("span", { "class": "disabled next", "aria-disabled": "true", text: "Next ›" });
    els.pager.appendChild(prev);
    els.pager.appendChild(el("span", { "class": "where", text: from + "–" + to + " of " + total.toLocaleString("en") }));
    els.pager.appendChild(next);
    els.pager.hidden = false;
  }

  // ------------------------------------------------------------ renderings of the query (api/terms)

  var terms = { key: "", seq: 0, controller: null };

  // A word or short phrase, without operators, quotes, prefixes or fields: what /api/terms takes.
  function isTerm(q) {
    if (!q || q.length > 60 || /["()*:]/.test(q)) return false;
    var words = q.split(/\s+/);
    return words.length <= 4 && !words.some(function (w) { return /^(AND|OR|NOT)$|^-/.test(w); });
  }

  function hideTerms() {
    if (terms.controller) terms.controller.abort();
    terms.controller = null;
    terms.key = "";
    terms.seq++;
    clear(els.renderings);
    clear(els.termsAbout);
    els.terms.hidden = true;
  }

  function runTerms(s) {
    var key = isTerm(s.q) ? s.lang + ":" + s.q : "";
    if (key && key === terms.key) return;  // same query on another page or filter: the panel stays
    hideTerms();
    if (!key) return;
    terms.key = key;
    var mine = terms.seq;
    terms.controller = typeof AbortController === "function" ? new AbortController() : null;
    var params = new URLSearchParams({ q: s.q, lang: s.lang, limit: String(TERMS_LIMIT) });
    shared.getJSON(TERMS_API + "?" + params.toString(), {
      headers: { Accept: "application/json" }, credentials: "same-origin",
      signal: terms.controller ? terms.controller.signal : undefined
    }).then(function (data) {
      if (mine === terms.seq) renderTerms(data, s.q);
    }).catch(function () {
      if (mine === terms.seq) hideTerms();  // the panel is an extra: without it the page is whole
    });
  }

  function num(v) { return typeof v === "number" && isFinite(v) ? v : null; }

  // A relation as the API gives it ({type, label} or a label): a note to show, or null for the same document.
  function relationNote(rel) {
    if (!rel) return null;
    if (typeof rel === "string") return rel;
    if (typeof rel !== "object" || !rel.type || rel.type === "same") return null;
    return String(rel.label || "from another document");
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
             example: example, note: relationNote(r.relation) };
  }

  function renderTerms(data, q) {
    var list = Array.isArray(data.renderings) ? data.renderings.filter(function (r) {
      return r && typeof r === "object" && typeof r.text === "string" && r.text.trim();
    }) : [];
    if (!list.length) { hideTerms(); return; }
    var lang = LANG_TAG[data.lang] ? data.lang : null;
    var target = LANG_TAG[data.target] ? data.target : lang && Object.keys(LANG_TAG).filter(function (c) { return c !== lang; })[0];
    if (!lang || !target) { hideTerms(); return; }
    var seen = num(data.pairs_seen) !== null ? data.pairs_seen : num(data.aligned);
    clear(els.termsAbout);
    els.termsAbout.appendChild(el("q", { lang: langTag(lang), text: data.query || data.term || q }));
    els.termsAbout.appendChild(document.createTextNode(" in " + langName(target) +
      (seen ? ", from " + seen.toLocaleString("en") + " aligned " + (seen === 1 ? "pair" : "pairs") : "")));
    clear(els.renderings);
    list.slice(0, TERMS_LIMIT).forEach(function (raw) {
      els.renderings.appendChild(renderRendering(readRendering(raw, lang, target, seen), lang, target, q));
    });
    els.terms.hidden = false;
  }

  function renderRendering(r, lang, target, q) {
    var next = readState("");
    next.q = r.text;
    next.lang = target;
    next.sort = state.sort;
    var figures = [r.count !== null ? r.count + (r.count === 1 ? " pair" : " pairs") : null,
                   r.share !== null ? Math.round(r.share * 100) + "%" : null].filter(Boolean).join(" · ");
    var bar = null;
    if (r.share !== null) {
      bar = el("span", { "class": "share", "aria-hidden": "true" }, [el("span")]);
      bar.firstChild.style.width = (r.share * 100).toFixed(1) + "%";  // CSSOM: allowed by the CSP
    }
    return el("li", { "class": "rendering", "data-text": r.text }, [
      el("div", { "class": "rendering-head" }, [
        navLink(next, r.text, { "class": "term", lang: langTag(target), title: "Search " + r.text + " in " + langName(target) }),
        el("span", { "class": "measure" }, [bar, figures ? el("span", { "class": "figures", text: figures }) : null])
      ]),
      r.note ? el("p", { "class": "relation", role: "note", text: "⚠ " + r.note }) : null,
      r.example ? renderExample(r, lang, target, q) : null
    ]);
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

  run();
})();
