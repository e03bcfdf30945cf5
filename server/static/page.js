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
  // Shared with the widget (widget.js, loaded first as a library): the API call, its error text, the
  // languages, and elements built from text only (the highlight from text and <mark> elements only), so
  // nothing else can ever reach the page. The page's other parts, loaded before this file, are in
  // TandemPage: the state in the URL (state.js), the hits (hits.js), the languages (languages.js), the
  // "Translated as" panel (terms.js), the lookup (lookup.js) and the document view (document.js).
  var shared = window.TandemWidget;
  var parts = window.TandemPage;
  var API = "api/search";
  var LIMIT = 10;
  var WIDE = window.matchMedia ? window.matchMedia("(min-width: 900px)") : null;  // facets beside the results
  var LANG_TAG = shared.langTags;
  var FACET_NAME = { year: "Year", kind: "Paragraph kind", symbol: "Document" };
  var FACETS = ["year", "kind", "symbol"];  // shown in this order, and asked for
  var MAX_OFFSET = 10000;  // the deepest offset the search API serves

  var $ = function (id) { return document.getElementById(id); };
  var form = $("search-form");
  var els = {
    q: $("q"), lang: $("lang"), kind: $("kind"), sort: $("sort"), year: $("year"), symbol: $("symbol"),
    summary: $("summary"), filters: $("active-filters"), suggestion: $("suggestion"),
    suggestionLink: $("suggestion-link"), error: $("error"), layout: $("layout"), facets: $("facets"),
    results: $("results"), intro: $("intro"), hits: $("hits"), pager: $("pager"),
    documentView: $("document-view"), filtersToggle: $("filters-toggle")
  };
  var controller = null;
  var sequence = 0;

  // ------------------------------------------------------------ state <-> URL (state.js)

  var readState = parts.state.read;
  var queryString = parts.state.queryString;
  var with_ = parts.state.with_;

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

  var el = shared.el;
  var clear = shared.clear;
  var langTag = shared.langTag;
  var langName = parts.hits.langName;
  var kindName = parts.hits.kindName;

  function navLink(s, text, attrs) {
    var a = el("a", attrs || {}, typeof text === "string" ? [text] : text);
    a.setAttribute("href", queryString(s));
    a.setAttribute("data-nav", "");
    return a;
  }

  // A hit's symbol: the document's side-by-side view, the search kept in the URL to come back to.
  function docLink(symbol, text, attrs) {
    return navLink(with_(state, { doc: symbol }), text, attrs);
  }

  // The query as the summary shows it inside its quotation marks: a query that is one quoted phrase is shown
  // without its own quotes, so it is quoted once.
  function shownQuery(q) {
    var m = /^"([^"]*)"$/.exec(q || "");
    return m ? m[1] : q;
  }

  // ------------------------------------------------------------ facets: beside the results, or behind "Filters"

  function layoutFacets() {
    var narrow = WIDE ? !WIDE.matches : false;
    var any = !els.layout.classList.contains("no-facets");
    els.filtersToggle.hidden = !(narrow && any);
    var open = els.filtersToggle.getAttribute("aria-expanded") === "true";
    els.facets.hidden = !any || (narrow && !open);
  }

  els.filtersToggle.addEventListener("click", function () {
    var open = els.filtersToggle.getAttribute("aria-expanded") !== "true";
    els.filtersToggle.setAttribute("aria-expanded", String(open));
    layoutFacets();
    var first = open ? els.facets.querySelector("a") : null;
    if (first) first.focus();
  });
  if (WIDE) {
    if (WIDE.addEventListener) WIDE.addEventListener("change", layoutFacets);
    else if (WIDE.addListener) WIDE.addListener(layoutFacets);
  }

  // ------------------------------------------------------------ export of the pairs shown

  function exportLinks() {
    var params = apiParams();
    function link(format, label) {
      var p = new URLSearchParams(params);
      p.set("format", format);
      return el("a", { href: "api/export?" + p.toString(), download: "", "class": "export-" + format,
                       title: "The aligned pairs of the hits on this page (translations from another year's version left out)",
                       text: label });
    }
    return el("span", { "class": "export" }, ["Export the pairs shown: ", link("tmx", "TMX"), " · ", link("csv", "CSV")]);
  }

  function apiParams() {
    var params = new URLSearchParams();
    params.set("q", state.q);
    params.set("lang", state.lang);
    params.set("limit", String(LIMIT));
    params.set("offset", String(state.offset));
    ["kind", "year", "symbol"].forEach(function (k) { if (state[k]) params.set(k, state[k]); });
    if (state.sort !== "relevance") params.set("sort", state.sort);
    var chosen = languages.chosen();
    if (chosen) params.set("targets", chosen.join(","));
    return params;
  }

  // ------------------------------------------------------------ the languages indexed, translations chosen (languages.js)

  var languages = parts.languages.create(
    { menu: els.lang, box: $("targets"), intro: $("indexed-names") },
    function () { return state.lang; },
    function () { if (state.q) run(); }
  );
  languages.known.then(function () {
    if (!state.q && !state.doc) document.title = "tandem · " + languages.title();
  });

  // ------------------------------------------------------------ a document side by side

  function showDocument() {
    hideTerms();
    resetResults();
    els.layout.hidden = true;
    els.filters.hidden = true;
    setSummary([]);
    els.documentView.hidden = false;
    var back = state.q
      ? navLink(with_(state, { doc: "" }), "‹ Back to the results", { "class": "back" })
      : navLink(readState(""), "‹ Search", { "class": "back" });
    document.title = state.doc + " · tandem";
    // the language searched in, then the translation languages chosen: the pair shown first among several
    var reads = (state.lang !== "auto" ? [state.lang] : []).concat(languages.chosen() || []);
    parts.document.show(els.documentView, state.doc, back, reads, state.rows);
  }

  // ------------------------------------------------------------ search

  function run() {
    syncForm(state);
    document.title = state.q ? state.q + " · tandem" : "tandem · " + languages.title();
    if (controller) controller.abort();
    controller = null;
    sequence++;
    if (state.doc) { showDocument(); return; }
    els.documentView.hidden = true;
    clear(els.documentView);
    els.layout.hidden = false;
    if (!state.q) { showIdle(); return; }
    showTerms();

    var params = apiParams();
    params.set("facets", FACETS.join(","));  // the facets this page shows, and no others

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
    els.layout.classList.add("no-facets");
    layoutFacets();
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
      summary.push(el("span", {}, [el("strong", { "class": "total", text: shared.totalText(total, data.total_relation) }),
        total === 1 && data.total_relation === "eq" ? " paragraph matches " : " paragraphs match ", el("q", { text: shownQuery(data.query), lang: langTag(data.lang) })]));
    } else {
      summary.push(el("span", {}, ["No paragraph matches ", el("q", { text: shownQuery(data.query), lang: langTag(data.lang) })]));
    }
    summary.push(el("span", { text: "searched in " + langName(data.lang) }));
    if (typeof data.took_ms === "number") summary.push(el("span", { "class": "took", text: data.took_ms + " ms" }));
    if (hits.length) summary.push(exportLinks());
    setSummary(summary);

    if (data.suggestion) {
      els.suggestionLink.textContent = data.suggestion;
      els.suggestionLink.setAttribute("href", queryString(with_(state, { q: data.suggestion, offset: 0 })));
      els.suggestionLink.setAttribute("data-nav", "");
      els.suggestion.hidden = false;
    }

    renderActiveFilters();
    renderFacets(data.facets || {}, data.facets_exact !== false);
    hits.forEach(function (hit, i) { els.hits.appendChild(parts.hits.render(hit, offset + i + 1, { docLink: docLink })); });
    if (!hits.length) {
      var tips = total ? "This page is past the last result." : data.notice ? data.notice : (state.year || state.kind || state.symbol)
        ? "Try removing a filter, or fewer words." : "Try fewer words, another spelling, or the other language.";
      els.hits.appendChild(el("li", { "class": "empty intro", text: tips }));
    }
    renderPager(total, data.total_relation, offset, data.limit || LIMIT, hits.length);
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

  // Estimated counts (past the server's exact count) read "≈1,200".
  function renderFacets(facets, exact) {
    var any = false;
    FACETS.forEach(function (name) {
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
          el("span", { "class": "count", text: (exact ? "" : "≈") + counts[value].toLocaleString("en"),
                       title: exact ? null : "estimated" })
        ], { "aria-current": active ? "true" : null, "data-facet": name, "data-value": value,
             "title": active ? "Remove this filter" : "Only " + label })]));
      });
      var id = "facet-" + name;
      els.facets.appendChild(el("section", { "aria-labelledby": id }, [el("h2", { id: id, text: FACET_NAME[name] }), list]));
    });
    els.layout.classList.toggle("no-facets", !any);
    layoutFacets();
  }

  // An estimated total may be off: a page with fewer hits than asked for is the last, and no page starts past
  // the deepest offset the server serves.
  function renderPager(total, relation, offset, limit, shown) {
    if (total <= limit && offset === 0) return;
    var from = shown ? offset + 1 : 0;
    var to = offset + shown;
    var more = to < total && shown === limit && offset + limit <= MAX_OFFSET;
    var prev = offset > 0
      ? navLink(with_(state, { offset: Math.max(0, offset - limit) }), "‹ Previous", { rel: "prev", "data-top": "", "class": "prev" })
      : el("span", { "class": "disabled prev", "aria-disabled": "true", text: "‹ Previous" });
    var next = more
      ? navLink(with_(state, { offset: offset + limit }), "Next ›", { rel: "next", "data-top": "", "class": "next" })
      : el("span", { "class": "disabled next", "aria-disabled": "true", text: "Next ›" });
    els.pager.appendChild(prev);
    els.pager.appendChild(el("span", { "class": "where", text: from + "–" + to + " of " + shared.totalText(total, relation) }));
    els.pager.appendChild(next);
    els.pager.hidden = false;
  }

  // ------------------------------------------------------------ renderings of the query (terms.js)

  // A rendering links to its own search in its language, in the current order.
  var terms = parts.terms.panel({
    section: $("terms"), about: $("terms-about"), choice: $("terms-targets"), list: $("renderings"),
    link: function (text, lang, attrs) {
      return navLink(with_(readState(""), { q: text, lang: lang, sort: state.sort }), text, attrs);
    }
  });
  var termsAsked = 0;  // a panel asked for before the languages were known is shown once they are, if still current

  function showTerms() {
    var mine = ++termsAsked;
    function ask() { if (mine === termsAsked) terms.show(state.q, state.lang, languages.forTerms()); }
    languages.known.then(ask, ask);
  }
  function hideTerms() {
    termsAsked++;
    terms.hide();
  }

  run();
  // the search box has the focus on arrival, wherever the page opens (not on a document, whose title has it)
  if (!state.doc) els.q.focus({ preventScroll: true });
})();
