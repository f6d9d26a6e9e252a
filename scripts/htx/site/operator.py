"""Who runs the site: mkdocs.yml's `extra.operator` (name, address, e-mail, phone, Zalo, hours) and
`extra.repository`, checked once and turned into the links the footer and "Về trang này" show.

Staff type these values, but they reach every page: a contact becomes a link only as `mailto:` of a plain
address, `tel:` of a Vietnamese number, or an https Zalo link whose host is exactly Zalo's (the checks that
cooperatives' own contacts pass, render.mailto_href / zalo_href). Empty values are left out.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Mapping
from urllib.parse import urlsplit

from ..data import messages as M
from ..data.model import format_phone, normalize_phone
from .render import mailto_href, zalo_href, zalo_text

_VN_NUMBER = re.compile(r"\+84[1-9]\d{8,9}|1[89]00\d{4,6}")
# Reserved for examples (RFC 2606/6761): a contact there reaches nobody.
_EXAMPLE_HOST = re.compile(r"(^|\.)(example|invalid|test|localhost)$|(^|\.)example\.(com|net|org)$")


@dataclass(frozen=True)
class Contact:
    """One way to reach the operator: `kind` (email, phone, zalo), the text shown and the checked link."""

    kind: str
    label: str
    text: str
    href: str


@dataclass(frozen=True)
class Operator:
    name: str
    address: str
    hours: str
    contacts: tuple[Contact, ...]
    repository: str

    def as_dict(self) -> dict[str, Any]:
        """Return the operator as plain data, for the theme's templates (config-free Jinja globals)."""
        return {"name": self.name, "address": self.address, "hours": self.hours, "repository": self.repository,
                "contacts": [{"kind": c.kind, "label": c.label, "text": c.text, "href": c.href} for c in self.contacts]}


def _text(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _host(value: str) -> str:
    try:
        return (urlsplit(value).hostname or "").lower()
    except ValueError:
        return ""


def read_operator(extra: Mapping[str, Any]) -> tuple[Operator, list[str]]:
    """Return the operator of mkdocs.yml's `extra` and the Vietnamese problems found in it (bad contacts are left out)."""
    raw = extra.get("operator") or {}
    raw = raw if isinstance(raw, Mapping) else {}
    problems: list[str] = []
    name = _text(raw.get("name"))
    if not name:
        problems.append(M.text("operator_missing_name"))
    contacts: list[Contact] = []
    email = _text(raw.get("email"))
    if email:
        href = mailto_href(email)
        if href:
            contacts.append(Contact("email", "Thư điện tử", email, href))
        else:
            problems.append(M.text("operator_bad_email", got=email))
    phone = _text(raw.get("phone"))
    if phone:
        number = normalize_phone(phone)
        if _VN_NUMBER.fullmatch(number):
            contacts.append(Contact("phone", "Điện thoại", format_phone(phone), "tel:" + number))
        else:
            problems.append(M.text("operator_bad_phone", got=phone))
    zalo = _text(raw.get("zalo"))
    if zalo:
        href = zalo_href(zalo)
        if href:
            contacts.append(Contact("zalo", "Zalo", zalo_text(zalo), href))
        else:
            problems.append(M.text("operator_bad_zalo", got=zalo))
    if not (email or phone or zalo):
        problems.append(M.text("operator_no_contact"))
    repository = _text(extra.get("repository"))
    if repository and (not repository.startswith("https://") or not _host(repository) or any(c in repository for c in "\"'<> ")):
        problems.append(M.text("operator_bad_repository", got=repository))
        repository = ""
    return Operator(name, _text(raw.get("address")), _text(raw.get("hours")), tuple(contacts), repository), problems


def example_contacts(extra: Mapping[str, Any]) -> list[str]:
    """Return a problem for each of the sample site's defaults left in the settings: a contact on a reserved
    example domain, or the name still marked "(mẫu)"."""
    raw = extra.get("operator") or {}
    raw = raw if isinstance(raw, Mapping) else {}
    found = []
    name = _text(raw.get("name"))
    if "(mẫu)" in unicodedata.normalize("NFC", name).lower():
        found.append(M.text("operator_example_name", got=name))
    for field in ("email", "zalo"):
        value = _text(raw.get(field))
        host = value.rsplit("@", 1)[-1].lower() if field == "email" else _host(value)
        if value and _EXAMPLE_HOST.search(host):
            found.append(M.text("operator_example", field=field, got=value))
    return found


@dataclass(frozen=True)
class Controller:
    """Who answers for the personal data the site publishes (the privacy page): a name and an e-mail."""

    name: str
    email: str
    href: str
    is_operator: bool

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "email": self.email, "href": self.href, "is_operator": self.is_operator}


def read_controller(extra: Mapping[str, Any], operator: Operator) -> tuple[Controller, list[str]]:
    """Return `extra.privacy.controller` (name, email), each value left empty defaulting to the operator's,
    and the Vietnamese problems found (a bad e-mail is left out, never linked)."""
    privacy = extra.get("privacy") or {}
    raw = privacy.get("controller") if isinstance(privacy, Mapping) else None
    problems: list[str] = []
    if raw is not None and not isinstance(raw, Mapping):
        problems.append(M.text("privacy_bad_controller"))
        raw = None
    raw = raw or {}
    own_email = next((c.text for c in operator.contacts if c.kind == "email"), "")
    name = _text(raw.get("name")) or operator.name
    email = _text(raw.get("email")) or own_email
    href = mailto_href(email) if email else None
    if email and href is None:
        problems.append(M.text("privacy_bad_email", got=email))
        email = ""
    same = name == operator.name and email == own_email
    return Controller(name, email, href or "", same), problems
