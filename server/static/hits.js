/* The search page's results: each hit, its paragraph beside its translations, with what to check in a
   translation taken from another year's version. Loaded after widget.js (whose shared helpers it uses) and
   before page.js, which renders hits with TandemPage.hits.render(). */
(function () {
  "use strict";

  var shared = window.TandemWidget;
  var el = shared.el;
  var highlighted = shared.highlighted;
  var langTag = shared.langTag;
  var KIND_NAME = { title: "Title", preambular: "Preambular", operative: "Operative", footnote: "Footnote", other: "Other" };

  function langName(code) { return shared.langName(code) || "?"; }
  function docName(doc) { return (doc && (doc.symbol || doc.id)) || "untitled document"; }
  function kindName(k) { return KIND_NAME[k] || k; }

  // A button copying a text to the clipboard; it says "Copied" for a moment (or why it could not).
  function copyButton(text, what) {
    var button = el("button", { type: "button", "class": "copy", "aria-label": "Copy " + what, text: "Copy" });
    button.addEventListener("click", function () {
      var done = function (label) {
        button.textContent = label;
        setTimeout(function () { button.textContent = "Copy"; }, 2000);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(function () { done("Copied"); }, function () { done("Copy refused"); });
      } else {
        done("Copy unavailable");
      }
    });
    return button;
  }

  // opts.docLink(symbol, text): a link to the document's side-by-side view (page.js builds it).
  function renderHit(hit, rank, opts) {
    var doc = hit.document || {};
    var symbol = doc.symbol && opts && opts.docLink
      ? opts.docLink(doc.symbol, docName(doc), { "class": "symbol", title: "Read " + doc.symbol + " side by side" })
      : el("span", { "class": "symbol", text: docName(doc) });
    var head = el("div", { "class": "hit-head" }, [
      el("span", { "class": "rank visually-hidden", text: "Result " + rank + ": " }),
      symbol,
      doc.year ? el("span", { "class": "tag year", text: String(doc.date || doc.year) }) : null,
      hit.kind ? el("span", { "class": "tag kind", text: kindName(hit.kind) }) : null,
      hit.number ? el("span", { "class": "tag number", text: "¶ " + hit.number }) : null,
      // a paragraph too long to index whole, cut at sentence ends: this piece continues or is continued
      hit.part ? el("span", { "class": "tag part", text: "part " + hit.part.index + " of " + hit.part.of }) : null,
      // read by OCR from a scanned page: its text may hold misread characters
      hit.source === "ocr" ? el("span", { "class": "tag ocr", title: "Read by OCR from a scanned page: check it against the original", text: "OCR" }) : null,
      typeof hit.score === "number" ? el("span", { "class": "score", text: "score " + hit.score.toFixed(2) }) : null,
      doc.title ? el("span", { "class": "doc-title", lang: langTag(doc.lang), text: doc.title }) : null
    ]);

    var source = el("div", { "class": "source", lang: langTag(hit.lang) }, [
      el("div", { "class": "col-label" }, [el("span", { lang: "en", text: langName(hit.lang) }),
        copyButton(hit.text || "", "the " + langName(hit.lang) + " text of result " + rank)]),
      el("p", { "class": "para highlight" }, [highlighted(hit.highlight)]),
      excerptNote(hit)
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

  // A text sent as an excerpt of a long paragraph: say so, and link the whole.
  function excerptNote(item) {
    if (!item.truncated) return null;
    return el("p", { "class": "excerpt-note", lang: "en" }, [
      el("span", { text: "Excerpt of a long paragraph. " }),
      typeof item.url === "string" ? el("a", { href: item.url, text: "The whole paragraph (JSON)" }) : null
    ]);
  }

  function renderTranslation(tr) {
    var rel = tr.relation || { type: "same" };
    var tdoc = tr.document || {};
    var note = shared.relationLabel(rel);
    var label = el("div", { "class": "col-label", lang: "en" }, [
      el("span", { text: langName(tr.lang) }),
      el("span", { "class": "doc", text: docName(tdoc) + (tdoc.year ? " (" + tdoc.year + ")" : "") }),
      typeof tr.confidence === "number"
        ? el("span", { "class": "confidence", title: "Alignment confidence", text: "confidence " + Math.round(tr.confidence * 100) + "%" })
        : null,
      copyButton(tr.text || "", "the " + langName(tr.lang) + " translation from " + docName(tdoc))
    ]);
    return el("div", { "class": "translation", "data-relation": rel.type || "same" }, [
      label,
      note ? el("p", { "class": "relation", role: "note", lang: "en", text: "⚠ " + note }) : null,
      note ? renderDifferences(tr.differences) : null,
      // the words matching the query, marked on this side too when the API marks them
      typeof tr.highlight === "string"
        ? el("p", { "class": "para text", lang: langTag(tr.lang) }, [highlighted(tr.highlight)])
        : el("p", { "class": "para text", lang: langTag(tr.lang), text: tr.text || "" }),
      excerptNote(tr)
    ]);
  }

  // Another year's translation: the numbers, symbols and dates each side alone holds, to update before reuse.
  function renderDifferences(diff) {
    if (!diff || typeof diff !== "object") return null;
    var sides = Object.keys(diff).map(function (lang) { return [lang, diff[lang]]; }).filter(function (s) {
      return Array.isArray(s[1]) && s[1].length;
    });
    if (!sides.length) {
      return el("p", { "class": "differences agree", lang: "en", text: "✓ Numbers, symbols and dates agree" });
    }
    var items = sides.map(function (s) {
      return el("li", { "data-lang": s[0] }, [
        el("span", { "class": "side", text: langName(s[0]) + " only: " }),
        el("span", { "class": "values" }, s[1].map(function (v) { return el("code", { text: String(v) }); }))
      ]);
    });
    return el("div", { "class": "differences", role: "note", lang: "en" }, [
      el("span", { "class": "title", text: "Differs — update before reuse:" }), el("ul", {}, items)
    ]);
  }

  // The page's summary, filters and facets name languages and kinds as the hits do.
  window.TandemPage = window.TandemPage || {};
  window.TandemPage.hits = {
    render: renderHit, langName: langName, kindName: kindName, copyButton: copyButton, excerptNote: excerptNote
  };
})();
