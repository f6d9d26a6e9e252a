// Loads Material's bundle (and extra_javascript) on the visitor's first interaction, and small page helpers.
// A file, not inline: cached once instead of 2 KB in every page (overrides/main.html, block scripts).
(function () {
  var events = ["pointerdown", "touchstart", "keydown", "scroll", "wheel", "mousemove", "focusin"];
  var started = false;
  function start() {
    if (started) return;
    started = true;
    events.forEach(function (name) { removeEventListener(name, start, true); });
    // Material fetches sitemap.xml beside every <link rel="alternate"> (for language versions): keep it
    // off the news feeds, whose folder has none (the token list still says "alternate").
    Array.prototype.forEach.call(document.querySelectorAll('link[rel="alternate"][type*="feed"], link[rel="alternate"][type*="rss"]'),
      function (link) { link.rel = "alternate feed"; });
    // The same for the page's language versions (hreflang): search engines read them as served; here they would
    // cost a sitemap.xml per version (2 MB at national scale). The header's switch links the twin.
    Array.prototype.forEach.call(document.querySelectorAll('link[rel="alternate"][hreflang]'),
      function (link) { link.remove(); });
    var queue = Array.prototype.slice.call(document.querySelectorAll('script[type="text/x-htx-later"][data-src]'));
    (function next() {
      var later = queue.shift();
      if (!later) {
        if (document.readyState !== "loading" && window.document$) window.document$.next(document);
        return;
      }
      var script = document.createElement("script");
      script.src = later.getAttribute("data-src");
      script.onload = script.onerror = next;
      document.body.appendChild(script);
    })();
  }
  events.forEach(function (name) { addEventListener(name, start, { capture: true, passive: true }); });
  // Wide tables scroll sideways (themselves, or Material's wrapper around them): keyboard users can
  // focus them and scroll with the arrow keys.
  Array.prototype.forEach.call(document.querySelectorAll(".md-typeset table:not([class])"), function (table) { table.tabIndex = 0; });
  // Links marked data-htx-search-open (the home page's search field) open the header search when
  // there is one; without JavaScript they lead to the catalog.
  document.addEventListener("click", function (event) {
    var opener = event.target.closest && event.target.closest("[data-htx-search-open]");
    var toggle = document.getElementById("__search");
    var input = document.querySelector("[data-htx-search] .md-search__input");
    if (!opener || !toggle || !input) return;
    event.preventDefault();
    toggle.checked = true;
    toggle.dispatchEvent(new Event("change"));
    input.focus();
  });
  // The 404 page's search form hands its words to the header search, which searches the whole site;
  // without it (or without words) the form opens the catalog as a plain form would.
  var notFound = document.querySelector("[data-htx-404-search]");
  if (notFound) notFound.addEventListener("submit", function (event) {
    var box = document.querySelector("[data-htx-search] .md-search__input");
    var words = notFound.elements.q.value.trim();
    if (!box || !words) return;
    event.preventDefault();
    box.value = words;
    box.focus();
    box.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
