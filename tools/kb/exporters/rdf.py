"""The knowledge base as RDF (rdflib): SKOS for terms, AIF for arguments, DCTerms and PROV.

Built from the graph (:mod:`kb.graph`), so that every node attribute and edge type has one
place here: :data:`NODE_FIELDS` says which property carries each attribute, and
:data:`EDGE_PROPERTIES` which property carries each edge type (``supports`` and
``objects_to`` go through AIF RA and CA nodes instead, see :func:`add_argument_edge`;
``undercuts`` through a CA node whose conclusion is such a node, see :func:`add_undercut`).
docs/export.md documents the mapping with a worked example.

IRIs are ``<base>term/<id>``, ``<base>sense/<term>/<sense>``, ``<base>claim/<id>``,
``<base>source/<id>``, ``<base>agent/<name>``, ``<base>ra/<claim>/<target path>`` and
``<base>ca/<claim>/<target path>`` (an undercut: ``<base>ca/<claim>/<path of the RA or CA
node it attacks>``); the concept scheme is ``<base>scheme`` and the few
properties no standard vocabulary has are in ``<base>vocab#``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import quote

import networkx as nx
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, SKOS

from kb.exporters import DEFAULT_BASE_IRI, ExportError
from kb.exporters._common import sorted_graph
from kb.model import KnowledgeBase

AIF = Namespace("http://www.arg.dundee.ac.uk/aif#")
DCMITYPE = Namespace("http://purl.org/dc/dcmitype/")
LANG = "en"

#: Source kinds whose DCMI type is not Text.
DCMI_TYPES = {"video": DCMITYPE.MovingImage}

_IRI_END = re.compile(r"[/#:]$")
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|\\^`]')


def check_base_iri(base_iri: str) -> str:
    """``base_iri`` if it is an absolute IRI ending in ``/``, ``#`` or ``:``; else ExportError."""
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", base_iri) or _IRI_FORBIDDEN.search(base_iri):
        raise ExportError(
            f"the base IRI must be an absolute IRI without spaces, e.g. "
            f"https://example.org/atlas/ (got {base_iri!r})",
            "--base-iri",
        )
    if not _IRI_END.search(base_iri):
        raise ExportError(
            f"the base IRI must end in '/', '#' or ':' so ids can follow it (got {base_iri!r})",
            "--base-iri",
        )
    return base_iri


def vocabulary(base_iri: str) -> Namespace:
    """The namespace of the atlas's own properties (``kb:status``, ``kb:uses`` …)."""
    return Namespace(base_iri + "vocab#")


def namespaces(base_iri: str) -> dict[str, str]:
    """Prefix → namespace for every vocabulary the export uses (for Turtle, SPARQL, JSON-LD)."""
    return {
        "atlas": base_iri,
        "kb": str(vocabulary(base_iri)),
        "aif": str(AIF),
        "skos": str(SKOS),
        "dcterms": str(DCTERMS),
        "dcmitype": str(DCMITYPE),
        "prov": str(PROV),
        "foaf": str(FOAF),
        "rdf": str(RDF),
        "rdfs": str(RDFS),
        "xsd": str(XSD),
    }


def _segment(text: str) -> str:
    return quote(text, safe="-._~")


def node_path(node: str) -> str:
    """The IRI path of a graph node: ``term:x`` → ``term/x``, ``sense:t#s`` → ``sense/t/s``."""
    kind, _, entry = node.partition(":")
    return f"{kind}/" + "/".join(_segment(part) for part in entry.split("#", 1))


def safe_iri(text: str) -> URIRef:
    """An IRI from a contributor's URL, with characters IRIs forbid percent-encoded."""
    return URIRef(_IRI_FORBIDDEN.sub(lambda m: quote(m.group()), text))


def date_literal(text: str) -> Literal:
    """``YYYY-MM-DD`` as xsd:date, ``YYYY-MM`` as xsd:gYearMonth, ``YYYY`` as xsd:gYear."""
    for pattern, datatype in (
        (r"\d{4}-\d{2}-\d{2}", XSD.date),
        (r"\d{4}-\d{2}", XSD.gYearMonth),
        (r"\d{4}", XSD.gYear),
    ):
        if re.fullmatch(pattern, text):
            return Literal(text, datatype=datatype)
    return Literal(text)


