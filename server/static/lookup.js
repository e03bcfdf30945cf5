/* The page's "Look up a segment" mode: a sentence or paragraph posted to api/lookup, its matches shown as
   search hits (hits.js) with a score bar and the stored segment's differences marked (<del> what the text
   asked changes, <ins> what it says instead). Loaded after widget.js and hits.js. */
(function () {
  "use strict";

  var shared = window.TandemWidget;
  var el = shared.el;

  // The API's diff is escaped text with <del> and <ins>: parse it inert, keep only text, <del> and <ins>.
  function diffMarked(html) {
    var tpl = document.createElement("template");
    tpl.innerHTML = String(html || "");
    var out = document.createDocumentFragment();
    Array.prototype.forEach.call(tpl.content.childNodes, function (n) {
      if (n.nodeType === 3) out.appendChild(document.createTextNode(n.nodeValue));
      else if (n.nodeType === 1 && (n.nodeName === "DEL" || n.nodeName === "INS")) {
        out.appendChild(el(n.nodeName.toLowerCase(), { text: n.textContent }));
      } else if (n.nodeType === 1) out.appendChild(document.createTextNode(n.textContent));
    });
    return out;
  }

  // A match score as a bar with its number: "92%".
  function scoreBar(value) {
    var bar = el("span", { "class": "match-bar", role: "img", "aria-label": "match " + value + "%" }, [
      el("span", { "class": "match-fill", style: null })
    ]);
    bar.firstChild.style.width = Math.max(0, Math.min(100, value)) + "%";
    bar.setAttribute("data-band", value >= 100 ? "exact" : value >= 95 ? "high" : value >= 85 ? "good" : "fuzzy");
    return el("span", { "class": "match" }, [bar, el("span", { "class": "match-value", text: value + "%" })]);
  }

  function renderMatch(match, rank) {
    var li = window.TandemPage.hits.render(match, rank, {});
    li.classList.add("lookup-match");
    var head = li.querySelector(".hit-head");
    head.insertBefore(scoreBar(match.match), head.firstChild.nextSibling);
    var para = li.querySelector(".source .para");
    shared.clear(para);
    para.appendChild(diffMarked(match.highlight));
    para.classList.add("diff");
    var numbers = match.numbers || {};
    if ((numbers.only_stored || []).length || (numbers.only_text || []).length) {
      para.parentNode.appendChild(el("p", { "class": "numbers-differ", role: "note", lang: "en" }, [
        "Numbers differ: stored ", el("code", { text: (numbers.only_stored || []).join(", ") || "–" }),
        ", asked ", el("code", { text: (numbers.only_text || []).join(", ") || "–" })
      ]));
    }
    return li;
  }

  // A run of the text found verbatim elsewhere: the paragraph holding it (the run marked) and its translations.
  function renderRun(run, rank) {
    var found = run.found || {};
    var li = window.TandemPage.hits.render(found, rank, {});
    li.classList.add("lookup-run");
    var head = li.querySelector(".hit-head");
    head.insertBefore(el("q", { "class": "run", text: run.text }), head.firstChild.nextSibling);
    var para = li.querySelector(".source .para");
    var text = found.text || "";
    var seg = found.segment || { start: 0, end: 0 };
    shared.clear(para);
    para.appendChild(document.createTextNode(text.slice(0, seg.start)));
    para.appendChild(el("mark", { text: text.slice(seg.start, seg.end) }));
    para.appendChild(document.createTextNode(text.slice(seg.end)));
    return li;
  }

  function setUp() {
    var form = document.getElementById("lookup-form");
    if (!form) return;
    var text = document.getElementById("lookup-text");
    var lang = document.getElementById("lang");
    var status = document.getElementById("lookup-status");
    var list = document.getElementById("lookup-matches");
    var sequence = 0;
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var value = text.value.trim();
      if (!value) { text.focus(); return; }
      var mine = ++sequence;
      status.textContent = "Looking up…";
      shared.getJSON("api/lookup", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ text: value, lang: lang ? lang.value : "auto", limit: 10 })
      }).then(function (data) {
        if (mine !== sequence) return;
        shared.clear(list);
        var matches = data.matches || [];
        status.textContent = matches.length
          ? matches.length + (matches.length === 1 ? " match" : " matches") + " of at least " + data.min_score +
            "% · " + data.took_ms + " ms"
          : "Not translated before: no segment matches " + data.min_score + "% or more.";
        matches.forEach(function (m, i) { list.appendChild(renderMatch(m, i + 1)); });
        (data.subsegments || []).forEach(function (run, i) { list.appendChild(renderRun(run, i + 1)); });
        if (!matches.length && (data.subsegments || []).length) status.textContent += " Parts found elsewhere:";
      }).catch(function (e) {
        if (mine !== sequence) return;
        shared.clear(list);
        status.textContent = shared.errorText(e);
      });
    });
  }

  window.TandemPage = window.TandemPage || {};
  window.TandemPage.lookup = { render: renderMatch, diffMarked: diffMarked, scoreBar: scoreBar };
  setUp();
})();
