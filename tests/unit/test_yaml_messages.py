"""Every YAML syntax error reads as a Vietnamese sentence with its line, never PyYAML's English words
(issue 19: "but found another document.", "second occurrence." used to reach cooperatives)."""
from __future__ import annotations

import re

import pytest

from htx.data.load import parse_text

# Broken profiles as people write them; each makes PyYAML raise a different problem.
BROKEN = {
    "two documents": "ma: htx-a\n---\nma: htx-b\n",
    "document end in the middle": "ma: htx-a\n...\nten: x\n",
    "unknown escape": 'ten: "Lúa\\gạo"\n',
    "text after a closing quote": 'ten: "Lúa" gạo\n',
    "value starting with @": "ghi_chu: @htxbinhminh\n",
    "value starting with a backtick": "ghi_chu: `mã`\n",
    "block scalar indicator": "mo_ta: |x\n  chữ\n",
    "tab indentation": "lien_he:\n\tdien_thoai: 1\n",
    "colon in a value": "gio: mở cửa: 7 giờ\n",
    "bad indentation": "ten: a\n  ma: b\nx: c\n",
    "unclosed quote": 'ten: "Lúa gạo\n',
    "unclosed bracket": "linh_vuc: [a, b\n",
    "undefined alias": "ten: *ten\n",
    "sequence under a mapping": "ten: a\n- b\n",
    "undefined tag handle": "ten: !x!y a\n",
    "duplicate YAML directive": "%YAML 1.1\n%YAML 1.1\n---\nten: a\n",
    "bad tag": "ten: !<x a\n",
    "control character": "ten: a\x07b\n",
}
ENGLISH = re.compile(r"\b(found|expected|while|but|document|occurrence|scanning|parsing|allowed|character|token|stream)\b")


@pytest.mark.parametrize("text", list(BROKEN.values()), ids=list(BROKEN))
def test_yaml_errors_are_vietnamese_and_located(text: str) -> None:
    doc, problems = parse_text(text, "cooperatives/x/profile.yml")
    assert doc is None and problems, text
    for problem in problems:
        words = problem.message + " " + problem.hint
        assert not ENGLISH.search(words), words
        assert re.search(r"[ăâđêôơưáàảãạéèẻẽẹíìỉĩịóòỏõọúùủũụýỳỷỹỵ]", words), words   # Vietnamese, not a code
        assert problem.line >= 1 and problem.file == "cooperatives/x/profile.yml"


def test_a_second_document_points_at_its_separator() -> None:
    _, problems = parse_text(BROKEN["two documents"], "p.yml")
    assert problems[0].line == 2 and "`---`" in problems[0].message