@dataclass(frozen=True)
class Field:
    """How one node attribute becomes triples: ``predicate`` and a value → objects function.

    ``reverse`` puts the node in object position (``<concept> skos:definition <sense>``).
    """

    predicate: Callable[[RdfBuilder], URIRef]
    objects: Callable[[RdfBuilder, object], Iterable]
    reverse: bool = False


def _text(builder, value):
    return [Literal(value, lang=LANG)]


def _plain(builder, value):
    return [Literal(value)]


def _typed(builder, value):
    return [Literal(value)]  # rdflib types bool as xsd:boolean and int as xsd:integer


def _names(separator):
    return lambda builder, value: [Literal(v, lang=LANG) for v in value.split(separator)]


def _node(kind):
    return lambda builder, value: [builder.iri(f"{kind}:{value}")]


def _agents(builder, value):
    return [builder.agent(name) for name in value.split("; ")]


def _fixed(uri):
    return lambda builder: uri


def _kb(name):
    return lambda builder: builder.kb[name]


COMMON_FIELDS = {
    "id": Field(_fixed(DCTERMS.identifier), _plain),
    "path": Field(_kb("path"), _plain),
    "line": Field(_kb("line"), _typed),
    "kind": Field(_fixed(RDF.type), lambda builder, kind: builder.classes[kind]),
}

#: For each node kind, the property (or properties) carrying each attribute of the graph.
NODE_FIELDS: dict[str, dict[str, Field | tuple[Field, ...]]] = {
    "term": {
        "label": Field(_fixed(SKOS.prefLabel), _text),
        "aliases": Field(_fixed(SKOS.altLabel), _names("|")),
        "status": Field(_kb("status"), _plain),
        "primitive": Field(_kb("primitive"), _typed),
        "note": Field(_fixed(SKOS.note), _text),
    },
    "sense": {
        "label": Field(_fixed(RDFS.label), _text),
        "term": Field(_fixed(SKOS.definition), _node("term"), reverse=True),
        "sense_label": Field(_kb("senseLabel"), _text),
        "definition": (Field(_fixed(RDF.value), _text), Field(_fixed(AIF.claimText), _text)),
        "source": Field(_fixed(DCTERMS.source), _node("source")),
        "quoted_in": Field(_kb("quotedIn"), _node("source")),
        "locator": Field(_kb("locator"), _plain),
        "quote": Field(_kb("quote"), _text),
    },
    "claim": {
        "label": Field(_fixed(RDFS.label), _text),
        "title": Field(_fixed(DCTERMS.title), _text),
        "text": Field(_fixed(AIF.claimText), _text),
        "source": Field(_fixed(DCTERMS.source), _node("source")),
        "quoted_in": Field(_kb("quotedIn"), _node("source")),
        "locator": Field(_kb("locator"), _plain),
        "quote": Field(_kb("quote"), _text),
    },
    "source": {
        "label": Field(_fixed(RDFS.label), _text),
        "title": Field(_fixed(DCTERMS.title), _text),
        "source_type": (
            Field(_kb("sourceType"), _plain),
            Field(_fixed(DCTERMS.type), lambda b, kind: [DCMI_TYPES.get(kind, DCMITYPE.Text)]),
        ),
        "authors": (
            Field(_kb("authors"), _plain),
            Field(_fixed(DCTERMS.creator), _agents),
            Field(_fixed(PROV.wasAttributedTo), _agents),
        ),
        "author_note": Field(_kb("authorNote"), _text),
        "date": Field(_fixed(DCTERMS.date), lambda b, value: [date_literal(value)]),
        "url": Field(_fixed(FOAF.page), lambda b, value: [safe_iri(value)]),
        "text": Field(_kb("archivedText"), _plain),
        "archived": Field(_kb("archived"), _typed),
        "description": Field(_fixed(DCTERMS.description), _text),
    },
}

