/* The search page's state and its URL: what the page shows is read from the query string, and links are
   written from a state with only its non-default values. Loaded after widget.js, before page.js. */
(function () {
  "use strict";

  var LANG_TAG = window.TandemWidget.langTags;
  // rows: the aligned rows of a document (doc) asked for at a time; the API's page when absent
  var PARAMS = ["q", "lang", "kind", "year", "symbol", "sort", "offset", "doc", "rows"];
  var DEFAULTS = { q: "", lang: "auto", kind: "", year: "", symbol: "", sort: "relevance", offset: 0, doc: "", rows: "" };

  // The state a query string gives, values out of range set back to their defaults.
  function read(search) {
    var p = new URLSearchParams(search);
    var s = {};
    PARAMS.forEach(function (k) { s[k] = p.has(k) ? p.get(k) : DEFAULTS[k]; });
    s.q = (s.q || "").trim();
    s.doc = (s.doc || "").trim();
    if (!LANG_TAG[s.lang]) s.lang = "auto";
    if (s.sort !== "date") s.sort = "relevance";
    var off = parseInt(s.offset, 10);
    s.offset = isFinite(off) && off > 0 ? off : 0;
    s.rows = /^[1-9][0-9]{0,3}$/.test(s.rows || "") ? s.rows : "";
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

  // A copy of a state with some values changed.
  function with_(s, changes) {
    var out = {};
    PARAMS.forEach(function (k) { out[k] = s[k]; });
    Object.keys(changes).forEach(function (k) { out[k] = changes[k]; });
    return out;
  }

  window.TandemPage = window.TandemPage || {};
  window.TandemPage.state = { read: read, queryString: queryString, with_: with_ };
})();
