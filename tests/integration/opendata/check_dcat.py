#!/usr/bin/python3
# check_dcat.py - reads mue's DCAT-AP catalogue the way a harvester does (rdflib), follows its
# Hydra pages, and checks that each dataset carries what data.gouv.fr harvests.
# SPDX-License-Identifier: MIT
"""Usage:
  check_dcat.py [--expect-ids a,b,c] FILE_OR_URL...
  check_dcat.py --same A.jsonld B.ttl

Each FILE_OR_URL is the first page of a catalogue: a .jsonld (JSON-LD) or .ttl (Turtle) file, or
an http(s) URL. The pages named by hydra:next are read too: fetched for a URL; for a file, the
file of the same name in the same folder (catalog-2.jsonld beside catalog.jsonld).
--expect-ids: the slugs of the dataset identifiers (their last path segment) must be exactly these.
--same: both catalogues (all their pages, paging links left aside) must be the same graph.
Prints one "ok - ..." or "not ok - ..." line per check; exits 1 when any check failed.
"""
import os
import sys
import urllib.parse
import urllib.request

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import RDF, XSD

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
MAX_PAGES = 1000

failures = 0


def report(good, what, detail=""):
    global failures
    if good:
        print(f"ok - {what}")
    else:
        failures += 1
        print(f"not ok - {what}" + (f": {detail}" if detail else ""))
    return good


def is_url(src):
    return src.startswith("http://") or src.startswith("https://")


def syntax_of(name, content_type=""):
    path = urllib.parse.urlparse(name).path if is_url(name) else name
    if path.endswith(".jsonld") or "ld+json" in content_type:
        return "json-ld"
    if path.endswith(".ttl") or "turtle" in content_type:
        return "turtle"
    raise ValueError(f"{name}: neither .jsonld nor .ttl")


def read_page(src):
    """Returns (graph, syntax) of one page."""
    if is_url(src):
        with urllib.request.urlopen(src, timeout=15) as r:
            data = r.read().decode("utf-8")
            syntax = syntax_of(src, r.headers.get("Content-Type", ""))
    else:
        with open(src, encoding="utf-8") as f:
            data = f.read()
        syntax = syntax_of(src)
    g = Graph()
    g.parse(data=data, format=syntax)
    return g


def next_page(g):
    """The IRI of the next page, from harvesters' two known paging classes, or None."""
    for cls, prop in ((HYDRA.PartialCollectionView, HYDRA.next), (HYDRA.PagedCollection, HYDRA.nextPage)):
        for view in g.subjects(RDF.type, cls):
            nxt = g.value(view, prop)
            if nxt is not None:
                return str(nxt)
    return None


def locate(current, iri):
    """Where to read the page 'iri' named by page 'current'."""
    if is_url(current):
        return urllib.parse.urljoin(current, iri)
    name = os.path.basename(urllib.parse.urlparse(iri).path)
    return os.path.join(os.path.dirname(current), name)


def read_catalogue(src):
    """All the pages of a catalogue: a list of (where, graph). Raises on a parse error."""
    pages, seen, where = [], set(), src
    while where is not None:
        if where in seen or len(pages) >= MAX_PAGES:
            raise ValueError(f"paging loops back to {where}")
        seen.add(where)
        g = read_page(where)
        pages.append((where, g))
        nxt = next_page(g)
        where = locate(where, nxt) if nxt else None
    return pages


def has(g, s, p):
    return g.value(s, p) is not None


def check_paging(src, pages):
    totals = set()
    for where, g in pages:
        for cat in g.subjects(RDF.type, DCAT.Catalog):
            total = g.value(cat, HYDRA.totalItems)
            if total is not None:
                totals.add(int(total))
    datasets = sum(len(set(g.subjects(RDF.type, DCAT.Dataset))) for _, g in pages)
    if len(pages) == 1 and not totals:
        return report(True, f"{src}: one page, no paging needed")
    report(len(totals) == 1 and datasets in totals,
           f"{src}: {len(pages)} pages hold hydra:totalItems = {datasets} datasets",
           f"totalItems {sorted(totals)}, datasets {datasets}")
    last = pages[-1][1]
    report(all(next(g.subjects(RDF.type, HYDRA.PartialCollectionView), None) is not None for _, g in pages)
           and all(has(g, v, HYDRA.first) and has(g, v, HYDRA.last)
                   for _, g in pages for v in g.subjects(RDF.type, HYDRA.PartialCollectionView))
           and all(has(g, v, HYDRA.previous)
                   for _, g in pages[1:] for v in g.subjects(RDF.type, HYDRA.PartialCollectionView))
           and next_page(last) is None,
           f"{src}: every page has a view with first and last, previous after the first, no next on the last")