#: The property carrying each edge type (``reverse``: object → subject), except the AIF ones.
EDGE_PROPERTIES: dict[str, tuple[Callable[[RdfBuilder], URIRef], bool]] = {
    "sense_of": (_fixed(SKOS.definition), True),
    "uses": (_kb("uses"), False),
    "broader": (_fixed(SKOS.broader), False),
    "related": (_fixed(SKOS.related), False),
    "replaced_by": (_fixed(DCTERMS.isReplacedBy), False),
    "conflicts_with": (_kb("conflictsWith"), False),
    "refines": (_kb("refines"), False),
    "agrees_with": (_kb("agreesWith"), False),
    "about": (_fixed(DCTERMS.subject), False),
    "cites": (_fixed(DCTERMS.source), False),
    "part_of": (_fixed(DCTERMS.isPartOf), False),
    "in_reply_to": (_kb("inReplyTo"), False),
    "references": (_fixed(DCTERMS.references), False),
}

#: Edge types that become AIF scheme nodes: IRI path segment and node class.
ARGUMENT_EDGES = {"supports": ("ra", AIF["RA-node"]), "objects_to": ("ca", AIF["CA-node"])}

#: SKOS states these inverses and symmetries; the export writes them out for plain queries.
INVERSES = {SKOS.broader: SKOS.narrower, SKOS.related: SKOS.related}


class RdfBuilder:
    """Turns the graph into an rdflib ``Graph`` under one base IRI."""

    def __init__(self, base_iri: str):
        self.base = check_base_iri(base_iri)
        self.kb = vocabulary(self.base)
        self.scheme = URIRef(self.base + "scheme")
        self.classes = {
            "term": [SKOS.Concept],
            "sense": [self.kb.Sense, AIF["I-node"]],
            "claim": [self.kb.Claim, AIF["I-node"]],
            "source": [DCTERMS.BibliographicResource, PROV.Entity],
        }
        self.rdf = Graph()
        for prefix, namespace in namespaces(self.base).items():
            self.rdf.bind(prefix, namespace, override=True, replace=True)

    def iri(self, node: str) -> URIRef:
        return URIRef(self.base + node_path(node))

    def agent(self, name: str) -> URIRef:
        """The IRI of an author, declared as a PROV agent with its name on first use."""
        iri = URIRef(self.base + "agent/" + _segment(name))
        self.rdf.add((iri, RDF.type, PROV.Agent))
        self.rdf.add((iri, FOAF.name, Literal(name)))
        return iri

    def add(self, subject, predicate, obj, reverse=False) -> None:
        self.rdf.add((obj, predicate, subject) if reverse else (subject, predicate, obj))
        if predicate in INVERSES:
            self.rdf.add((obj, INVERSES[predicate], subject))

    def add_scheme(self, graph: nx.MultiDiGraph) -> None:
        """The one concept scheme; terms with no broader term in the graph are its top concepts."""
        self.rdf.add((self.scheme, RDF.type, SKOS.ConceptScheme))
        self.rdf.add((self.scheme, DCTERMS.title, Literal("Alignment Atlas terms", lang=LANG)))
        for node, kind in graph.nodes(data="kind"):
            if kind != "term":
                continue
            concept = self.iri(node)
            self.rdf.add((concept, SKOS.inScheme, self.scheme))
            if not any(key == "broader" for _, _, key in graph.out_edges(node, keys=True)):
                self.rdf.add((concept, SKOS.topConceptOf, self.scheme))
                self.rdf.add((self.scheme, SKOS.hasTopConcept, concept))

    def add_node(self, node: str, data: dict) -> None:
        subject = self.iri(node)
        fields = {**COMMON_FIELDS, **NODE_FIELDS[data["kind"]]}
        for name, value in data.items():
            for field in unmapped_guard(fields, data["kind"], name):
                for obj in field.objects(self, value):
                    self.add(subject, field.predicate(self), obj, field.reverse)

    def add_edge(self, u: str, v: str, edge_type: str) -> None:
        if edge_type in ARGUMENT_EDGES:
            self.add_argument_edge(u, v, edge_type)
            return
        predicate, reverse = EDGE_PROPERTIES[edge_type]
        self.add(self.iri(u), predicate(self), self.iri(v), reverse)

    def scheme_iri(self, u: str, v: str, edge_type: str) -> URIRef:
        """The RA/CA node of ``u``'s support or objection of ``v``, built from both ends, so it
        is stable and unique."""
        segment = ARGUMENT_EDGES[edge_type][0]
        return URIRef(f"{self.base}{segment}/{node_path(u).split('/', 1)[1]}/{node_path(v)}")

    def add_argument_edge(self, u: str, v: str, edge_type: str) -> None:
        """Support and objection as AIF: premise I-node → RA/CA node → conclusion I-node."""
        scheme_node = self.scheme_iri(u, v, edge_type)
        self.rdf.add((scheme_node, RDF.type, ARGUMENT_EDGES[edge_type][1]))
        self.rdf.add((scheme_node, AIF.Premise, self.iri(u)))
        self.rdf.add((scheme_node, AIF.Conclusion, self.iri(v)))

    def add_undercut(self, u: str, v: str, data: dict) -> None:
        """An undercut as AIF: a CA node whose premise is the undercutting claim ``u`` and
        whose conclusion is the RA or CA node of each link into ``v`` that it attacks (the
        edge's "|"-joined ``premise`` and ``relation``, see :mod:`kb.graph`)."""
        links = zip(data["premise"].split("|"), data["relation"].split("|"), strict=True)
        for premise, relation in links:
            attacked = self.scheme_iri(f"claim:{premise}", v, relation)
            claim_path = node_path(u).split("/", 1)[1]
            ca_node = URIRef(f"{self.base}ca/{claim_path}/{attacked[len(self.base) :]}")
            self.rdf.add((ca_node, RDF.type, AIF["CA-node"]))
            self.rdf.add((ca_node, AIF.Premise, self.iri(u)))
            self.rdf.add((ca_node, AIF.Conclusion, attacked))

    def build(self, graph: nx.MultiDiGraph) -> Graph:
        self.add_scheme(graph)
        for node, data in graph.nodes(data=True):
            self.add_node(node, data)
        for u, v, key, data in graph.edges(keys=True, data=True):
            if key == "undercuts":
                self.add_undercut(u, v, data)
            else:
                self.add_edge(u, v, key)
        return self.rdf


