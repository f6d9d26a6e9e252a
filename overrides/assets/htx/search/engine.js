/* The search engine: reads the static index htx.publish.search writes under search/ (its docstring explains
 * the files) and ranks pages for a query, or lists the pages a filter keeps. Loaded by search.js on first use.
 *
 * Ranking, in this order:
 *   1. pages holding every query word (else, the most of them);
 *   2. when the visitor typed diacritics, pages with more words spelled exactly as typed ("dứa" before "đưa");
 *   3. where the words stand: for each query word its best match, weighted by place (a title's first word
 *      12, the rest of the title 10, names 4, text 1: "Đường thốt nốt…" before "Trải nghiệm làm đường…"),
 *      halved when only a longer word matches a half-typed last word ("tra": "trà" before "tràm"); two query
 *      words side by side in a title or name ("chau doc") add twice their place's weight;
 *   4. the same, each match also weighted by how rare its word is (log(1 + pages / pages with the word));
 *   5. the catalog's own order (page number).
 * Words are compared folded (no tone marks, đ → d, lower case), as the index stores them.
 */

var TIER_WEIGHT = [12, 10, 4, 1];   // a title's first word, the rest of the title, names, text
var PREFIX_WEIGHT = 0.5;
var PAIR_WEIGHT = 2;
var EXPANSIONS = 5;        // longer words looked up for a half-typed last word (the most common ones)
var MAX_WORD = 40;
var MAX_DIGITS = 4;

