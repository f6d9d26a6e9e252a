"""The English edition's rules (htx.site.i18n): English twins of URLs both ways, source paths, the unit
glossary, messages with counts, and which page a switch and hreflang lead to."""
from __future__ import annotations

from datetime import date

import pytest

from htx.site.i18n import (Messages, Twins, english_src, english_url, format_date_en, format_vnd_en, language_of,
                           translate_unit, vietnamese_url)

PAIRS = [
    ("", "en/"),
    ("san-pham/", "en/products/"),
    ("san-pham/gao-nong-san/", "en/products/gao-nong-san/"),
    ("san-pham/gao-nong-san/trang/2/", "en/products/gao-nong-san/page/2/"),
    ("san-pham/ocop/", "en/products/ocop/"),
    ("san-pham/htx-a/gao-thom/", "en/products/htx-a/gao-thom/"),
    ("san-pham/htx-a/trang-tri/", "en/products/htx-a/trang-tri/"),      # a product id that starts like the pager
    ("hop-tac-xa/", "en/cooperatives/"),
    ("hop-tac-xa/trang/3/", "en/cooperatives/page/3/"),
    ("hop-tac-xa/htx-a/", "en/cooperatives/htx-a/"),
    ("hop-tac-xa/htx-a/san-pham/", "en/cooperatives/htx-a/products/"),
    ("hop-tac-xa/htx-a/san-pham/trang/2/", "en/cooperatives/htx-a/products/page/2/"),
    ("xa-phuong/", "en/communes/"),
    ("xa-phuong/xa-thoai-son/", "en/communes/xa-thoai-son/"),
    ("xa-phuong/xa-thoai-son/trang/2/", "en/communes/xa-thoai-son/page/2/"),
    ("thong-ke/", "en/statistics/"),
]


@pytest.mark.parametrize(("vi", "en"), PAIRS)
def test_urls_map_both_ways(vi: str, en: str) -> None:
    assert english_url(vi) == en
    assert vietnamese_url(en) == vi
    assert language_of(vi) == "vi" and language_of(en) == "en"


@pytest.mark.parametrize("vi", ["tin-tuc/", "tin-tuc/gioi-thieu/", "su-kien/", "su-kien/2027/hoi-cho/", "bien-tap/tinh-trang/",
                                "ke-hoach/so-lieu/", "hop-tac-xa-kieu-moi/nguyen-tac/", "thong-ke/x/", "tham-gia/"])
def test_pages_only_in_vietnamese_have_no_twin(vi: str) -> None:
    assert english_url(vi) is None


def test_hand_written_pairs_come_from_front_matter() -> None:
    pairs = {"hop-tac-xa-kieu-moi/": "en/new-model-cooperative/"}
    assert english_url("hop-tac-xa-kieu-moi/", pairs) == "en/new-model-cooperative/"
    assert vietnamese_url("en/new-model-cooperative/", pairs) == "hop-tac-xa-kieu-moi/"
    assert english_url("hop-tac-xa-kieu-moi/") is None


@pytest.mark.parametrize(("vi", "en"), [
    ("san-pham/index.md", "en/products/index.md"),
    ("san-pham/htx-a/gao-thom.md", "en/products/htx-a/gao-thom.md"),
    ("san-pham/gao-nong-san/trang/2.md", "en/products/gao-nong-san/page/2.md"),
    ("hop-tac-xa/htx-a.md", "en/cooperatives/htx-a.md"),
    ("hop-tac-xa/htx-a/san-pham/trang/2.md", "en/cooperatives/htx-a/products/page/2.md"),
    ("xa-phuong/xa-a.md", "en/communes/xa-a.md"),
    ("thong-ke/index.md", "en/statistics/index.md"),
])
def test_source_paths_of_english_pages(vi: str, en: str) -> None:
    assert english_src(vi) == en


@pytest.mark.parametrize(("unit", "english"), [
    ("túi 5 kg", "5 kg bag"), ("chai 500 ml", "500 ml bottle"), ("hũ 500 g", "500 g jar"), ("kg", "kg"),
    ("Hộp 10 gói", "box of 10 packs"), ("người/đêm", "person/night"), ("bao 25 kg", "25 kg sack"),
    ("chai 1,5 lít", "1.5 litre bottle"), ("cái", "piece"), ("hộp 1 cái", "box of 1 piece"),
])
def test_units_from_the_glossary(unit: str, english: str) -> None:
    assert translate_unit(unit) == english


@pytest.mark.parametrize("unit", ["xấp lá chuối", "túi zip đặc biệt", "", "   "])
def test_units_outside_the_glossary_are_not_half_translated(unit: str) -> None:
    assert translate_unit(unit) is None


def test_english_money_and_dates() -> None:
    assert format_vnd_en(1250000) == "1,250,000\u00a0VND"
    assert format_date_en(date(2027, 3, 15)) == "15 March 2027"


def test_messages_in_english_and_vietnamese() -> None:
    en, vi = Messages("en"), Messages("vi")
    assert en("Sản phẩm của %(name)s", name="HTX A") == "Products of HTX A"
    assert vi("Sản phẩm của %(name)s", name="HTX A") == "Sản phẩm của HTX A"
    assert en.ngettext("%(num)d sản phẩm", "%(num)d sản phẩm", 1) % {"num": 1} == "1 product"
    assert en.ngettext("%(num)d sản phẩm", "%(num)d sản phẩm", 3) % {"num": 3} == "3 products"
    assert vi.ngettext("%(num)d sản phẩm", "%(num)d sản phẩm", 3) % {"num": 3} == "3 sản phẩm"
    assert en("Một câu chưa dịch") == "Một câu chưa dịch" and "Một câu chưa dịch" in en.missing
    assert not vi.missing


def test_twins_switch_and_menu() -> None:
    urls = {"", "en/", "san-pham/", "en/products/", "tin-tuc/", "en/how-to-buy/", "hop-tac-xa-kieu-moi/",
            "en/new-model-cooperative/", "xa-phuong/"}
    twins = Twins(urls, {"hop-tac-xa-kieu-moi/": "en/new-model-cooperative/"})
    assert twins.twin("san-pham/") == "en/products/" and twins.twin("en/products/") == "san-pham/"
    assert twins.twin("xa-phuong/") is None                       # its English page is not in this build
    assert twins.switch("tin-tuc/") == ("en/", "en")              # only in Vietnamese: the English home
    assert twins.switch("en/how-to-buy/") == ("", "vi")           # only in English: the Vietnamese home
    assert twins.switch("hop-tac-xa-kieu-moi/") == ("en/new-model-cooperative/", "en")
    assert [url for _title, url in twins.menu()] == ["en/", "en/products/", "en/new-model-cooperative/", "en/how-to-buy/"]
    assert twins.active("en/products/htx-a/x/") == "en/products/" and twins.active("en/") == "en/"


@pytest.mark.parametrize(("name", "words"), [
    ("Tiêu đen Phú Quốc hũ 200 g", "pepper"), ("Nước mắm nhĩ Gió Biển 43 độ đạm", "fish sauce"),
    ("Khô cá lóc một nắng", "dried fish"), ("Đường thốt nốt nguyên chất", "palm sugar"),
    ("Tiểu cảnh bonsai", ""),                 # tiểu is not tiêu: words are matched with their marks
    ("Gạo đạt tiêu chuẩn hữu cơ", "organic rice"),  # "tiêu chuẩn" (standard) is no pepper
])
def test_search_words_for_english_pages(name: str, words: str) -> None:
    from htx.site.i18n import search_keywords

    assert search_keywords(name) == words
