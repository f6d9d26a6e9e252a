/* Site search (the header box on every page) and the catalog and directory filters.
 *
 * Both run on engine.js over the index htx.publish.search.index_site builds after MkDocs. Nothing of the
 * engine or the index is fetched until a visitor searches (focus on the box, the / s f shortcuts) or opens a
 * filtered listing. Profile text is untrusted: results are built with DOM nodes and textContent only.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var ROOT = new URL("../../../", script.src);          // this file is assets/htx/search/search.js
  var PAGE = 8;                                         // header results per batch
  var CARDS = 12;                                       // filter results per batch (a filtered link stays light)
  var engine = null;
  var fold = null;                                      // engine.js's: how the index compares words
  // English pages (<html lang="en">, under en/) search the English index and speak English.
  var EN = document.documentElement.lang === "en";
  var INDEX = EN ? "search/en/" : "search/";
  var T = EN ? {
    browse: "Browse the product catalogue", more: "More results", none: "No results for “{q}”. Try fewer words or another spelling.",
    one: "1 result", results: "results", failed: "Search could not load; please try again later.", products: "products",
    coops: "cooperatives", noPhoto: "No photo yet", price: "Price on request", members: " members", showMore: "Show {n} more",
    cleared: "Filters cleared: showing the whole catalogue.", filtering: "Filtering…", found: "Found {n}.",
    nothing: "No {noun} match these filters. Try removing one.", filterFailed: "Filters could not load; please try again later. The list below still works.",
    locale: "en-GB"
  } : {
    browse: "Xem danh mục sản phẩm", more: "Xem thêm kết quả",
    none: "Không tìm thấy kết quả nào cho “{q}”. Hãy thử ít từ hơn hoặc một cách viết khác (có dấu hay không dấu đều được).",
    one: "1 kết quả", results: "kết quả", failed: "Chưa tải được bộ tìm kiếm, xin thử lại sau.", products: "sản phẩm",
    coops: "hợp tác xã", noPhoto: "Chưa có ảnh", price: "Liên hệ", members: " thành viên", showMore: "Xem thêm {n}",
    cleared: "Đã bỏ lọc: hiện toàn bộ danh mục.", filtering: "Đang lọc…", found: "Tìm thấy {n}.",
    nothing: "Không có {noun} nào khớp với bộ lọc. Hãy bỏ bớt một điều kiện.",
    filterFailed: "Chưa tải được bộ lọc, xin thử lại sau. Danh mục bên dưới vẫn dùng được.", locale: "vi-VN"
  };

  /** The search engine (engine.js, over the index in search/), loaded on first use; the promise is reset on
   *  failure so that a later try can succeed. */
  function index() {
    if (!engine) {
      engine = import(new URL("engine.js", script.src).href).then(function (mod) {
        fold = mod.fold;
        var opened = mod.open(ROOT.href, INDEX);
        return opened.ready.then(function () { return opened; });
      });
      engine.catch(function () { engine = null; });
    }
    return engine;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  /** The URL of a result's resource (the engine gives paths from the server's root). */
  function resolve(url, base) {
    try { return new URL(url, new URL(base, location.href)).href; } catch (e) { return ""; }
  }

  /** A result's photo: field "image" (160 px, the header's thumbnails) or "card" (480 px, the filtered catalog). */
  function thumb(data, pageUrl, width, height, className, field) {
    var name = field && data.meta && data.meta[field] ? field : "image";
    var src = data.meta && data.meta[name] ? resolve(data.meta[name], pageUrl) : "";
    if (!src) return null;
    var img = el("img", className);
    img.src = src;
    img.alt = "";
    img.width = width;
    img.height = height;
    img.loading = "lazy";
    img.decoding = "async";
    return img;
  }

  /** A short excerpt of a page's text around the first matching word (words compared as engine.js folds them:
   *  results come from it, so it is loaded). */
  function excerpt(content, query) {
    var text = content || "";
    var words = text.split(/\s+/).filter(Boolean);
    var terms = fold(query).split(/[^a-z0-9]+/).filter(Boolean);
    var hit = function (word) {
      var w = fold(word).replace(/[^a-z0-9]/g, "");
      return w && terms.some(function (t) { return w.indexOf(t) === 0; });
    };
    var first = words.findIndex(hit);
    var start = Math.max(0, (first < 0 ? 0 : first) - 8);
    var p = el("p", "htx-result__excerpt");
    if (start > 0) p.append("… ");
    words.slice(start, start + 26).forEach(function (word, i) {
      if (i) p.append(" ");
      if (hit(word)) p.append(el("mark", null, word)); else p.append(word);
    });
    if (start + 26 < words.length) p.append(" …");
    return p;
  }

  function plural(n, noun) { return n.toLocaleString(T.locale) + " " + noun; }

  /* ---- header search ---------------------------------------------------------------------- */

  function headerSearch(box) {
    var toggle = document.getElementById("__search");
    var form = box.querySelector("form");
    var input = box.querySelector(".md-search__input");
    var status = box.querySelector(".md-search-result__meta");
    var list = box.querySelector(".md-search-result__list");
    var catalog = new URL(box.getAttribute("data-catalog"), location.href).href;
    var placeholder = status.textContent;
    var seq = 0, timer = 0, shown = 0, current = null;

    function open() {
      if (toggle && !toggle.checked) { toggle.checked = true; toggle.dispatchEvent(new Event("change")); }
      index();
    }
    function close() {
      if (toggle && toggle.checked) { toggle.checked = false; toggle.dispatchEvent(new Event("change")); }
      input.blur();
    }

    function setStatus(text, link) {
      status.textContent = text;
      if (link) {
        status.append(" ");
        var a = el("a", "htx-result__browse", T.browse);
        a.href = catalog;
        status.append(a, ".");
      }
    }

    function item(data, query) {
      var kind = (data.meta && data.meta.kind) || "trang";
      var li = el("li", "md-search-result__item htx-result htx-result--" + kind);
      var a = el("a", "md-search-result__link");
      a.href = data.url;
      var article = el("article", "md-search-result__article htx-result__article");
      var img = thumb(data, data.url, 64, 48, "htx-result__thumb");
      if (img) article.append(img);
      var body = el("div", "htx-result__body");
      body.append(el("div", "htx-result__title", (data.meta && data.meta.title) || data.url));
      if (kind === "san-pham") {
        body.append(el("div", "htx-result__by", [data.meta.coop, data.meta.commune].filter(Boolean).join(" · ")));
        if (data.meta.price) body.append(el("div", "htx-result__price", data.meta.price));
      } else if (kind === "hop-tac-xa") {
        body.append(el("div", "htx-result__by", [data.meta.kindlabel, data.meta.commune].filter(Boolean).join(" · ")));
      } else {
        body.append(excerpt(data.content, query));
      }
      article.append(body);
      a.append(article);
      li.append(a);
      return li;
    }

    function showMore(query) {
      var li = el("li", "md-search-result__item htx-result__more");
      var button = el("button", "htx-result__more-button", T.more);
      button.type = "button";
      button.addEventListener("click", function () {
        li.remove();
        render(query, current, shown, true);
      });
      li.append(button);
      list.append(li);
    }

    /** Show results from..from+PAGE: the first batch replaces the list at once (no empty flash), later ones
     *  are appended. data-query tells which query the list shows (tests and assistive tech rely on it). */
    function render(query, search, from, focusFirst) {
      var my = seq;
      return Promise.all(search.results.slice(from, from + PAGE).map(function (r) { return r.data(); })).then(function (rows) {
        if (my !== seq) return;
        var items = rows.map(function (data) { return item(data, query); });
        if (from === 0) list.replaceChildren.apply(list, items); else items.forEach(function (li) { list.append(li); });
        shown = from + rows.length;
        if (shown < search.results.length) showMore(query);
        list.setAttribute("data-query", query);
        if (focusFirst && items[0]) items[0].querySelector("a").focus();
      });
    }

    function run() {
      var query = input.value.normalize("NFC").trim();
      var my = ++seq;
      if (!query) {
        list.textContent = "";
        list.setAttribute("data-query", "");
        setStatus(placeholder);
        return Promise.resolve();
      }
      var raw = input.value.normalize("NFC");
      return index().then(function (engine) {
        return engine.search(raw);
      }).then(function (search) {
        if (my !== seq || !search) return;
        current = search;
        var n = search.results.length;
        if (!n) {
          list.textContent = "";
          list.setAttribute("data-query", query);
          setStatus(T.none.replace("{q}", query), true);
          return;
        }
        return render(query, search, 0, false).then(function () {
          if (my === seq) setStatus(n === 1 ? T.one : plural(n, T.results));
        });
      }).catch(function () {
        if (my !== seq) return;
        list.textContent = "";
        list.setAttribute("data-query", query);
        setStatus(T.failed, true);
      });
    }

    function schedule() {
      clearTimeout(timer);
      // Only a pause in typing searches: each search fetches the files of its words, and the short
      // prefixes of a word being typed ("d", "du"…) would fetch files the final query never needs.
      timer = setTimeout(run, 180);
    }

    input.addEventListener("focus", open);
    input.addEventListener("input", schedule);
    if (toggle) toggle.addEventListener("change", function () {
      if (toggle.checked && document.activeElement !== input) input.focus();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      run().then(function () {
        var first = list.querySelector("a");
        if (first) location.href = first.href;
      });
    });
    form.addEventListener("reset", function () {
      setTimeout(function () { run(); input.focus(); });
    });

    // Keyboard: / s f open the search (as in Material); ↑ ↓ move through the results; Esc closes.
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      var target = event.target;
      var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
      if (!typing && (event.key === "/" || event.key === "s" || event.key === "f")) {
        event.preventDefault();
        open();
        input.focus();
        input.select();
        return;
      }
      if (event.key === "Escape" && toggle && toggle.checked) {
        event.preventDefault();
        close();
        return;
      }
      if (!box.contains(target)) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        var items = [input].concat(Array.prototype.slice.call(list.querySelectorAll("a, button")));
        var at = items.indexOf(target);
        if (at < 0) return;
        event.preventDefault();
        var next = items[Math.min(items.length - 1, Math.max(0, at + (event.key === "ArrowDown" ? 1 : -1)))];
        next.focus();
      }
    });
  }

  /* ---- catalog and directory filters ------------------------------------------------------ */

  function filterPanel(panel) {
    var form = panel.querySelector("form");
    var kind = panel.getAttribute("data-kind");              // san-pham | hop-tac-xa
    var noun = kind === "san-pham" ? T.products : T.coops;
    var status = panel.querySelector(".htx-filter__status");
    var results = panel.querySelector(".htx-filter__results");
    var more = panel.querySelector(".htx-filter__more");
    var statics = document.querySelectorAll("[data-htx-static], .htx-listing .htx-pager");
    var box = panel.querySelector("details");
    var count = panel.querySelector(".htx-filter__count");
    var seq = 0, current = null, shown = 0;

    /** The form's state as URL parameters (only what is set), in the form's order. */
    function state() {
      var params = new URLSearchParams();
      Array.prototype.forEach.call(form.elements, function (field) {
        if (!field.name || field.disabled) return;
        if (field.type === "checkbox") { if (field.checked) params.append(field.name, field.value); }
        else if (field.value) params.append(field.name, field.value);
      });
      return params;
    }

    function restore(params) {
      Array.prototype.forEach.call(form.elements, function (field) {
        if (!field.name) return;
        if (field.type === "checkbox") field.checked = params.getAll(field.name).indexOf(field.value) >= 0;
        else if (field.tagName === "SELECT") {
          var wanted = params.get(field.name) || "";
          field.value = Array.prototype.some.call(field.options, function (o) { return o.value === wanted; }) ? wanted : "";
        }
      });
    }

    /** The engine's filters for the URL parameters. */
    function filters(params) {
      var f = {};
      if (params.get("danh-muc")) f["danh-muc"] = params.get("danh-muc");
      if (params.get("xa")) f.xa = params.get("xa");
      if (params.get("linh-vuc")) f["linh-vuc"] = params.get("linh-vuc");
      var stars = parseInt(params.get("ocop"), 10);
      if (stars >= 3 && stars <= 5) f.ocop = { any: ["3", "4", "5"].filter(function (s) { return +s >= stars; }) };
      var certs = params.getAll("chung-nhan");
      if (certs.length) f["chung-nhan"] = { any: certs };
      // "In season" means a seasonal product harvested this month; year-round products (no months given,
      // marked "ca-nam") are their own choice, so that the filter does not match nearly everything.
      var season = params.get("mua");
      if (season === "dang-mua") f.thang = String(new Date().getMonth() + 1);
      else if (season === "quanh-nam") f.thang = "ca-nam";
      return f;
    }

    /** The sort for the "Sắp xếp" choice: by price (htx writes both keys on every product page, products
     *  without a price last), else none: the catalog's own order (active OCOP stars first, then name). */
    function sorting(params) {
      var by = params.get("sap-xep");
      if (by === "gia-thap") return { "gia-len": "asc" };
      if (by === "gia-cao") return { "gia-xuong": "desc" };
      return null;
    }

    function card(data) {
      var li = el("li", kind === "san-pham" ? "htx-card" : "htx-coop-card");
      var meta = data.meta || {};
      if (kind === "san-pham") {
        var a = el("a", "htx-card__link");
        a.href = data.url;
        var media = el("span", "htx-card__media");
        var img = thumb(data, data.url, 320, 240, "htx-photo", "card");
        if (img) media.append(img);
        else {
          // No photo: the product's name on a plain tile, as the built cards show it (never a drawing).
          media.className += " htx-noimg";
          media.setAttribute("aria-hidden", "true");
          media.append(el("span", "htx-noimg__name", meta.title || ""), el("span", "htx-noimg__note", T.noPhoto));
        }
        a.append(media, el("h2", "htx-card__title", meta.title || ""));
        li.append(a, el("p", "htx-card__coop", [meta.coop, meta.commune].filter(Boolean).join(" · ")));
        var line = el("p", "htx-card__meta");
        line.append(el("span", "htx-price", meta.price || T.price));
        var stars = parseInt(meta.ocop, 10);
        if (stars) {
          var badge = el("span", "htx-ocop");
          badge.append(el("span", "htx-visually-hidden", "OCOP " + stars + " sao"));
          var label = el("span", "htx-ocop__label", "OCOP");
          var starsText = el("span", "htx-ocop__stars", "★".repeat(stars));
          label.setAttribute("aria-hidden", "true");
          starsText.setAttribute("aria-hidden", "true");
          badge.append(label, " ", starsText);
          line.append(" ", badge);
        }
        li.append(line);
      } else {
        var link = el("a", "htx-coop-card__link");
        link.href = data.url;
        link.append(el("h2", "htx-coop-card__title", meta.title || ""));
        li.append(link);
        li.append(el("p", "htx-coop-card__meta", [meta.kindlabel, meta.commune, meta.members ? meta.members + T.members : ""].filter(Boolean).join(" · ")));
        if (meta.summary) li.append(el("p", "htx-coop-card__summary", meta.summary));
        if (meta.sectors) {
          var chips = el("p", "htx-coop-card__sectors");
          meta.sectors.split("|").forEach(function (s) { chips.append(el("span", "htx-chip", s)); });
          li.append(chips);
        }
      }
      return li;
    }

    function renderMore() {
      var my = seq;
      var batch = current.results.slice(shown, shown + CARDS);
      more.disabled = true;
      return Promise.all(batch.map(function (r) { return r.data(); })).then(function (rows) {
        if (my !== seq) return;
        var first = null;
        rows.forEach(function (data) {
          var node = card(data);
          first = first || node;
          results.append(node);
        });
        shown += rows.length;
        more.hidden = shown >= current.results.length;
        more.disabled = false;
        more.textContent = T.showMore.replace("{n}", plural(Math.min(CARDS, current.results.length - shown), noun));
        return first;
      });
    }

    function show(filtered) {
      Array.prototype.forEach.call(statics, function (node) { node.hidden = filtered; });
      results.hidden = !filtered;
      if (!filtered) more.hidden = true;
    }

    function apply(push) {
      var params = state();
      var query = params.toString();
      var active = Array.from(params.keys()).filter(function (k) { return k !== "sap-xep"; }).length;   // an order is not a filter
      if (count) count.textContent = active ? "(" + active + ")" : "";
      if (push) history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
      var my = ++seq;
      if (!query) {
        show(false);
        results.textContent = "";
        status.textContent = push ? T.cleared : "";
        return Promise.resolve();
      }
      status.textContent = T.filtering;
      panel.setAttribute("aria-busy", "true");
      return index().then(function (engine) {
        return engine.filter(kind, filters(params), sorting(params));
      }).then(function (search) {
        if (my !== seq) return;
        current = search;
        shown = 0;
        results.textContent = "";
        show(true);
        var n = search.results.length;
        status.textContent = n ? T.found.replace("{n}", plural(n, noun)) : T.nothing.replace("{noun}", noun);
        more.hidden = true;
        return n ? renderMore() : null;
      }).catch(function () {
        if (my !== seq) return;
        show(false);
        status.textContent = T.filterFailed;
      }).then(function () {
        if (my === seq) panel.removeAttribute("aria-busy");
      });
    }

    more.addEventListener("click", function () {
      renderMore().then(function (first) {
        var link = first && first.querySelector("a");
        if (link) link.focus();
      });
    });
    form.addEventListener("change", function () { apply(true); });
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(true); });
    form.addEventListener("reset", function () { setTimeout(function () { apply(true); }); });
    window.addEventListener("popstate", function () { restore(new URLSearchParams(location.search)); apply(false); });

    restore(new URLSearchParams(location.search));
    // The form is open on wide screens and whenever a filter is set; on phones it folds under its summary.
    if (box && (state().toString() || matchMedia("(min-width: 60em)").matches)) box.open = true;
    panel.hidden = false;
    apply(false);
  }

  var box = document.querySelector("[data-htx-search]");
  if (box) headerSearch(box);
  var panel = document.getElementById("htx-filter");
  if (panel && panel.querySelector("form")) filterPanel(panel);
})();