/** Lower case, no tone or vowel marks, đ → d (htx.data.text.fold, which the index is built with). */
export function fold(text) {
  return text.normalize("NFD").replace(/\p{Mn}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
}

/** The words of text as written, lower case NFC (htx.publish.search.words). */
export function words(text) {
  return text.normalize("NFC").toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
}

/** The folded form a word is indexed under, or null (htx.publish.search.term). */
export function term(word) {
  var folded = fold(word);
  if (!/^[a-z0-9]+$/.test(folded) || folded.length > MAX_WORD) return null;
  if (/^[0-9]+$/.test(folded) && folded.length > MAX_DIGITS) return null;
  return folded;
}

function shard(key) { return key.slice(0, 3); }

function decode(deltas) {
  var out = new Array(deltas.length), at = 0;
  for (var i = 0; i < deltas.length; i++) { at += deltas[i]; out[i] = at; }
  return out;
}

/** Open the index of the site at root (a URL ending in /); index: its folder from root ("search/", or
 *  "search/en/" for the English pages). */
export function open(root, index) {
  var base = new URL(index || "search/", root);   // "search/en/": the English pages' index
  var files = new Map();
  // index.json names this build's folder; revalidated so that a new deploy is seen at once.
  var manifest = fetch(new URL("index.json", base), { cache: "no-cache" }).then(function (response) {
    if (!response.ok) throw new Error("search index: " + response.status);
    return response.json();
  }).then(function (m) {
    if (m.format !== 1) throw new Error("search index format " + m.format);
    m.dir = new URL(m.version + "/", base);
    m.shardSet = new Set(m.shards);
    return m;
  });

  function get(m, path) {
    if (!files.has(path)) {
      var promise = fetch(new URL(path, m.dir)).then(function (response) {
        if (!response.ok) throw new Error(path + ": " + response.status);
        return response.json();
      });
      promise.catch(function () { files.delete(path); });
      files.set(path, promise);
    }
    return files.get(path);
  }

  function list(m, key) {
    return m.shardSet.has(shard(key)) ? get(m, "w/" + shard(key) + ".json") : Promise.resolve({});
  }

  function kindOf(m, id) {
    for (var kind in m.kinds) {
      var range = m.kinds[kind];
      if (id >= range[0] && id < range[0] + range[1]) return kind;
    }
    return "trang";
  }

  /** A result as search.js shows it: {url, meta: {title, kind, image, …}, content}. */
  function result(m, id) {
    return {
      id: id,
      data: function () {
        return get(m, "d/" + Math.floor(id / m.chunk) + ".json").then(function (chunk) {
          var entry = chunk[id % m.chunk];
          var meta = Object.assign({}, entry[2], { title: entry[1], kind: kindOf(m, id) });
          ["image", "card"].forEach(function (name) {
            if (meta[name] && !/^(\/|[a-z]+:)/.test(meta[name])) meta[name] = new URL(meta[name], root).pathname;
          });
          return { url: new URL(entry[0], root).pathname, meta: meta, content: entry[3] || "" };
        });
      },
    };
  }

  /** Rank the pages for a query; resolves to {results: [{id, data()}]}. */
  function search(query) {
    return manifest.then(function (m) {
      var text = query.normalize("NFC").toLowerCase();
      var typing = !/[^\p{L}\p{N}]$/u.test(text);          // the last word may be half-typed
      var asked = [];
      words(text).forEach(function (word) {
        var key = term(word);
        if (key) asked.push({ word: word, key: key, marked: word !== fold(word) });
      });
      if (!asked.length) return { results: [] };
      var keys = asked.map(function (q) { return q.key; });
      var last = keys[keys.length - 1];
      // A half-typed last word of two letters: the most common words starting with them (x/<ab>.json, one
      // for each two-letter start of a word list).
      var start = typing && last.length === 2 && m.shards.some(function (s) { return s.indexOf(last) === 0; })
        ? get(m, "x/" + last + ".json") : Promise.resolve({});
      return Promise.all(keys.map(function (key) { return list(m, key); }).concat([start])).then(function (lists) {
        var known = {};
        known[" " + last] = lists.pop();
        lists.forEach(function (l) { Object.assign(known, l); });
        var paired = new Set(lists.reduce(function (all, l) { return all.concat(l._pairs || []); }, []));
        // Pairs of adjacent query words, looked up only where the first word begins some pair.
        var firsts = keys.slice(0, -1).filter(function (key, i, all) { return paired.has(key) && all.indexOf(key) === i; });
        return Promise.all(firsts.map(function (key) { return get(m, "p/" + key + ".json"); })).then(function (found) {
          var pairs = [];
          for (var i = 0; i + 1 < keys.length; i++) {
            var at = firsts.indexOf(keys[i]);
            if (at >= 0 && found[at][keys[i + 1]]) {
              known[keys[i] + "_" + keys[i + 1]] = found[at][keys[i + 1]];
              if (pairs.indexOf(keys[i] + "_" + keys[i + 1]) < 0) pairs.push(keys[i] + "_" + keys[i + 1]);
            }
          }
          return lookup(m, asked, pairs, known, typing);
        });
      });
    });
  }

  /** Fetch the postings of the query's words, of a half-typed last word's longer forms and of its pairs;
   *  rank the pages they hold. */
  function lookup(m, asked, pairs, known, typing) {
    var wanted = [];
    asked.forEach(function (q, i) {
      q.terms = [];
      if (known[q.key]) q.terms.push({ key: q.key, whole: true });
      if (typing && i === asked.length - 1 && q.key.length >= 2) {
        var longer = q.key.length === 2 ? known[" " + q.key] || {} : known;
        Object.keys(longer).filter(function (k) {
          return k !== q.key && k.indexOf("_") < 0 && k.indexOf(q.key) === 0;
        }).sort(function (a, b) { return longer[b] - longer[a] || (a < b ? -1 : 1); })
          .slice(0, EXPANSIONS).forEach(function (k) { known[k] = longer[k]; q.terms.push({ key: k, whole: false }); });
      }
      q.terms.forEach(function (t) { wanted.push(t.key); });
    });
    var keys = wanted.concat(pairs);
    return Promise.all(keys.map(function (key) { return get(m, "t/" + key + ".json"); })).then(function (loaded) {
      var postings = {};
      keys.forEach(function (key, n) { postings[key] = loaded[n]; });
      return { results: rank(m, asked, pairs, postings, known).map(function (id) { return result(m, id); }) };
    });
  }

  function rank(m, asked, pairs, postings, known) {
    var docs = new Map();      // page → {place, score, matched, exact}
    asked.forEach(function (q) {
      var best = new Map();    // page → [place, score, exact]
      q.terms.forEach(function (t) {
        var rare = Math.log(1 + m.pages / Math.max(known[t.key] || 1, 1));
        var part = t.whole ? 1 : PREFIX_WEIGHT;
        var spellings = postings[t.key];
        Object.keys(spellings).forEach(function (spelling) {
          var exact = q.marked && (t.whole ? spelling === q.word : spelling.indexOf(q.word) === 0);
          spellings[spelling].forEach(function (deltas, tier) {
            var place = TIER_WEIGHT[tier] * part;
            decode(deltas).forEach(function (id) {
              var had = best.get(id);
              if (!had) best.set(id, [place, place * rare, exact]);
              else {
                if (place > had[0]) had[0] = place;
                if (place * rare > had[1]) had[1] = place * rare;
                had[2] = had[2] || exact;
              }
            });
          });
        });
      });
      best.forEach(function (value, id) {
        var doc = docs.get(id);
        if (!doc) docs.set(id, doc = { place: 0, score: 0, matched: 0, exact: 0, id: id });
        doc.place += value[0];
        doc.score += value[1];
        doc.matched += 1;
        if (value[2]) doc.exact += 1;
      });
    });
    pairs.forEach(function (pair) {
      var rare = Math.log(1 + m.pages / Math.max(known[pair], 1));
      var spellings = postings[pair];
      Object.keys(spellings).forEach(function (spelling) {
        spellings[spelling].forEach(function (deltas, tier) {
          decode(deltas).forEach(function (id) {
            var doc = docs.get(id);
            if (doc) {
              doc.place += TIER_WEIGHT[tier] * PAIR_WEIGHT;
              doc.score += TIER_WEIGHT[tier] * PAIR_WEIGHT * rare;
            }
          });
        });
      });
    });
    var all = Array.from(docs.values());
    var every = all.filter(function (d) { return d.matched === asked.length; });
    return (every.length ? every : all).sort(function (a, b) {
      return b.exact - a.exact || b.matched - a.matched || b.place - a.place || b.score - a.score || a.id - b.id;
    }).map(function (d) { return d.id; });
  }

  /** The pages of a kind that every filter keeps, in the catalog's order or by a sort key.
   *  filters: {name: "value" | {any: [values]}}; sort: {name: "asc" | "desc"} (none: the catalog's order). */
  function filter(kind, filters, sort) {
    return manifest.then(function (m) {
      var range = m.kinds[kind] || [0, 0];
      var sets = Object.keys(filters || {}).map(function (name) {
        var want = filters[name];
        var values = (typeof want === "string" ? [want] : want.any || []).filter(function (v) {
          return m.filters[name] && m.filters[name][v];     // an unknown value keeps nothing (and fetches nothing)
        });
        return Promise.all(values.map(function (v) { return get(m, "f/" + name + "/" + v + ".json"); })).then(function (lists) {
          var set = new Set();
          lists.forEach(function (l) { decode(l).forEach(function (id) { set.add(id); }); });
          return set;
        });
      });
      var by = Object.keys(sort || {})[0];
      var order = by && m.sorts.indexOf(by) >= 0 ? get(m, "s/" + by + ".json") : Promise.resolve(null);
      return Promise.all([Promise.all(sets), order]).then(function (got) {
        var keep = function (id) {
          return id >= range[0] && id < range[0] + range[1] && got[0].every(function (set) { return set.has(id); });
        };
        var ids = [];
        if (got[1]) {
          var groups = sort[by] === "desc" ? got[1].slice().reverse() : got[1];
          groups.forEach(function (group) { decode(group[1]).forEach(function (id) { if (keep(id)) ids.push(id); }); });
        } else {
          for (var id = range[0]; id < range[0] + range[1]; id++) if (keep(id)) ids.push(id);
        }
        return { results: ids.map(function (id) { return result(m, id); }) };
      });
    });
  }

  return { search: search, filter: filter, ready: manifest };
}
