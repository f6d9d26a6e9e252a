/* Profile builder of /tham-gia/tao-ho-so/: checks the answers against the profile schema's formats
 (scripts/htx/model.py) and writes profile.yml. Vanilla JS, no dependencies; nothing is sent anywhere.
 The communes and the repository come from the page's JSON data (#htx-b-data, htx.site.handwritten.builder_data_block):
 the commune answer follows htx.communes.Communes.lookup step by step, with the same messages. */
(() => {
"use strict";
var form = document.getElementById("htx-builder");
if (!form) return;
function $(id) { return document.getElementById("htx-b-" + id); }
function all(sel, root) { return (root || form).querySelectorAll(sel); }
function mk(tag) { return document.createElement(tag); }
var errorsBox = $("errors"), result = $("result"), yamlBox = $("yaml"),
  statusBox = $("status"), slugBox = $("ma"), nameBox = $("ten"),
  productsBox = $("products"), github = $("github");
var slugEdited = false, productSeq = 1, REQ = "Chưa điền {}.";
// The person filling the form confirms the information today (they may change the date).
if (!$("xac_nhan_ngay").value) $("xac_nhan_ngay").value = today();

// text: the rules of htx.text.slugify and htx.issue_form.coop_slug
function fold(s) {
  return s.normalize("NFD").replace(/\p{Mn}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
}
function slugify(s) { return fold(s).replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, ""); }
function cut(s, n) {
  if (s.length <= n) return s;
  s = s.slice(0, n);
  var i = s.lastIndexOf("-");
  return i >= 0 ? s.slice(0, i) : s;
}
function coopSlug(name) {
  var s = slugify(name);
  if (s.indexOf("hop-tac-xa-") === 0) s = "htx-" + s.slice(11);
  return cut(s, 60);
}
function line(s) { return s.replace(/\s+/g, " ").trim(); }

// YAML: free text always double-quoted, with YAML escapes
var ESC = { "\\": "\\\\", "\"": "\\\"", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\u0000": "\\0",
  "\u0085": "\\N", "\u2028": "\\L", "\u2029": "\\P" };
function esc(c) {
  if (ESC[c]) return ESC[c];
  var h = c.charCodeAt(0).toString(16).toUpperCase();
  return h.length <= 2 ? "\\x" + ("0" + h).slice(-2) : "\\u" + ("000" + h).slice(-4);
}
function q(s) {
  if (s.toWellFormed) s = s.toWellFormed();
  return "\"" + s.replace(/[\\"\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g, esc) + "\"";
}
var RESERVED = /^(null|true|false|yes|no|on|off|y|n|~)$/;
function key(s) { return RESERVED.test(s) ? q(s) : s; }

// formats (htx.data.model)
var SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/, EMAIL = /^[A-Za-z0-9._+-]+@([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/,
  HOST = /^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})$/,
  HTTPS = /^https:\/\/[^\s\/$.?#<>"'][^\s<>"']*$/i, MONEY = /^(\d{1,3}(\.\d{3})+|\d+)$/;
function phoneOk(v) {
  if (!/^\+?[0-9 .\-()]+$/.test(v)) return false;
  var d = v.replace(/[^0-9]/g, "");
  if (v.charAt(0) === "+") {
    if (d.indexOf("84") !== 0) return false;
    d = "0" + d.slice(2);
  }
  if (/^(1800|1900)/.test(d) && (d.length === 8 || d.length === 10)) return true;
  // Landlines: 02xx + 7 digits (11); mobiles: 10 digits, never 02… (as check_phone).
  if (d.indexOf("02") === 0) return d.length === 11;
  return d.charAt(0) === "0" && d.indexOf("00") !== 0 && d.length === 10;
}
// A link a reader can trust by its look (as check_url): https, ASCII host name, no user-info, default port.
function linkHost(v) {
  if (!HTTPS.test(v)) return null;
  var u;
  try { u = new URL(v); } catch (e) { return null; }
  var authority = v.split("/")[2];   // as written: URL() would turn an IDN host into punycode
  if (u.username || u.password || authority.indexOf("@") >= 0 || /[^\x21-\x7e]/.test(authority)) return null;
  if (u.port && u.port !== "443") return null;
  return HOST.test(u.hostname) ? u.hostname : null;
}
// Today as the profile writes dates (dd/mm/yyyy), and a date's day number to compare two of them.
function today() {
  var t = new Date();
  return ("0" + t.getDate()).slice(-2) + "/" + ("0" + (t.getMonth() + 1)).slice(-2) + "/" + t.getFullYear();
}
function dayNumber(v) {
  var m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v) || [];
  var iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (iso) m = [v, iso[3], iso[2], iso[1]];
  return Date.UTC(+m[3], +m[2] - 1, +m[1]);
}
function dateOk(v) {
  var m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v), y, mo, d;
  if (m) { d = +m[1]; mo = +m[2]; y = +m[3]; } else {
    m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
    if (!m) return false;
    y = +m[1]; mo = +m[2]; d = +m[3];
  }
  var t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && y >= 1945 && y <= 2100;
}
// communes: htx.communes (lookup, normalise) and htx.text.suggest (difflib.get_close_matches, n=1, cutoff 0.6)
var dataBox = document.getElementById("htx-b-data"), C = dataBox ? JSON.parse(dataBox.textContent) : null;
function words(s) { return s.split(/\s+/).filter(Boolean).join(" "); }
var ABBR = C ? new RegExp("^(" + Object.keys(C.abbreviations).sort((a, b) => b.length - a.length)
  .map((k) => k.replace(/\./g, "\\.")).join("|") + ")\\s*") : null;
function normalise(t) {
  var f = words(fold(t)), m = ABBR.exec(f);
  if (m) f = C.abbreviations[m[1]] + " " + f.slice(m[0].length);
  return words(f);
}
function strip(f, prefixes) {
  for (var i = 0; i < prefixes.length; i++) if (f.indexOf(prefixes[i]) === 0) return f.slice(prefixes[i].length);
  return f;
}
function unit(code) { return C.units.filter((u) => u.code === code)[0]; }
function shortName(u) { return u.type === "đặc khu" ? u.name.split(" ").slice(2).join(" ") : u.name.split(" ").slice(1).join(" "); }
function matched(a, b) {  // difflib.SequenceMatcher(None, a, b): characters in matching blocks (no junk under 200)
  var b2j = {}, n = 0, queue = [[0, a.length, 0, b.length]];
  for (var j = 0; j < b.length; j++) (b2j[b[j]] = b2j[b[j]] || []).push(j);
  while (queue.length) {
    var q = queue.pop(), alo = q[0], ahi = q[1], blo = q[2], bhi = q[3], bi = alo, bj = blo, k = 0, j2 = {};
    for (var i = alo; i < ahi; i++) {
      var next = {}, js = b2j[a[i]] || [];
      for (var x = 0; x < js.length; x++) {
        var jj = js[x];
        if (jj < blo) continue;
        if (jj >= bhi) break;
        var len = next[jj] = (j2[jj - 1] || 0) + 1;
        if (len > k) { bi = i - len + 1; bj = jj - len + 1; k = len; }
      }
      j2 = next;
    }
    if (k) {
      n += k;
      if (alo < bi && blo < bj) queue.push([alo, bi, blo, bj]);
      if (bi + k < ahi && bj + k < bhi) queue.push([bi + k, ahi, bj + k, bhi]);
    }
  }
  return n;
}
function suggest(word, choices) {
  var w = fold(word), best = null;
  choices.forEach((c) => {
    var f = fold(c), score = 2 * matched(f, w) / (f.length + w.length);
    if (score >= 0.6 && (!best || score > best.score || (score === best.score && f > best.f))) best = { score: score, f: f, c: c };
  });
  return best ? best.c : null;
}
function say2(key, values) {
  return C.messages[key].replace(/\{(\w+)\}/g, (m, k) => values[k]).replace(/`([^`]*)`/g, "“$1”");
}
// Returns {name} or {message}: the CLI's message and hint (htx validate), quotes for its backticks.
function findCommune(ref) {
  var text = ref.trim(), f, b, typed, hits, found, key;
  if (/^\d+$/.test(text)) {
    found = unit(("00000" + text).slice(-Math.max(5, text.length)));
    return found ? { name: found.name } : { message: say2("commune_unknown", { got: ref }) + " " + say2("commune_unknown_hint_none", {}) };
  }
  f = normalise(text);
  if (C.by_full[f]) return { name: unit(C.by_full[f]).name };
  b = strip(f, C.unit_prefixes);
  typed = b !== f;
  hits = C.by_bare[b] || [];
  if (hits.length === 1 && (!typed || f.indexOf(fold(unit(hits[0]).type)) === 0)) return { name: unit(hits[0]).name };
  if (hits.length > 1) {
    return { message: say2("commune_ambiguous", { got: ref, choices: hits.map((c) => unit(c).name).join(", ") }) + " " + say2("commune_ambiguous_hint", {}) };
  }
  key = C.legacy_full[f] ? f : (!typed && C.legacy_bare[b] ? b : null);
  if (key !== null) {
    return { message: say2("commune_legacy", { got: text }) + " " + say2("commune_legacy_hint", { current: C.current.legacy[key] }) };
  }
  if (C.district_full[f] || (!typed && C.district_bare[f])) {
    return { message: say2("commune_district", { got: text }) + " " + say2("commune_district_hint", { current: C.current.district[f] }) };
  }
  found = C.district_prefixes.some((p) => f.indexOf(p) === 0) ? null
    : suggest(text, C.units.map((u) => u.name)) || suggest(text, C.units.map(shortName));
  return { message: say2("commune_unknown", { got: ref }) + " " +
    (found ? say2("commune_unknown_hint", { suggestion: found }) : say2("commune_unknown_hint_none", {})) };
}

// errors
var errors = [];
function labelOf(el) {
  var l = form.querySelector("label[for=\"" + el.id + "\"]") || (el.querySelector && el.querySelector("legend"));
  var text = l ? line(l.textContent.replace("*", "")) : el.id;
  var product = el.closest && el.closest("[data-product]");
  return product ? line(product.querySelector("legend").textContent) + ": " + text : text;
}
function fail(el, message) {
  if (typeof el == "string") el = $(el);
  errors.push({ el: el, message: message.replace("{}", "“" + labelOf(el) + "”") }); }
function clearErrors() {
  errors = [];
  all(".htx-builder__error").forEach((p) => p.remove());
  all("[aria-invalid]").forEach((el) => {
    el.removeAttribute("aria-invalid");
    var ids = (el.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && id.slice(-6) !== "-error");
    if (ids.length) el.setAttribute("aria-describedby", ids.join(" ")); else el.removeAttribute("aria-describedby");
  });
  errorsBox.hidden = true;
  errorsBox.textContent = "";
}
function showErrors() {
  var list = mk("ul");
  errors.forEach((e) => {
    var p = mk("p");
    p.className = "htx-builder__error";
    p.id = e.el.id + "-error";
    p.textContent = e.message;
    var part = e.el.closest("details");
    if (part) part.open = true;   // an error in a closed part (English) must be seen and reachable
    if (!document.getElementById(p.id)) {
      var field = e.el.closest(".htx-builder__field") || e.el;
      field.appendChild(p);
      e.el.setAttribute("aria-invalid", "true");
      e.el.setAttribute("aria-describedby", ((e.el.getAttribute("aria-describedby") || "") + " " + p.id).trim());
    }
    var li = mk("li"), a = mk("a");
    a.href = "#" + e.el.id;
    a.textContent = e.message;
    a.addEventListener("click", (ev) => {
      ev.preventDefault();
      var target = e.el.matches("fieldset") ? e.el.querySelector("input") : e.el;
      target.focus();
    });
    li.appendChild(a);
    list.appendChild(li);
  });
  var h = mk("h2");
  h.textContent = "Chưa tạo được hồ sơ: cần sửa " + errors.length + " mục";
  errorsBox.appendChild(h);
  errorsBox.appendChild(list);
  errorsBox.hidden = false;
  errorsBox.focus();
}

// Material's back-to-top button would cover the top of the error list while the reader scrolls up (builder.css).
if ("IntersectionObserver" in window) {
  new IntersectionObserver((seen) => {
    document.documentElement.classList.toggle("htx-builder-errors-on-screen", seen[seen.length - 1].isIntersecting);
  }).observe(errorsBox);
}

// reading and checking the answers
function val(id) { return line($(id).value); }
function size(el, v, min, max) {
  if (v && (v.length < min || v.length > max)) fail(el, "{} cần từ " + min + " đến " + max + " ký tự (hiện có " + v.length + ").");
}
function text(id, min, max, required) {
  var el = $(id), v = val(id);
  if (!v && required) fail(el, REQ);
  size(el, v, min, max);
  return v;
}
function link(id) {
  var v = val(id);
  if (v && !linkHost(v)) fail(id, "{} phải là một liên kết bắt đầu bằng https://, tên miền không dấu, không có “@” (ví dụ https://htxbinhminh.vn).");
  return v;
}
function phone(id, required) {
  var v = val(id);
  if (!v) { if (required) fail(id, REQ); return ""; }
  if (!phoneOk(v)) fail(id, "{} không đúng: di động có 10 chữ số, máy bàn 11 chữ số (bắt đầu bằng 02).");
  return v;
}
function zalo(id) {
  var v = val(id);
  if (v && !(phoneOk(v) || ["zalo.me", "chat.zalo.me"].indexOf(linkHost(v)) >= 0)) fail(id, "{} phải là số điện thoại hoặc liên kết https://zalo.me/…");
  return v;
}
function mail(id) {
  var v = val(id);
  if (v && (!EMAIL.test(v) || v.length > 200)) fail(id, "{} không đúng dạng, ví dụ htx.binhminh@gmail.com.");
  return v;
}
// A date as the model takes it; notLater: not after today (the confirmation and consent dates).
function day(id, required, notLater) {
  var v = val(id);
  if (!v) { if (required) fail(id, REQ); return ""; }
  if (!dateOk(v)) fail(id, "{} phải là một ngày có thật, dạng ngày/tháng/năm, ví dụ 15/03/2012.");
  else if (notLater && dayNumber(v) > dayNumber(today())) fail(id, "{} không được sau hôm nay (" + today() + ").");
  return v;
}

function collect() {
  var d = {};
  d.ten = text("ten", 5, 150, true);
  d.ma = val("ma") || coopSlug(d.ten);
  if (d.ten || val("ma")) {
    if (!SLUG.test(d.ma) || d.ma.length < 2 || d.ma.length > 60) {
      fail(slugBox, "{} chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang (2–60 ký tự).");
    }
  }
  d.loai_hinh = $("loai_hinh").value;
  if (!d.loai_hinh) fail("loai_hinh", "Chưa chọn {}.");
  d.linh_vuc = [].map.call(all("input[name=linh_vuc]:checked"), (c) => c.value);
  if (!d.linh_vuc.length) fail("linh_vuc", "Chưa chọn {} nào.");
  if (d.linh_vuc.length > 6) fail("linh_vuc", "Chọn tối đa 6 mục trong {}.");
  var members = val("so_thanh_vien").replace(/[ .]/g, "");
  if (!members) fail("so_thanh_vien", REQ);
  else if (!/^[1-9][0-9]*$/.test(members) || +members > 1000000) fail("so_thanh_vien", "{} phải là một số nguyên từ 1 đến 1.000.000.");
  d.so_thanh_vien = members;
  d.ngay_thanh_lap = day("ngay_thanh_lap", false, false);
  d.so_dang_ky = text("so_dang_ky", 1, 40, false);
  d.gioi_thieu = text("gioi_thieu", 20, 400, true);
  d.xac_nhan_ngay = day("xac_nhan_ngay", true, true);
  d.en_ten = text("en_ten", 5, 150, false);
  d.en_gioi_thieu = text("en_gioi_thieu", 20, 400, false);
  d.ho_ten = text("ho_ten", 1, 200, false);
  d.chuc_vu = text("chuc_vu", 1, 200, true);
  // The representative's own contacts: written whether or not consent is ticked (then held back, never shown).
  d.dd_dien_thoai = phone("dd_dien_thoai", false);
  d.dd_zalo = zalo("dd_zalo");
  d.dd_email = mail("dd_email");
  d.dong_y = $("dong_y").checked;
  if (d.dong_y) {
    d.nguoi_dong_y = text("nguoi_dong_y", 1, 200, true);
    d.vai_tro = text("vai_tro", 1, 200, true);
    d.ngay_dong_y = day("ngay_dong_y", true, true);
    if (d.ngay_dong_y && d.ngay_thanh_lap && dateOk(d.ngay_dong_y) && dateOk(d.ngay_thanh_lap) && dayNumber(d.ngay_dong_y) < dayNumber(d.ngay_thanh_lap)) {
      fail("ngay_dong_y", "{} không được trước ngày thành lập (" + d.ngay_thanh_lap + ").");
    }
  }
  var commune = val("xa_phuong");
  if (!commune) fail("xa_phuong", REQ);
  else {
    var found = findCommune(commune);
    if (found.name) d.xa_phuong = found.name;
    else fail("xa_phuong", found.message);
  }
  d.chi_tiet = text("chi_tiet", 3, 200, true);
  d.dien_thoai = [phone("dien_thoai", true), phone("dien_thoai_2", false)].filter(Boolean);
  d.zalo = zalo("zalo");
  d.email = mail("email");
  d.website = link("website");
  d.facebook = link("facebook");
  d.dich_vu = $("dich_vu").value.split("\n").map(line).map((s) => s.replace(/^[-*•]\s*/, "")).filter(Boolean);
  if (d.dich_vu.length > 15) fail("dich_vu", "{}: tối đa 15 dòng.");
  d.dich_vu.forEach((s) => {
    if (s.length < 3 || s.length > 200) fail("dich_vu", "{}: mỗi dòng từ 3 đến 200 ký tự (“" + s.slice(0, 30) + "”).");
  });
  d.san_pham = collectProducts();
  return d;
}

function collectProducts() {
  var out = [], ids = {};
  all("[data-product]", productsBox).forEach((box, n) => {
    var f = {};
    all("[data-key]", box).forEach((el) => f[el.dataset.key] = el);
    var v = {};
    Object.keys(f).forEach((k) => v[k] = line(f[k].value));
    if (!Object.keys(v).some((k) => v[k])) return;
    if (!v.ten) fail(f.ten, REQ);
    else if (v.ten.length < 2 || v.ten.length > 120) fail(f.ten, "{} cần từ 2 đến 120 ký tự.");
    if (!v.danh_muc) fail(f.danh_muc, "Chưa chọn {}.");
    if (!v.gioi_thieu) fail(f.gioi_thieu, REQ);
    else if (v.gioi_thieu.length < 10 || v.gioi_thieu.length > 300) fail(f.gioi_thieu, "{} cần từ 10 đến 300 ký tự (hiện có " + v.gioi_thieu.length + ").");
    v.gia = v.gia.replace(/\s*(₫|đồng|vnđ|vnd|đ)$/i, "");
    if (v.gia && !MONEY.test(v.gia) && fold(v.gia).replace(/[\s-]/g, "") !== "lienhe") {
      fail(f.gia, "{} ghi số đồng, ví dụ 120000 hoặc 120.000, hoặc ghi “liên hệ”.");
    }
    if (v.don_vi && !v.gia) fail(f.don_vi, "Có {} thì cần ghi cả giá.");
    size(f.en_ten, v.en_ten, 2, 120);
    size(f.en_gioi_thieu, v.en_gioi_thieu, 10, 300);
    var base = cut(slugify(v.ten), 60) || "san-pham-" + (n + 1), id = base, k = 2;
    while (ids[id]) id = cut(base, 57) + "-" + k++;
    ids[id] = true;
    v.ma = id;
    out.push(v);
  });
  return out;
}

// tieng_anh: the English fields given, none of the group when all are empty
function english(L, pad, pairs) {
  pairs = pairs.filter((kv) => kv[1]);
  if (pairs.length) L.push(pad + "tieng_anh:");
  pairs.forEach((kv) => L.push(pad + "  " + kv[0] + ": " + q(kv[1])));
}
function toYaml(d) {
  var L = ["# yaml-language-server: $schema=../profile.schema.json", "ma: " + key(d.ma), "ten: " + q(d.ten),
    "loai_hinh: " + d.loai_hinh, "linh_vuc:"];
  d.linh_vuc.forEach((k) => L.push("  - " + k));
  if (d.ngay_thanh_lap) L.push("ngay_thanh_lap: " + q(d.ngay_thanh_lap));
  if (d.so_dang_ky) L.push("so_dang_ky: " + q(d.so_dang_ky));
  L.push("so_thanh_vien: " + d.so_thanh_vien, "xac_nhan_ngay: " + q(d.xac_nhan_ngay), "nguoi_dai_dien:");
  if (d.ho_ten) L.push("  ho_ten: " + q(d.ho_ten));
  L.push("  chuc_vu: " + q(d.chuc_vu));
  [["dien_thoai", d.dd_dien_thoai], ["zalo", d.dd_zalo], ["email", d.dd_email]].forEach((kv) => {
    if (kv[1]) L.push("  " + kv[0] + ": " + q(kv[1]));
  });
  if (d.dong_y) {
    L.push("dong_y_cong_khai:", "  nguoi_dong_y: " + q(d.nguoi_dong_y), "  vai_tro: " + q(d.vai_tro), "  ngay: " + q(d.ngay_dong_y));
  }
  L.push("dia_chi:", "  chi_tiet: " + q(d.chi_tiet), "  xa_phuong: " + q(d.xa_phuong),
    "lien_he:", "  dien_thoai:");
  d.dien_thoai.forEach((p) => L.push("    - " + q(p)));
  ["zalo", "email", "website", "facebook"].forEach((k) => { if (d[k]) L.push("  " + k + ": " + q(d[k])); });
  L.push("gioi_thieu: " + q(d.gioi_thieu));
  if (d.dich_vu.length) {
    L.push("kieu_moi:", "  dich_vu_thanh_vien:");
    d.dich_vu.forEach((s) => L.push("    - " + q(s)));
  }
  english(L, "", [["ten", d.en_ten], ["gioi_thieu", d.en_gioi_thieu]]);
  if (d.san_pham.length) {
    L.push("san_pham:");
    d.san_pham.forEach((p) => {
      L.push("  - ma: " + key(p.ma), "    ten: " + q(p.ten), "    danh_muc: " + p.danh_muc, "    gioi_thieu: " + q(p.gioi_thieu));
      if (p.gia) L.push("    gia: " + q(p.gia));
      if (p.don_vi) L.push("    don_vi: " + q(p.don_vi));
      english(L, "    ", [["ten", p.en_ten], ["gioi_thieu", p.en_gioi_thieu], ["don_vi", p.en_don_vi]]);
    });
  }
  return L.join("\n") + "\n";
}

function say(message) { statusBox.textContent = message; }

form.addEventListener("submit", (ev) => {
  ev.preventDefault();
  clearErrors();
  var d = collect();
  if (errors.length) {
    result.hidden = true;
    yamlBox.value = "";
    showErrors();
    return;
  }
  var yaml = toYaml(d), repo = C && C.repository, branch = (C && C.branch) || "main";
  var held = (d.dong_y ? [] : [["ho_ten", "họ tên"], ["dd_dien_thoai", "số di động riêng"], ["dd_zalo", "Zalo riêng"],
    ["dd_email", "thư riêng"]].filter((kv) => d[kv[0]]).map((kv) => kv[1]));
  yamlBox.value = yaml;
  // No repository in the settings (extra.repository): no GitHub route to offer.
  $("via-github").hidden = github.hidden = !repo;
  if (repo) github.href = "https://github.com/" + repo + "/new/" + branch + "/cooperatives/" + d.ma +
    "?filename=profile.yml&value=" + encodeURIComponent(yaml);
  // Written but flagged: without consent the representative's personal fields are kept and not shown.
  say(held.length ? "Lưu ý: chưa đánh dấu “Đồng ý công khai”, nên " + held.join(", ") +
    " của người đại diện được ghi vào tệp nhưng sẽ không hiện trên trang." : "");
  result.hidden = false;
  $("result-title").focus();
});

form.addEventListener("input", (ev) => {
  if (ev.target === slugBox) slugEdited = slugBox.value !== "";
  if (ev.target === nameBox && !slugEdited) slugBox.value = coopSlug(nameBox.value);
  if (!result.hidden) say("Biểu mẫu đã thay đổi: bấm “Tạo hồ sơ” để cập nhật nội dung tệp.");
});

// products: add and remove
function renumber() {
  all("[data-product-number]", productsBox).forEach((s, i) => s.textContent = i + 1);
}
$("add-product").addEventListener("click", () => {
  var boxes = all("[data-product]", productsBox), copy = boxes[0].cloneNode(true), n = productSeq++;
  all("[id]", copy).forEach((el) => {
    var old = el.id;
    el.id = old.replace(/^htx-b-sp\d+-/, "htx-b-sp" + n + "-");
    var l = copy.querySelector("label[for=\"" + old + "\"]");
    if (l) l.htmlFor = el.id;
    el.value = "";
    el.removeAttribute("aria-invalid");
    el.removeAttribute("aria-describedby");
  });
  all(".htx-builder__error", copy).forEach((p) => p.remove());
  boxes[boxes.length - 1].after(copy);
  renumber();
  copy.querySelector("input").focus();
});
productsBox.addEventListener("click", (ev) => {
  var button = ev.target.closest("[data-remove-product]");
  if (!button) return;
  var boxes = all("[data-product]", productsBox), box = button.closest("[data-product]");
  if (boxes.length > 1) {
    box.remove();
    renumber();
    $("add-product").focus();
  } else {
    all("[data-key]", box).forEach((el) => el.value = "");
  }
});

// copy and download
function copyFallback() {
  yamlBox.focus();
  yamlBox.select();
  var done = false;
  try { done = document.execCommand("copy"); } catch (e) { done = false; }
  say(done ? "Đã sao chép nội dung tệp." : "Chưa sao chép tự động được: nội dung đã được chọn, hãy bấm giữ rồi chọn Sao chép (hoặc Ctrl+C).");
}
$("copy").addEventListener("click", () => {
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(yamlBox.value).then(() => { say("Đã sao chép nội dung tệp."); }, copyFallback);
  } else copyFallback();
});
$("download").addEventListener("click", () => {
  var a = mk("a");
  a.href = URL.createObjectURL(new Blob([yamlBox.value], { type: "text/yaml;charset=utf-8" }));
  a.download = "profile.yml";
  document.body.appendChild(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  say("Đã tải về tệp profile.yml.");
});
})();
