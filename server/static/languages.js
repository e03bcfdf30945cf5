/* The search page's languages: those the index holds (api/health), named in the introduction and the title,
   offered in the language menu; and the reader's choice of translation languages, remembered in this browser.
   Loaded after widget.js and hits.js, before page.js, which drives it through TandemPage.languages.create(). */
(function () {
  "use strict";

  var shared = window.TandemWidget;
  var el = shared.el;
  var langTag = shared.langTag;
  var langName = window.TandemPage.hits.langName;
  var TARGETS_KEY = "tandem.targets";

  // parts: {menu (the language <select>), box (the translation choice), intro (the names' element)};
  // currentLang() the language searched; changed() is called when the reader changes the choice.
  // Answers {known (a promise settled once api/health answered), chosen(), forTerms(), title()}.
  function create(parts, currentLang, changed) {
    var indexed = null;
    var title = "French ⇄ Chinese search in UN documents";  // until api/health names the indexed languages

    // The translation languages chosen; null: every other language.
    function chosen() {
      var saved = null;
      try { saved = JSON.parse(window.localStorage.getItem(TARGETS_KEY) || "null"); } catch (e) { saved = null; }
      if (!Array.isArray(saved) || !indexed) return null;
      var lang = currentLang();
      var kept = saved.filter(function (code) { return indexed.indexOf(code) >= 0 && code !== lang; });
      return kept.length ? kept : null;
    }

    // The "Translated as" panel's languages: those chosen, else every other one; null with one other language
    // indexed, or the languages unknown: the API's choice.
    function forTerms() {
      if (!indexed || indexed.length < 3) return null;
      var lang = currentLang();
      return chosen() || indexed.filter(function (code) { return code !== lang; });
    }

    function show(languages) {
      indexed = languages;
      // the introduction is English: the languages' English names where the browser knows them
      var english = typeof Intl === "object" && Intl.DisplayNames ? new Intl.DisplayNames(["en"], { type: "language" }) : null;
      var names = languages.map(function (code) { return (english && english.of(code)) || langName(code); });
      if (names.length > 1) {
        parts.intro.textContent = names.slice(0, -1).join(", ") + " or " + names[names.length - 1];
        title = names.join(" ⇄ ") + " search in UN documents";
      }
      Array.prototype.forEach.call(parts.menu.options, function (opt) {
        var on = opt.value === "auto" || languages.indexOf(opt.value) >= 0;
        opt.hidden = !on;
        opt.disabled = !on;
      });
      if (languages.length < 3) return;  // one other language: nothing to choose
      var saved = chosen() || languages;
      languages.forEach(function (code) {
        var input = el("input", { type: "checkbox", value: code, id: "target-" + code });
        input.checked = saved.indexOf(code) >= 0;
        input.addEventListener("change", function () {
          var picked = Array.prototype.filter.call(parts.box.querySelectorAll("input"), function (i) { return i.checked; })
            .map(function (i) { return i.value; });
          try { window.localStorage.setItem(TARGETS_KEY, JSON.stringify(picked)); } catch (e) { /* private mode */ }
          changed();
        });
        parts.box.appendChild(el("label", { "for": "target-" + code, lang: langTag(code) }, [input, " " + langName(code)]));
      });
      parts.box.hidden = false;
    }

    var known = shared.getJSON("api/health", { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (health) {
        if (Array.isArray(health.languages)) show(health.languages);
      }, function () { /* the search itself says what is wrong */ });

    return { known: known, chosen: chosen, forTerms: forTerms, title: function () { return title; } };
  }

  window.TandemPage = window.TandemPage || {};
  window.TandemPage.languages = { create: create };
})();
