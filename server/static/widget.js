/*! tandem search widget: UN paragraphs beside their translations in the other official languages indexed.
 *
 * Embed:
 *   <script src="https://host/prefix/widget.js" data-endpoint="https://host/prefix"
 *           data-lang="auto" data-targets="zh,en" data-limit="5" data-target="#somewhere"></script>
 *
 * data-endpoint  where the tandem API lives (default: the folder this script was loaded from)
 * data-lang      auto, or the code of a language the index holds (fr, zh, en…: api/health lists them): the
 *                language searched (default auto: recognised from the query)
 * data-targets   comma-separated codes of the translation languages shown beside each hit, e.g. "zh,en"
 *                (default: every other language the index holds); a search in one of them shows the others
 * data-limit     results shown, 1-20 (default 5)
 * data-target    CSS selector of the element to fill (default: right after this script tag)
 * data-query     optional query to run at once
 * data-mode      "lookup": a segment looked up (api/lookup, where data-targets does not apply) instead of words
 *
 * data-mount     "none" loads the script as a library only (tandem's search page does)
 *
 * Or from code: TandemWidget.mount(element, {endpoint, lang, targets, limit, query, mode}), targets a list of codes
 * or a comma-separated string. A code the index does not hold is refused by the API, whose message is shown.
 * Styles live in a shadow root (class prefix tandem-), so the host page and the widget leave each other alone.
 * Everything from the API is inserted as text, except `highlight` (of a hit or of its translation), whose <mark>
 * tags are kept and nothing else.
 */