def check_page_catalogue(where, g):
    cats = list(g.subjects(RDF.type, DCAT.Catalog))
    if not report(len(cats) == 1, f"{where}: one dcat:Catalog", f"{len(cats)} found"):
        return
    listed = set(g.objects(cats[0], DCAT.dataset))
    datasets = set(g.subjects(RDF.type, DCAT.Dataset))
    report(listed == datasets and has(g, cats[0], DCT.title) and has(g, cats[0], DCT.publisher),
           f"{where}: the catalogue has a title, a publisher and links each of its {len(datasets)} datasets",
           f"linked {len(listed)}, described {len(datasets)}")
    bad = []
    for _, _, o in g:
        if isinstance(o, Literal) and o.datatype in (XSD.date, XSD.dateTime, XSD.decimal, XSD.integer):
            if o.value is None:
                bad.append(f"{o}^^{o.datatype}")
    report(not bad, f"{where}: every date and number literal is well-formed", ", ".join(bad[:5]))


def missing_fields(g, d):
    """The harvested fields dataset 'd' lacks."""
    missing = []
    for name, pred in (("title", DCT.title), ("description", DCT.description), ("keyword", DCAT.keyword),
                       ("license", DCT.license), ("identifier", DCT.identifier)):
        if not has(g, d, pred):
            missing.append(name)
    if not any(isinstance(s, URIRef) or has(g, s, LOCN.geometry) for s in g.objects(d, DCT.spatial)):
        missing.append("spatial (an IRI or a locn:geometry)")
    if not any(has(g, t, DCAT.startDate) for t in g.objects(d, DCT.temporal)):
        missing.append("temporal (with dcat:startDate)")
    freq = g.value(d, DCT.accrualPeriodicity)
    if not (isinstance(freq, URIRef) and str(freq).startswith(EU_FREQUENCY)):
        missing.append("accrualPeriodicity (an EU frequency IRI)")
    if not any(has(g, x, DCT["format"]) and isinstance(g.value(x, DCAT.downloadURL), URIRef)
               for x in g.objects(d, DCAT.distribution)):
        missing.append("a distribution with format and downloadURL")
    return missing


def slug(identifier):
    return urllib.parse.urlparse(str(identifier)).path.rstrip("/").rsplit("/", 1)[-1]


def check_catalogue(src, expect_ids):
    try:
        pages = read_catalogue(src)
    except Exception as e:  # any parse or fetch error is a failed check, not a crash
        report(False, f"{src}: parses", f"{type(e).__name__}: {e}")
        return
    report(True, f"{src}: parses ({len(pages)} page{'s' if len(pages) > 1 else ''})")
    check_paging(src, pages)
    ids = []
    for where, g in pages:
        check_page_catalogue(where, g)
        for d in sorted(g.subjects(RDF.type, DCAT.Dataset)):
            ident = g.value(d, DCT.identifier)
            ids.append(slug(ident) if ident is not None else str(d))
            missing = missing_fields(g, d)
            report(not missing, f"{where}: dataset {ids[-1]} has the harvested fields", "lacks " + ", ".join(missing))
    report(len(ids) == len(set(ids)), f"{src}: no dataset twice", ", ".join(sorted(i for i in set(ids) if ids.count(i) > 1)))
    if expect_ids is not None:
        got = set(ids)
        report(got == expect_ids, f"{src}: the datasets are exactly {','.join(sorted(expect_ids))}",
               f"missing {sorted(expect_ids - got)}, unexpected {sorted(got - expect_ids)}")


def without_paging(pages):
    """All pages in one graph, the Hydra paging left out: its links name pages of one syntax."""
    g = Graph()
    views = set()
    for _, page in pages:
        for cls in (HYDRA.PartialCollectionView, HYDRA.PagedCollection):
            views |= set(page.subjects(RDF.type, cls))
    for _, page in pages:
        for s, p, o in page:
            if s in views or p == HYDRA.view:
                continue
            g.add((s, p, o))
    return g


def check_same(a, b):
    try:
        ga, gb = without_paging(read_catalogue(a)), without_paging(read_catalogue(b))
    except Exception as e:
        report(False, f"{a} and {b} parse", f"{type(e).__name__}: {e}")
        return
    same = isomorphic(ga, gb)
    detail = ""
    if not same:
        _, only_a, only_b = graph_diff(to_isomorphic(ga), to_isomorphic(gb))
        show = lambda g: "; ".join(" ".join(t.n3() for t in triple) for triple in sorted(g)[:3])
        detail = f"only in A ({len(only_a)}): {show(only_a)} | only in B ({len(only_b)}): {show(only_b)}"
    report(same, f"{a} and {b} are the same graph ({len(ga)} triples)", detail)


def main(argv):
    expect_ids, same, sources = None, None, []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--expect-ids" and i + 1 < len(argv):
            expect_ids = {x for x in argv[i + 1].split(",") if x}
            i += 2
        elif arg == "--same" and i + 2 < len(argv):
            same = (argv[i + 1], argv[i + 2])
            i += 3
        elif arg.startswith("-"):
            print(__doc__, file=sys.stderr)
            return 2
        else:
            sources.append(arg)
            i += 1
    if not sources and not same:
        print(__doc__, file=sys.stderr)
        return 2
    for src in sources:
        check_catalogue(src, expect_ids)
    if same:
        check_same(*same)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