def unmapped_guard(fields: dict, kind: str, name: str) -> tuple[Field, ...]:
    """The fields for attribute ``name``; an attribute with no mapping is a bug in kb: fail loudly."""
    if name not in fields:
        raise LookupError(f"the RDF export has no mapping for the {kind} attribute '{name}'")
    field = fields[name]
    return field if isinstance(field, tuple) else (field,)


def build_rdf(base: KnowledgeBase, base_iri: str = DEFAULT_BASE_IRI) -> Graph:
    """The whole knowledge base as an rdflib ``Graph`` (prefixes bound)."""
    return RdfBuilder(base_iri).build(sorted_graph(base.graph))


def serialize(base: KnowledgeBase, rdf_format: str, base_iri: str = DEFAULT_BASE_IRI) -> str:
    """Serialize with rdflib; N-Triples lines are sorted so that the output is stable."""
    graph = build_rdf(base, base_iri)
    if rdf_format == "nt":
        lines = sorted(line for line in graph.serialize(format="nt").splitlines() if line.strip())
        return "\n".join(lines) + "\n"
    if rdf_format == "json-ld":
        return sorted_json_ld(graph.serialize(format="json-ld", context=namespaces(base_iri)))
    return graph.serialize(format=rdf_format)


def _sorted_values(node: dict) -> dict:
    return {
        key: sorted(value, key=lambda v: json.dumps(v, sort_keys=True))
        if isinstance(value, list)
        else value
        for key, value in node.items()
    }


def sorted_json_ld(text: str) -> str:
    """rdflib's JSON-LD with ``@graph`` sorted by ``@id`` and every list of values sorted.

    rdflib emits nodes and values in hash order; the order carries no meaning in JSON-LD.
    """
    document = json.loads(text)
    document["@graph"] = sorted(
        (_sorted_values(node) for node in document.get("@graph", [])),
        key=lambda node: node.get("@id", ""),
    )
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