(function () {
  "use strict";

  // The <script> tag that loaded this file; currentScript is null in a few loaders, so fall back
  // to the last widget.js tag that has not been mounted yet.
  var script = document.currentScript || (function () {
    var tags = document.querySelectorAll("script[src*='widget.js']:not([data-tandem-mounted])");
    return tags.length ? tags[tags.length - 1] : null;
  })();
  var LANG_TAG = Object.freeze({ fr: "fr", zh: "zh-Hans", en: "en", es: "es", ru: "ru", ar: "ar" });  // shared: read-only
  var LANG_NAME = { fr: "Français", zh: "中文", en: "English", es: "Español", ru: "Русский", ar: "العربية" };
  var KIND_NAME = { title: "title", preambular: "preambular", operative: "operative", footnote: "footnote", other: "" };
  var counter = 0;

  var CSS = [
    ":host{all:initial;display:block}",
    ".tandem-widget{all:initial;display:block;box-sizing:border-box;font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,",
    "\"Helvetica Neue\",Arial,\"Noto Sans\",\"PingFang SC\",\"Hiragino Sans GB\",\"Microsoft YaHei\",\"Noto Sans CJK SC\",",
    "\"Source Han Sans SC\",\"WenQuanYi Micro Hei\",sans-serif;font-size:15px;line-height:1.5;color:#1d2630;",
    "background:#fff;border:1px solid #dde3ea;border-radius:8px;padding:12px;max-width:100%}",
    ".tandem-widget *,.tandem-widget *::before,.tandem-widget *::after{box-sizing:border-box}",
    ".tandem-widget :lang(zh-Hans){font-family:\"PingFang SC\",\"Hiragino Sans GB\",\"Microsoft YaHei\",",
    "\"Noto Sans CJK SC\",\"Noto Sans SC\",\"Source Han Sans SC\",\"WenQuanYi Micro Hei\",system-ui,sans-serif;line-height:1.7}",
    ".tandem-widget :lang(ar){font-family:\"Noto Naskh Arabic\",\"Noto Sans Arabic\",\"Geeza Pro\",\"Segoe UI\",",
    "\"Traditional Arabic\",\"Arabic Typesetting\",Tahoma,sans-serif;line-height:1.8}",
    ".tandem-form{display:flex;gap:6px;margin:0 0 8px}",
    ".tandem-input{flex:1 1 auto;min-width:0;font:inherit;color:inherit;background:#fff;border:1px solid #b9c3ce;",
    "border-radius:6px;padding:6px 9px}",
    ".tandem-button{font:inherit;font-weight:600;cursor:pointer;border:1px solid #0a6fb8;background:#0a6fb8;color:#fff;",
    "border-radius:6px;padding:6px 12px}",
    ".tandem-input:focus-visible,.tandem-button:focus-visible,.tandem-widget a:focus-visible{outline:3px solid #0a6fb8;outline-offset:1px}",
    ".tandem-sr{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}",
    ".tandem-status{font-size:12px;color:#5b6875;margin:0 0 6px;min-height:1em}",
    ".tandem-error{font-size:13px;color:#8f1d1d;background:#fde8e8;border-radius:6px;padding:6px 9px;margin:0 0 6px}",
    ".tandem-hits{list-style:none;margin:0;padding:0}",
    ".tandem-hit{border-top:1px solid #e6ebf0;padding:8px 0}",
    ".tandem-hit:first-child{border-top:0}",
    ".tandem-meta{font-size:12px;color:#5b6875;margin:0 0 4px}",
    ".tandem-symbol{font-weight:700;color:#1d2630}",
    ".tandem-pair{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:12px}",
    ".tandem-para{margin:0;white-space:pre-line;overflow-wrap:break-word}",
    ".tandem-highlight del{background:#fde2e1;color:#8a1c13}.tandem-highlight ins{background:#dff3e3;color:#14532d;text-decoration:none}",
    ".tandem-translations{border-left:3px solid #e6ebf0;padding-left:10px}",
    ".tandem-translation+.tandem-translation{margin-top:6px}",
    ".tandem-widget mark{background:#ffe27a;color:inherit;padding:0 1px;border-radius:2px}",
    ".tandem-relation{display:inline-block;font-size:11.5px;color:#7a4b00;background:#fff4d6;border:1px solid #f0c869;",
    "border-radius:4px;padding:1px 5px;margin:0 0 3px}",
    ".tandem-confidence{display:block;font-size:11px;color:#8a96a3}",
    ".tandem-none{color:#8a96a3;font-style:italic;margin:0}",
    ".tandem-more{display:block;font-size:13px;margin-top:6px;color:#0a6fb8}",
    "@media (max-width:520px){.tandem-pair{grid-template-columns:minmax(0,1fr)}",
    ".tandem-translations{border-left:0;padding-left:0;border-top:1px dashed #e6ebf0;padding-top:4px}}"
  ].join("");

  // An element built from text only: attrs.text is its text, attrs.class its class, other attrs are set as
  // attributes (skipped when null, undefined or false); children are nodes or strings (as text).
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
      // Arabic text reads right to left (a paragraph, a translation, a rendering)
      if (attrs.lang === "ar" && !attrs.dir) node.setAttribute("dir", "rtl");
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined || c === false) return;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  // The API's highlight is escaped text with <mark> tags: parse it inert, keep only text and <mark>.
  var DROP = /^(SCRIPT|STYLE|TEMPLATE|NOSCRIPT|IFRAME|OBJECT|SVG|MATH|TEXTAREA|TITLE)$/i;
  function highlighted(html) {
    var tpl = document.createElement("template");
    tpl.innerHTML = String(html || "");
    var out = document.createDocumentFragment();
    (function copy(from) {
      Array.prototype.forEach.call(from.childNodes, function (n) {
        if (n.nodeType === 3) out.appendChild(document.createTextNode(n.nodeValue));
        else if (n.nodeType === 1 && n.nodeName === "MARK") out.appendChild(el("mark", { text: n.textContent }));
        else if (n.nodeType === 1 && !DROP.test(n.nodeName)) copy(n);  // other tags: their text only
      });
    })(tpl.content);
    return out;
  }

  // GET a tandem API URL: resolves to the parsed JSON, rejects with an Error carrying the API's
  // {"error": {"code", "message"}} (or the HTTP status when the answer is not that shape).
  function getJSON(url, init) {
    return fetch(url, init).then(function (response) {
      return response.text().then(function (body) {
        var data = null;
        try { data = body ? JSON.parse(body) : null; } catch (e) { data = null; }
        if (!response.ok || !data || data.error) {
          var err = data && data.error ? data.error : {};
          var e = new Error(err.message || ("the server answered " + response.status + " " +
                                            (response.statusText || "")).trim());
          e.code = err.code || ("http_" + response.status);
          e.status = response.status;
          throw e;
        }
        return data;
      });
    });
  }

  // The text to show for a failed getJSON: the API's message, or what went wrong on the way.
  function errorText(e) {
    if (!e) return "unknown error";
    if (e.name === "TypeError" && !e.code) return "tandem is unreachable";  // fetch's network failure
    return e.message || String(e);
  }

  // A failed cross-origin fetch looks the same whether the server is down or refused this page's origin
  // (CORS): ask again without CORS, whose opaque answer only says that the server answered.
  function diagnose(e, base) {
    if (!e || e.name !== "TypeError" || e.code || !base || typeof fetch !== "function") {
      return Promise.resolve(errorText(e));
    }
    return fetch(new URL("api/health", base).href, { mode: "no-cors", credentials: "omit", cache: "no-store" })
      .then(function () {
        return "this portal's address (" + location.origin + ") is not in tandem's cors_origins: " +
          "add it to [server] cors_origins in tandem's config.toml";
      }, function () { return "tandem is unreachable at " + base; });
  }

  // A language code as the API takes it ("fr", "zh"...): lower-case letters.
  function isCode(value) { return typeof value === "string" && /^[a-z]{2,3}$/.test(value); }
  // Language codes from a list or a comma-separated string, each once, anything else left out.
  function codes(value) {
    var list = Array.isArray(value) ? value : String(value || "").split(",");
    return list.map(function (c) { return String(c).trim(); }).filter(function (c, i, all) {
      return isCode(c) && all.indexOf(c) === i;
    });
  }

  function langTag(code) { return LANG_TAG[code] || code || null; }
  function langName(code) { return LANG_NAME[code] || code || ""; }
  // A search's total as its total_relation says: exact ("1,234"), an estimate to two significant digits
  // ("about 83,000"), or the matches found before the time ran out ("more than 10,000").
  function totalText(total, relation) {
    total = total || 0;
    if (relation === "about") {
      var step = Math.pow(10, Math.max(0, String(total).length - 2));
      return "about " + (Math.round(total / step) * step).toLocaleString("en");
    }
    return (relation === "gte" ? "more than " : "") + total.toLocaleString("en");
  }
  function docName(doc) { return (doc && (doc.symbol || doc.id)) || "document"; }

  // The note for a translation from another document ({type, label} as the API gives it), or null for the same one.
  function relationLabel(rel) {
    if (!rel || !rel.type || rel.type === "same") return null;
    return String(rel.label || "from another document");
  }

  // The endpoint as a base URL ending in "/": data-endpoint, else the folder the script came from.
  function endpointBase(endpoint) {
    var base;
    try {
      if (endpoint) base = new URL(endpoint, document.baseURI);
      else if (script && script.src) base = new URL(".", script.src);
      else base = new URL(".", document.baseURI);
    } catch (e) {
      return null;
    }
    if (base.protocol !== "http:" && base.protocol !== "https:") return null;
    base.search = "";
    base.hash = "";
    if (base.pathname.slice(-1) !== "/") base.pathname += "/";
    return base.href;
  }

  function mount(target, options) {
    options = options || {};
    if (!target || !target.appendChild) throw new Error("TandemWidget.mount needs an element");
    var base = endpointBase(options.endpoint);
    // any code is passed on: the API knows the languages indexed, and says so of any other
    var lang = isCode(options.lang) ? options.lang : "auto";
    var targets = codes(options.targets);
    var limit = parseInt(options.limit, 10);
    limit = isFinite(limit) ? Math.min(20, Math.max(1, limit)) : 5;
    var id = "tandem-" + (++counter);

    var root = target;
    if (target.attachShadow && !target.shadowRoot) {
      try { root = target.attachShadow({ mode: "open" }); } catch (e) { root = target; }  // elements without shadow support
    }
    if (root === target) ensureGlobalStyle();
    else root.appendChild(el("style", { text: CSS }));

    var box = el("div", { "class": "tandem-widget", role: "search", lang: "en" });
    var form = el("form", { "class": "tandem-form", "aria-label": "Search UN documents (tandem)" });
    var label = el("label", { "class": "tandem-sr", text: "Search UN documents", "for": id + "-q" });
    // data-mode="lookup": a segment looked up (POST api/lookup) rather than words searched
    var lookupMode = options.mode === "lookup";
    if (lookupMode) label.textContent = "Look up a segment: has it been translated before?";
    var input = lookupMode
      ? el("textarea", { "class": "tandem-input", id: id + "-q", name: "text", rows: "3", spellcheck: "false" })
      : el("input", {
        "class": "tandem-input", id: id + "-q", type: "search", name: "q", autocomplete: "off", spellcheck: "false",
        placeholder: "multilatéralisme, 多边主义…"
      });
    var button = el("button", { "class": "tandem-button", text: lookupMode ? "Look up" : "Search", type: "submit" });
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(button);
    var status = el("p", { "class": "tandem-status", role: "status", "aria-live": "polite" });
    var error = el("p", { "class": "tandem-error", role: "alert" });
    error.hidden = true;
    var hits = el("ol", { "class": "tandem-hits", "aria-label": "Results" });
    var more = el("a", { "class": "tandem-more", target: "_blank", rel: "noopener" });
    more.hidden = true;
    box.appendChild(form);
    box.appendChild(status);
    box.appendChild(error);
    box.appendChild(hits);
    box.appendChild(more);
    root.appendChild(box);

    var controller = null;
    var sequence = 0;

    function showError(message) {
      clear(hits);
      more.hidden = true;
      status.textContent = "";
      error.textContent = message;
      error.hidden = false;
    }

    function search(q) {
      q = String(q || "").trim();
      if (!q) return;
      if (!base) { showError("tandem widget: data-endpoint is not an http(s) URL"); return; }
      // the widget shows no facets: it asks for none, which spares the server counting them
      var params = new URLSearchParams({ q: q, lang: lang, limit: String(limit), facets: "" });
      if (targets.length) params.set("targets", targets.join(","));
      if (controller) controller.abort();
      controller = typeof AbortController === "function" ? new AbortController() : null;
      var mine = ++sequence;
      status.textContent = "Searching…";
      box.setAttribute("aria-busy", "true");
      var request = lookupMode
        ? getJSON(new URL("api/lookup", base).href, {
          method: "POST", mode: "cors", credentials: "omit",
          headers: { Accept: "application/json", "Content-Type": "application/json" },
          body: JSON.stringify({ text: q, lang: lang, limit: limit }),
          signal: controller ? controller.signal : undefined
        })
        : getJSON(new URL("api/search?" + params.toString(), base).href, {
          mode: "cors", credentials: "omit", headers: { Accept: "application/json" },
          signal: controller ? controller.signal : undefined
        });
      request.then(function (data) {
        if (mine === sequence) (lookupMode ? renderMatches : render)(data, q);
      }).catch(function (e) {
        if (mine !== sequence || (e && e.name === "AbortError")) return;
        return diagnose(e, base).then(function (message) { if (mine === sequence) showError(message); });
      }).then(function () {
        if (mine === sequence) box.removeAttribute("aria-busy");
      });
    }

    function render(data, q) {
      clear(hits);
      error.hidden = true;
      var total = data.total || 0;
      var count = totalText(total, data.total_relation);
      status.textContent = total
        ? count + (total === 1 && data.total_relation === "eq" ? " paragraph" : " paragraphs") + " · " + (data.took_ms || 0) + " ms"
        : "No paragraph matches." + (data.suggestion ? " Did you mean: " + data.suggestion + "?" : "");
      (data.hits || []).forEach(function (hit) { hits.appendChild(renderHit(hit)); });
      if (total > (data.hits || []).length) {
        more.textContent = data.total_relation === "eq" ? "All " + count + " results on tandem ›"
          : "All results on tandem (" + count + ") ›";
        more.href = new URL("?q=" + encodeURIComponent(q) + (lang !== "auto" ? "&lang=" + lang : ""), base).href;
        more.hidden = false;
      } else {
        more.hidden = true;
      }
    }

    // Lookup matches: each hit with its match score, the stored segment's changed words struck through and
    // the text's words after them (the API's <del> and <ins>, parsed inert).
    function renderMatches(data) {
      clear(hits);
      error.hidden = true;
      more.hidden = true;
      var matches = data.matches || [];
      status.textContent = matches.length
        ? matches.length + (matches.length === 1 ? " match" : " matches") + " · " + (data.took_ms || 0) + " ms"
        : "Not translated before: no segment matches " + data.min_score + "% or more.";
      matches.forEach(function (m) {
        var li = renderHit(m);
        li.querySelector(".tandem-meta").insertBefore(
          el("span", { "class": "tandem-match", text: m.match + "% · " }), li.querySelector(".tandem-symbol"));
        var source = li.querySelector(".tandem-highlight");
        clear(source);
        var tpl = document.createElement("template");
        tpl.innerHTML = String(m.highlight || "");
        Array.prototype.forEach.call(tpl.content.childNodes, function (n) {
          var tag = n.nodeType === 1 ? n.nodeName.toLowerCase() : "";
          source.appendChild(tag === "del" || tag === "ins" ? el(tag, { text: n.textContent })
            : document.createTextNode(n.textContent));
        });
        hits.appendChild(li);
      });
    }

    function renderHit(hit) {
      var doc = hit.document || {};
      var li = el("li", { "class": "tandem-hit", "data-id": hit.id });
      var meta = el("p", { "class": "tandem-meta" });
      meta.appendChild(el("span", { "class": "tandem-symbol", text: docName(doc) }));
      var extra = [doc.year, KIND_NAME.hasOwnProperty(hit.kind) ? KIND_NAME[hit.kind] : hit.kind,
                   hit.number ? "¶ " + hit.number : ""].filter(Boolean).join(" · ");
      if (extra) meta.appendChild(document.createTextNode(" · " + extra));
      li.appendChild(meta);

      var pair = el("div", { "class": "tandem-pair" });
      var source = el("p", { "class": "tandem-para tandem-highlight", lang: langTag(hit.lang) });
      source.appendChild(highlighted(hit.highlight));
      pair.appendChild(source);

      var side = el("div", { "class": "tandem-translations", "aria-label": "Translation" });
      var list = hit.translations || [];
      if (!list.length) side.appendChild(el("p", { "class": "tandem-none", text: "No aligned translation." }));
      list.forEach(function (tr) {
        var rel = tr.relation || { type: "same" };
        var block = el("div", { "class": "tandem-translation", "data-relation": rel.type || "same" });
        var note = relationLabel(rel);
        if (note) block.appendChild(el("span", { "class": "tandem-relation", role: "note", text: "⚠ " + note }));
        // the words matching the query, marked on this side too when the API marks them
        var marks = typeof tr.highlight === "string";
        var text = el("p", { "class": "tandem-para tandem-text", lang: langTag(tr.lang), text: marks ? null : tr.text || "" });
        if (marks) text.appendChild(highlighted(tr.highlight));
        block.appendChild(text);
        var conf = langName(tr.lang) + " · " + docName(tr.document);
        if (typeof tr.confidence === "number") conf += " · confidence " + Math.round(tr.confidence * 100) + "%";
        block.appendChild(el("span", { "class": "tandem-confidence", text: conf }));
        side.appendChild(block);
      });
      pair.appendChild(side);
      li.appendChild(pair);
      return li;
    }

    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      search(input.value);
    });
    if (options.query) {
      input.value = options.query;
      search(options.query);
    }
    return { search: search, element: target };
  }

  function ensureGlobalStyle() {
    if (document.getElementById("tandem-widget-style")) return;
    var style = el("style", { id: "tandem-widget-style", text: CSS });
    (document.head || document.documentElement).appendChild(style);
  }

  // Mount for a <script> tag: into data-target, or into a new element right after the tag.
  function mountFromScript(tag) {
    if (!tag || tag.getAttribute("data-tandem-mounted")) return;
    tag.setAttribute("data-tandem-mounted", "1");
    var options = {
      endpoint: tag.getAttribute("data-endpoint") || null,
      lang: tag.getAttribute("data-lang") || "auto",
      targets: tag.getAttribute("data-targets") || "",
      limit: tag.getAttribute("data-limit") || 5,
      query: tag.getAttribute("data-query") || "",
      mode: tag.getAttribute("data-mode") || "search"
    };
    var selector = tag.getAttribute("data-target");
    function place() {
      var target;
      if (selector) {
        target = document.querySelector(selector);
        if (!target) {
          if (window.console) console.error("tandem widget: no element matches data-target " + selector);
          return;
        }
        if (target.shadowRoot) return;  // already holds a widget
      } else {
        target = document.createElement("div");
        target.className = "tandem-host";
        tag.parentNode.insertBefore(target, tag.nextSibling);
      }
      mount(target, options);
    }
    if (selector && document.readyState === "loading") document.addEventListener("DOMContentLoaded", place);
    else place();
  }

  // The one global: mount() for embedders; the rest is shared with tandem's own search page and its parts.
  if (!window.TandemWidget) {
    window.TandemWidget = { mount: mount, version: "1", getJSON: getJSON, errorText: errorText,
                            highlighted: highlighted, clear: clear, el: el, langTags: LANG_TAG,
                            langTag: langTag, langName: langName, relationLabel: relationLabel,
                            totalText: totalText };
  }
  // data-mount="none": loaded as a library (the search page does), no widget is drawn.
  if (script && script.getAttribute("data-mount") !== "none") {
    mountFromScript(script);
  }
})();
