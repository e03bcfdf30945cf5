/* The search page's document view: a document's paragraphs beside their translations, row by row as they
   were aligned, with the numbers, symbols and dates that differ in a pair marked (GET /api/documents/<symbol>
   and its /check). Loaded after widget.js and hits.js, before page.js, which shows it for ?doc=SYMBOL. */
(function () {
  "use strict";

  var shared = window.TandemWidget;
  var el = shared.el;
  var clear = shared.clear;
  var langTag = shared.langTag;
  var hits = window.TandemPage.hits;

  function docLabel(d) {
    return (d.symbol || d.id) + " · " + hits.langName(d.lang) + (d.year ? " · " + d.year : "");
  }

  // A paragraph's text with each value found literally in it marked: what the check says differs.
  function markedText(text, values) {
    var out = document.createDocumentFragment();
    var at = 0;
    var found = [];
    (values || []).forEach(function (v) {
      var i = text.indexOf(String(v));
      if (v !== "" && i >= 0) found.push([i, i + String(v).length]);
    });
    found.sort(function (a, b) { return a[0] - b[0]; });
    found.forEach(function (span) {
      if (span[0] < at) return;
      out.appendChild(document.createTextNode(text.slice(at, span[0])));
      out.appendChild(el("mark", { "class": "diff", text: text.slice(span[0], span[1]) }));
      at = span[1];
    });
    out.appendChild(document.createTextNode(text.slice(at)));
    return out;
  }

  // `more`: paragraphs of this side the API did not send (pieces of a very long paragraph).
  function cell(paras, lang, values, more) {
    var td = el("td", { lang: langTag(lang) });
    if (!paras.length) td.appendChild(el("span", { "class": "none", lang: "en", text: "—" }));
    paras.forEach(function (p) {
      var label = [hits.kindName(p.kind), p.number ? "¶ " + p.number : ""].filter(Boolean).join(" ");
      td.appendChild(el("p", { "class": "para", "data-id": p.id }, [
        label ? el("span", { "class": "tag kind", lang: "en", text: label }) : null,
        label ? " " : null,
        markedText(p.text, values)
      ]));
      var note = hits.excerptNote(p);
      if (note) td.appendChild(note);
    });
    if (more) {
      td.appendChild(el("p", { "class": "excerpt-note", lang: "en", text: "… and " + more + " more part" + (more === 1 ? "" : "s") + " of this paragraph" }));
    }
    return td;
  }

  // Append aligned rows to a table body; returns how many differ in numbers, symbols or dates.
  function addRows(body, rows, langs, checks) {
    var differing = 0;
    rows.forEach(function (row) {
      var a = row[langs[0]] || [], b = row[langs[1]] || [];
      var check = a.length && b.length ? checks[a[0].id + " " + b[0].id] || checks[b[0].id + " " + a[0].id] : null;
      var tr = el("tr", { "class": check ? "differs" : null });
      var only = check ? check.differences || {} : null;
      var more = row.more || {};
      tr.appendChild(cell(a, langs[0], only ? only[langs[0]] : null, more[langs[0]]));
      tr.appendChild(cell(b, langs[1], only ? only[langs[1]] : null, more[langs[1]]));
      body.appendChild(tr);
      if (check) {
        differing++;
        var what = langs.map(function (lang) {
          var values = only[lang] || [];
          return values.length ? hits.langName(lang) + " only: " + values.join(", ") : "";
        }).filter(Boolean).join(" · ");
        body.appendChild(el("tr", { "class": "differences-row" }, [
          el("td", { colspan: "2", lang: "en", text: "⚠ Differs: " + what })
        ]));
      }
    });
    return differing;
  }

  function summary(differing) {
    return differing
      ? differing + " aligned pair" + (differing === 1 ? "" : "s") + " differ in numbers, symbols or dates (marked)"
      : "Numbers, symbols and dates agree in every aligned pair";
  }

  // `next(alignment, offset)`: a promise of the alignment's rows from offset (the API sends a page at a time).
  function renderAlignment(alignment, checks, next) {
    var docs = alignment.documents || [];
    var langs = docs.map(function (d) { return d.lang; });
    var note = shared.relationLabel(alignment.relation);
    var table = el("table", { "class": "side-by-side" }, [
      el("thead", {}, [el("tr", {}, docs.map(function (d) {
        return el("th", { scope: "col", text: docLabel(d) });
      }))])
    ]);
    var body = el("tbody");
    var rows = alignment.rows || [];
    var shown = (alignment.offset || 0) + rows.length;
    var total = typeof alignment.rows_total === "number" ? alignment.rows_total : shown;
    var differing = addRows(body, rows, langs, checks);
    table.appendChild(body);
    var checked = el("p", { "class": "check-summary", text: summary(differing) });
    var section = el("section", { "class": "alignment", "data-relation": (alignment.relation || {}).type || "same" }, [
      el("h3", { text: docs.map(docLabel).join(" ⇄ ") }),
      note ? el("p", { "class": "relation", role: "note", text: "⚠ " + note }) : null,
      checked,
      table
    ]);
    if (shown < total && next) {
      var button = el("button", { type: "button", "class": "more-rows" });
      var status = el("span", { "class": "status", role: "status" });
      var label = function () {
        button.textContent = "Show more rows (" + shown + " of " + total + " shown)";
        if (shown >= total) button.remove();
      };
      button.addEventListener("click", function () {
        button.disabled = true;
        status.textContent = "Loading…";
        next(alignment, shown).then(function (more) {
          var added = (more && more.rows) || [];
          differing += addRows(body, added, langs, checks);
          shown = added.length ? shown + added.length : total;
          checked.textContent = summary(differing);
          status.textContent = "";
          button.disabled = false;
          label();
        }, function (e) {
          button.disabled = false;
          status.textContent = "Could not load more rows: " + shared.errorText(e);
        });
      });
      label();
      section.appendChild(el("p", { "class": "more-rows" }, [button, " ", status]));
    }
    return section;
  }

  // The alignment to show first among several: one between two of the reader's languages (`reads`, the most
  // wanted first), else one holding the most wanted it can, else the first.
  function preferred(alignments, reads) {
    var best = 0, bestScore = -1;
    alignments.forEach(function (a, i) {
      var score = (a.documents || []).reduce(function (sum, d) {
        var at = reads.indexOf(d.lang);
        return sum + (at < 0 ? 0 : 100 - at);
      }, 0);
      if (score > bestScore) { best = i; bestScore = score; }
    });
    return best;
  }

  function pairLabel(a) {
    return (a.documents || []).map(function (d) {
      return hits.langName(d.lang) + (d.year ? " " + d.year : "");
    }).join(" ⇄ ");
  }

  // Several language versions: one pair side by side at a time, chosen in a menu.
  function choosePair(view, alignments, checks, reads, next) {
    var select = el("select", { id: "pair-choice" });
    alignments.forEach(function (a, i) { select.appendChild(el("option", { value: String(i), text: pairLabel(a) })); });
    select.value = String(preferred(alignments, reads || []));
    var holder = el("div", { "class": "alignment-shown" });
    function render() {
      clear(holder);
      holder.appendChild(renderAlignment(alignments[Number(select.value)], checks, next));
    }
    select.addEventListener("change", render);
    view.appendChild(el("p", { "class": "pair-choice" }, [el("label", { "for": "pair-choice", text: "Side by side: " }), select]));
    view.appendChild(holder);
    render();
  }

  // Fill `view` with the document `symbol`; `back` is the link back to the results; `reads`, the reader's
  // languages, the most wanted first, picks the pair shown first when there are several; `rows`, the aligned
  // rows asked for at a time (the API's page when empty). Resolves when shown.
  function show(view, symbol, back, reads, rows) {
    clear(view);
    view.appendChild(back);
    var heading = el("h2", { id: "document-title", tabindex: "-1", text: symbol });
    view.appendChild(heading);
    var status = el("p", { "class": "status", role: "status", text: "Loading…" });
    view.appendChild(status);
    var base = "api/documents/" + symbol.split("/").map(encodeURIComponent).join("/");
    var init = { headers: { Accept: "application/json" }, credentials: "same-origin" };
    var limit = rows ? "&limit=" + encodeURIComponent(rows) : "";
    var first = base + "?offset=0" + limit;
    return Promise.all([shared.getJSON(first, init), shared.getJSON(base + "/check", init)]).then(function (answers) {
      var data = answers[0], checks = {};
      (answers[1].pairs || []).forEach(function (c) {
        checks[Object.keys(c.differences || {}).map(function (lang) { return c[lang].id; }).join(" ")] = c;
      });
      status.textContent = "";
      var titles = (data.documents || []).map(function (d) { return d.title; }).filter(Boolean);
      if (titles.length) view.appendChild(el("p", { "class": "doc-title", text: titles[0] }));
      if (!(data.alignments || []).length) {
        view.appendChild(el("p", { "class": "none", text: "No aligned translation of this document." }));
      }
      var alignments = data.alignments || [];
      // the rows of one pair from an offset: the API pages every pair's rows at once; this pair's are kept
      var pairKey = function (a) { return (a.documents || []).map(function (d) { return d.id; }).join(" "); };
      var next = function (alignment, offset) {
        return shared.getJSON(base + "?offset=" + offset + limit, init).then(function (page) {
          return (page.alignments || []).filter(function (a) { return pairKey(a) === pairKey(alignment); })[0];
        });
      };
      if (alignments.length > 1) choosePair(view, alignments, checks, reads, next);
      else alignments.forEach(function (a) { view.appendChild(renderAlignment(a, checks, next)); });
      heading.focus();
    }, function (e) {
      status.textContent = "";
      view.appendChild(el("p", { "class": "error", role: "alert", text: "Could not show " + symbol + ": " + shared.errorText(e) }));
    });
  }

  window.TandemPage.document = { show: show };
})();
