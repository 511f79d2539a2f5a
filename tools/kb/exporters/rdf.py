"""The knowledge base as RDF: SKOS for terms, AIF for arguments, DCTerms and PROV.

Built from the graph's nodes and edges (:func:`kb.graph.graph_nodes` and
:func:`kb.graph.graph_edges`, the same the networkx graph is made of, without making it), so
that every node attribute and edge type has one place here: :data:`NODE_FIELDS` says which property carries each attribute, and
:data:`EDGE_PROPERTIES` which property carries each edge type (``supports``, ``objects_to``
and ``conflicts_with`` go through AIF RA and CA nodes instead, see :func:`add_argument_edge`;
``undercuts`` through a CA node whose conclusion is such a node, see :func:`add_undercut`).
docs/export.md documents the mapping with a worked example.

The triples are written as N-Triples text as they are built (each term by pyoxigraph, which
escapes it; each node's IRI and each property once), sorted, and rewritten by pyoxigraph's
serialisers as Turtle or JSON-LD, many times faster than rdflib's; :func:`build_rdf` gives
the same triples as an rdflib ``Graph`` for the Python API and SPARQL (``kb query``).

IRIs are ``<base>term/<id>``, ``<base>sense/<term>/<sense>``, ``<base>claim/<id>``,
``<base>source/<id>``, ``<base>agent/<name>``, ``<base>ra/<claim>/<target path>`` and
``<base>ca/<claim>/<target path>`` (a conflict between definitions:
``<base>ca/<term>/<sense>/<target path>``; an undercut: ``<base>ca/<claim>/<path of the RA or
CA node it attacks>``); the concept scheme is ``<base>scheme`` and the few properties no
standard vocabulary has are in ``<base>vocab#`` (``<base>vocab/`` when the base ends in ``#``).
Ids are percent-encoded into IRIs; a contributor's URL is percent-encoded where IRIs forbid
a character (spaces, a bare ``%``, brackets outside an IPv6 host …), and one that still is
no IRI stops the export with its file and line.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode, RdfFormat, parse
from pyoxigraph import serialize as write_rdf

from kb.cache import gc_paused
from kb.exporters import DEFAULT_BASE_IRI, ExportError
from kb.graph import Edge, graph_edges, graph_nodes
from kb.model import KnowledgeBase
from kb.parallel import cpus as _cpus
from kb.parallel import in_two_processes

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    import rdflib


class Vocabulary:
    """A namespace whose terms are pyoxigraph IRIs: ``SKOS.prefLabel``, ``AIF["RA-node"]``."""

    def __init__(self, iri: str):
        self.iri = iri
        self._terms: dict[str, NamedNode] = {}

    def __getitem__(self, name: str) -> NamedNode:
        term = self._terms.get(name)
        if term is None:
            term = self._terms[name] = NamedNode(self.iri + name)
        return term

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        term = self[name]
        setattr(self, name, term)  # found directly from now on
        return term

    def __str__(self) -> str:
        return self.iri


RDF = Vocabulary("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Vocabulary("http://www.w3.org/2000/01/rdf-schema#")
XSD = Vocabulary("http://www.w3.org/2001/XMLSchema#")
SKOS = Vocabulary("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Vocabulary("http://purl.org/dc/terms/")
FOAF = Vocabulary("http://xmlns.com/foaf/0.1/")
PROV = Vocabulary("http://www.w3.org/ns/prov#")
AIF = Vocabulary("http://www.arg.dundee.ac.uk/aif#")
DCMITYPE = Vocabulary("http://purl.org/dc/dcmitype/")
LANG = "en"

#: Source kinds whose DCMI type is not Text.
DCMI_TYPES = {"video": DCMITYPE.MovingImage}

_IRI_END = re.compile(r"[/#:]$")
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')
_BARE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_IP_LITERAL = re.compile(r"(?:[^@\[\]]*@)?\[[0-9A-Za-z:.]+\](?::[0-9]*)?")


def check_base_iri(base_iri: str) -> str:
    """``base_iri`` if it is an absolute IRI ending in ``/``, ``#`` or ``:``; else ExportError."""
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", base_iri) or not _is_iri(base_iri + "x"):
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
    if base_iri.endswith("#") and "#" in base_iri[:-1]:
        raise ExportError(
            f"the base IRI may hold one '#' only, at its end (got {base_iri!r})", "--base-iri"
        )
    return base_iri


def _is_iri(text: str) -> bool:
    try:
        NamedNode(text)
    except ValueError:
        return False
    return True


def vocabulary(base_iri: str) -> Vocabulary:
    """The namespace of the atlas's own properties (``kb:status``, ``kb:uses`` …).

    ``<base>vocab#``; after a base that ends in ``#`` (which already opens the fragment, where
    a second ``#`` is not allowed) it is ``<base>vocab/``.
    """
    return Vocabulary(base_iri + ("vocab/" if base_iri.endswith("#") else "vocab#"))


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


_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]*")


def _segment(text: str) -> str:
    """``text`` percent-encoded for one IRI path segment (ids are usually safe as they are)."""
    return text if _UNRESERVED.fullmatch(text) else quote(text, safe="-._~")


def node_path(node: str) -> str:
    """The IRI path of a graph node: ``term:x`` → ``term/x``, ``sense:t#s`` → ``sense/t/s``."""
    kind, _, entry = node.partition(":")
    return f"{kind}/" + "/".join(_segment(part) for part in entry.split("#", 1))


def _encode(text: str, brackets: bool = True) -> str:
    """``text`` with a bare ``%`` and every character IRIs forbid percent-encoded."""
    text = _BARE_PERCENT.sub("%25", text)
    text = _IRI_FORBIDDEN.sub(lambda m: quote(m.group()), text)
    return text.replace("[", "%5B").replace("]", "%5D") if brackets else text


def safe_iri(text: str) -> NamedNode:
    """An IRI from a contributor's URL, percent-encoding what IRIs forbid.

    Brackets stay only around an IPv6 host (``http://[::1]/``); a second ``#`` (inside the
    fragment) becomes ``%23``. Raises ValueError when the result is still no IRI.
    """
    head, hash_sign, fragment = text.partition("#")
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*://)([^/?]*)(.*)$", head, re.S)
    if match:
        scheme, authority, rest = match.groups()
        head = scheme + _encode(authority, not _IP_LITERAL.fullmatch(authority)) + _encode(rest)
    else:
        head = _encode(head)
    return NamedNode(head + hash_sign + _encode(fragment).replace("#", "%23"))


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
    """How one node attribute becomes triples: ``predicate`` and a value → objects function
    (each object written in N-Triples: the ``str`` of a pyoxigraph term, escapes included).

    ``reverse`` puts the node in object position (``<concept> skos:definition <sense>``).
    """

    predicate: Callable[[RdfBuilder], NamedNode]
    objects: Callable[[RdfBuilder, Any], list[str]]
    reverse: bool = False


def _text(builder, value):
    return [str(Literal(value, language=LANG))]


def _plain(builder, value):
    return [str(Literal(value))]


def _typed(builder, value):
    return [str(Literal(value))]  # bool as xsd:boolean, int as xsd:integer


def _names(separator):
    return lambda builder, value: [str(Literal(v, language=LANG)) for v in value.split(separator)]


def _node(kind):
    return lambda builder, value: [builder.ref(f"{kind}:{value}")]


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
        "note": Field(_fixed(SKOS.editorialNote), _text),
    },
    "claim": {
        "label": Field(_fixed(RDFS.label), _text),
        "title": Field(_fixed(DCTERMS.title), _text),
        "text": Field(_fixed(AIF.claimText), _text),
        "source": Field(_fixed(DCTERMS.source), _node("source")),
        "quoted_in": Field(_kb("quotedIn"), _node("source")),
        "locator": Field(_kb("locator"), _plain),
        "quote": Field(_kb("quote"), _text),
        "note": Field(_fixed(RDFS.comment), _text),
    },
    "source": {
        "label": Field(_fixed(RDFS.label), _text),
        "title": Field(_fixed(DCTERMS.title), _text),
        "source_type": (
            Field(_kb("sourceType"), _plain),
            Field(_fixed(DCTERMS.type), lambda b, kind: [str(DCMI_TYPES.get(kind, DCMITYPE.Text))]),
        ),
        "authors": (
            Field(_kb("authors"), _plain),
            Field(_fixed(DCTERMS.creator), _agents),
            Field(_fixed(PROV.wasAttributedTo), _agents),
        ),
        "author_note": Field(_kb("authorNote"), _text),
        "date": Field(_fixed(DCTERMS.date), lambda b, value: [str(date_literal(value))]),
        "url": Field(_fixed(FOAF.page), lambda b, value: [str(safe_iri(value))]),
        "text": Field(_kb("archivedText"), _plain),
        "archived": Field(_kb("archived"), _typed),
        "description": Field(_fixed(DCTERMS.description), _text),
    },
}

#: The property carrying each edge type (``reverse``: object → subject), except the AIF ones.
EDGE_PROPERTIES: dict[str, tuple[Callable[[RdfBuilder], NamedNode], bool]] = {
    "sense_of": (_fixed(SKOS.definition), True),
    "uses": (_kb("uses"), False),
    "broader": (_fixed(SKOS.broader), False),
    "related": (_fixed(SKOS.related), False),
    "replaced_by": (_fixed(DCTERMS.isReplacedBy), False),
    "refines": (_kb("refines"), False),
    "agrees_with": (_kb("agreesWith"), False),
    "about": (_fixed(DCTERMS.subject), False),
    "cites": (_fixed(DCTERMS.source), False),
    "part_of": (_fixed(DCTERMS.isPartOf), False),
    "in_reply_to": (_kb("inReplyTo"), False),
    "references": (_fixed(DCTERMS.references), False),
}

#: Edge types that become AIF scheme nodes: IRI path segment and node class. A conflict
#: between two definitions is an attack like an objection: a CA node between the senses.
ARGUMENT_EDGES = {
    "supports": ("ra", AIF["RA-node"]),
    "objects_to": ("ca", AIF["CA-node"]),
    "conflicts_with": ("ca", AIF["CA-node"]),
}

#: SKOS states these inverses and symmetries; the export writes them out for plain queries.
INVERSES = {SKOS.broader: SKOS.narrower, SKOS.related: SKOS.related}


class Triples:
    """The export's triples as N-Triples text, grouped by subject: subject (``<…>``) →
    the rest of each of its lines (``<p> "o" .``).

    The builder appends to a subject's list (the hot path); :meth:`ntriples` writes each
    triple once, lines sorted. Sorting the subjects, then each subject's few lines, gives
    the order of sorting whole lines (a subject ends in ``>``, which no IRI holds, so no
    subject is the start of another) for much less work. Each term is written by
    pyoxigraph (the ``str`` of a term is its N-Triples form, escapes included); read as
    triples of pyoxigraph terms (iterating), the text is parsed by pyoxigraph.
    """

    def __init__(self) -> None:
        self.about: defaultdict[str, list[str]] = defaultdict(list)

    def ntriples(self, subjects: Iterable[str] | None = None) -> str:
        """The triples as an N-Triples document: one a line, each once, lines sorted; only
        those of ``subjects`` (in the order given) when given."""
        about = self.about
        return "".join(
            f"{subject} " + f"\n{subject} ".join(sorted(set(about[subject]))) + "\n"
            for subject in (sorted(about) if subjects is None else subjects)
        )

    def halves(self) -> tuple[list[str], list[str]]:
        """The subjects, sorted, cut in two with about as many lines each."""
        subjects = sorted(self.about)
        half, count = self.size() / 2, 0
        for end, subject in enumerate(subjects, 1):
            count += len(self.about[subject])
            if count >= half:
                return subjects[:end], subjects[end:]
        return subjects, []

    def size(self) -> int:
        """How many lines were added (a triple added twice counts twice)."""
        return sum(map(len, self.about.values()))

    def __iter__(self) -> Iterator[tuple]:
        for quad in parse(self.ntriples().encode(), format=RdfFormat.N_TRIPLES):
            yield quad.subject, quad.predicate, quad.object

    def __contains__(self, triple) -> bool:
        subject, predicate, obj = map(str, triple)
        return f"{predicate} {obj} ." in self.about.get(subject, ())

    def __len__(self) -> int:
        return sum(len(set(lines)) for lines in self.about.values())

    def subjects(self, predicate, obj) -> Iterator:
        """Every subject of a triple with this predicate and object."""
        return (s for s, p, o in self if p == predicate and o == obj)


#: How one attribute becomes lines: ``(objects function, ((predicate, reverse, inverse), …))``
#: for each objects function of its fields, terms in N-Triples.
FieldPlan = tuple[tuple[Callable, tuple[tuple[str, bool, str | None], ...]], ...]


class RdfBuilder:
    """Turns the graph's nodes and edges into :class:`Triples` under one base IRI.

    Terms are written straight to N-Triples text: a node's IRI, a predicate and a class once
    each (:meth:`ref`, :meth:`_field_plan`), each literal by pyoxigraph as it is built.
    """

    def __init__(self, base_iri: str):
        self.base = check_base_iri(base_iri)
        self.kb = vocabulary(self.base)
        self.scheme = NamedNode(self.base + "scheme")
        #: The classes of each kind of node, in N-Triples.
        self.classes: dict[str, list[str]] = {
            kind: [str(node_class) for node_class in classes]
            for kind, classes in {
                "term": [SKOS.Concept],
                "sense": [self.kb.Sense, AIF["I-node"]],
                "claim": [self.kb.Claim, AIF["I-node"]],
                "source": [DCTERMS.BibliographicResource, PROV.Entity],
            }.items()
        }
        self.rdf = Triples()
        self._refs: dict[str, str] = {}
        self._paths: dict[str, str] = {}
        self._agents: dict[str, str] = {}
        self._plans: dict[str, dict[str, FieldPlan]] = {}
        self._edge_plans: dict[str, tuple[str, bool, str | None]] = {}

    def path(self, node: str) -> str:
        """:func:`node_path`, computed once per node."""
        path = self._paths.get(node)
        if path is None:
            path = self._paths[node] = node_path(node)
        return path

    def ref(self, node: str) -> str:
        """The IRI of a graph node in N-Triples (``<…>``), computed once per node. The base
        is a checked IRI and the path percent-encoded, so the IRI needs no more checking."""
        ref = self._refs.get(node)
        if ref is None:
            ref = self._refs[node] = f"<{self.base}{self.path(node)}>"
        return ref

    def iri(self, node: str) -> NamedNode:
        """The IRI of a graph node as a pyoxigraph term."""
        return NamedNode(self.ref(node)[1:-1])

    def agent(self, name: str) -> str:
        """The IRI of an author in N-Triples, declared as a PROV agent with its name on first
        use."""
        iri = self._agents.get(name)
        if iri is None:
            iri = self._agents[name] = f"<{self.base}agent/{_segment(name)}>"
            self.add(iri, str(RDF.type), str(PROV.Agent))
            self.add(iri, str(FOAF.name), str(Literal(name)))
        return iri

    def add(self, subject: str, predicate: str, obj: str, reverse=False, inverse=None) -> None:
        """One triple of N-Triples terms, and its inverse when SKOS states one (``inverse``:
        found once per field or edge type by :meth:`inverse_of`)."""
        if reverse:
            subject, obj = obj, subject
        about = self.rdf.about
        about[subject].append(f"{predicate} {obj} .")
        if inverse is not None:
            about[obj].append(f"{inverse} {subject} .")

    @staticmethod
    def inverse_of(predicate: NamedNode) -> NamedNode | None:
        return INVERSES.get(predicate)

    def add_scheme(self, terms: Iterable[str], narrower: set[str]) -> None:
        """The one concept scheme; the ``terms`` (graph nodes) that are not ``narrower``
        (the source of a ``broader`` edge) are its top concepts."""
        scheme, in_scheme = str(self.scheme), str(SKOS.inScheme)
        top_of, has_top = str(SKOS.topConceptOf), str(SKOS.hasTopConcept)
        self.add(scheme, str(RDF.type), str(SKOS.ConceptScheme))
        title = Literal("Alignment Atlas terms", language=LANG)
        self.add(scheme, str(DCTERMS.title), str(title))
        for node in terms:
            concept = self.ref(node)
            self.add(concept, in_scheme, scheme)
            if node not in narrower:
                self.add(concept, top_of, scheme)
                self.add(scheme, has_top, concept)

    def _field_plan(self, kind: str, name: str) -> FieldPlan:
        """How attribute ``name`` of a ``kind`` node becomes lines, worked out once per kind
        and attribute: for each objects function of its fields (each called once per value,
        as several fields may share one), ``(predicate, reverse, inverse)`` of each field
        that uses it, in N-Triples."""
        plans = self._plans.setdefault(kind, {})
        plan = plans.get(name)
        if plan is None:
            fields = unmapped_guard({**COMMON_FIELDS, **NODE_FIELDS[kind]}, kind, name)
            uses: dict[Callable, list[tuple[str, bool, str | None]]] = {}
            for f in fields:
                predicate = f.predicate(self)
                uses.setdefault(f.objects, []).append(
                    (str(predicate), f.reverse, _written(self.inverse_of(predicate)))
                )
            plan = plans[name] = tuple((objects, tuple(used)) for objects, used in uses.items())
        return plan

    def add_node(self, node: str, data: dict) -> None:
        """The triples of one node's attributes (the hot path: one line a value)."""
        subject = self.ref(node)
        kind = data["kind"]
        plans = self._plans.get(kind, {})
        about = self.rdf.about
        own = about[subject].append
        for name, value in data.items():
            for make_objects, fields in plans.get(name) or self._field_plan(kind, name):
                try:
                    objects = make_objects(self, value)
                except ValueError as exc:  # a URL that no encoding makes an IRI
                    raise ExportError(
                        f"{data.get('path')}:{data.get('line')}: the {name} of {kind} "
                        f"'{data.get('id')}' cannot be written as RDF ({exc}): {value!r}; "
                        "correct it in the entry"
                    ) from None
                for predicate, reverse, inverse in fields:
                    for obj in objects:
                        if reverse:
                            about[obj].append(f"{predicate} {subject} .")
                        else:
                            own(f"{predicate} {obj} .")
                        if inverse is not None:
                            about[obj].append(f"{inverse} {subject} .")

    def add_edge(self, u: str, v: str, edge_type: str) -> None:
        if edge_type in ARGUMENT_EDGES:
            self.add_argument_edge(u, v, edge_type)
            return
        plan = self._edge_plans.get(edge_type)
        if plan is None:
            property_of, reverse = EDGE_PROPERTIES[edge_type]
            predicate = property_of(self)
            plan = str(predicate), reverse, _written(self.inverse_of(predicate))
            self._edge_plans[edge_type] = plan
        self.add(self.ref(u), plan[0], self.ref(v), plan[1], plan[2])

    def _scheme_path(self, u: str, v: str, edge_type: str) -> str:
        """The IRI path of the RA/CA node of ``u``'s support or attack of ``v``."""
        segment = ARGUMENT_EDGES[edge_type][0]
        return f"{segment}/{self.path(u).split('/', 1)[1]}/{self.path(v)}"

    def scheme_iri(self, u: str, v: str, edge_type: str) -> NamedNode:
        """The RA/CA node of ``u``'s support or attack of ``v``, built from both ends, so it
        is stable and unique."""
        return NamedNode(self.base + self._scheme_path(u, v, edge_type))

    def _add_scheme_node(self, node: str, node_class: NamedNode, premise: str, conclusion: str):
        self.add(node, str(RDF.type), str(node_class))
        self.add(node, str(AIF.Premise), premise)
        self.add(node, str(AIF.Conclusion), conclusion)

    def add_argument_edge(self, u: str, v: str, edge_type: str) -> None:
        """Support, objection and conflict as AIF: premise I-node → RA/CA node → conclusion
        I-node (never one I-node linked to another directly)."""
        scheme_node = f"<{self.base}{self._scheme_path(u, v, edge_type)}>"
        self._add_scheme_node(scheme_node, ARGUMENT_EDGES[edge_type][1], self.ref(u), self.ref(v))

    def add_undercut(self, u: str, v: str, data: dict) -> None:
        """An undercut as AIF: a CA node whose premise is the undercutting claim ``u`` and
        whose conclusion is the RA or CA node of each link into ``v`` that it attacks (the
        edge's "|"-joined ``premise`` and ``relation``, see :mod:`kb.graph`)."""
        links = zip(data["premise"].split("|"), data["relation"].split("|"), strict=True)
        claim_path = self.path(u).split("/", 1)[1]
        for premise, relation in links:
            attacked = self._scheme_path(f"claim:{premise}", v, relation)
            ca_node = f"<{self.base}ca/{claim_path}/{attacked}>"
            self._add_scheme_node(ca_node, AIF["CA-node"], self.ref(u), f"<{self.base}{attacked}>")

    def build(self, graph: nx.MultiDiGraph) -> Triples:
        """The triples of a graph of the knowledge base (:func:`kb.graph.build_graph`)."""
        return self.build_from(dict(graph.nodes(data=True)), graph.edges(keys=True, data=True))

    def build_from(self, nodes: Mapping[str, dict], edges: Iterable[Edge]) -> Triples:
        """The triples of the graph's ``nodes`` (node → attributes) and ``edges`` (source,
        target, type, attributes), as :func:`kb.graph.graph_nodes` and
        :func:`kb.graph.graph_edges` give them. The order they come in does not matter: the
        lines are sorted."""
        for node, data in nodes.items():
            self.add_node(node, data)
        narrower = set()
        for u, v, key, data in edges:
            if key == "undercuts":
                self.add_undercut(u, v, data)
            else:
                self.add_edge(u, v, key)
                if key == "broader":
                    narrower.add(u)
        self.add_scheme((n for n, data in nodes.items() if data["kind"] == "term"), narrower)
        return self.rdf


def _written(term: NamedNode | None) -> str | None:
    """The N-Triples form of ``term``, or None."""
    return None if term is None else str(term)


def unmapped_guard(fields: dict, kind: str, name: str) -> tuple[Field, ...]:
    """The fields for attribute ``name``; an attribute with no mapping is a bug in kb: fail loudly."""
    if name not in fields:
        raise LookupError(f"the RDF export has no mapping for the {kind} attribute '{name}'")
    field = fields[name]
    return field if isinstance(field, tuple) else (field,)


def rdf_triples(base: KnowledgeBase, base_iri: str = DEFAULT_BASE_IRI) -> Triples:
    """The whole knowledge base as triples (from the model, without the networkx graph)."""
    with gc_paused():  # hundreds of thousands of strings and dicts, no cycles among them
        nodes = graph_nodes(base)
        return RdfBuilder(base_iri).build_from(nodes, graph_edges(base, nodes))


def build_rdf(base: KnowledgeBase, base_iri: str = DEFAULT_BASE_IRI) -> rdflib.Graph:
    """The whole knowledge base as an rdflib ``Graph`` (prefixes bound): the same triples as
    the exports, for the Python API and SPARQL."""
    return to_rdflib(rdf_triples(base, base_iri), base_iri)


def to_rdflib(triples: Iterable[tuple], base_iri: str = DEFAULT_BASE_IRI) -> rdflib.Graph:
    """pyoxigraph triples as an rdflib ``Graph`` with the export's prefixes bound."""
    from rdflib import Graph, URIRef
    from rdflib import Literal as RdflibLiteral

    string = XSD.string
    converted: dict = {}

    def term(value):
        out = converted.get(value)
        if out is None:
            if isinstance(value, NamedNode):
                out = URIRef(value.value)
            elif value.language:
                out = RdflibLiteral(value.value, lang=value.language)
            elif value.datatype == string:
                out = RdflibLiteral(value.value)
            else:
                out = RdflibLiteral(value.value, datatype=URIRef(value.datatype.value))
            converted[value] = out
        return out

    graph = Graph()
    for prefix, namespace in namespaces(base_iri).items():
        graph.bind(prefix, namespace, override=True, replace=True)
    graph.addN((term(s), term(p), term(o), graph) for s, p, o in triples)
    return graph


def ntriples(base: KnowledgeBase, base_iri: str = DEFAULT_BASE_IRI) -> str:
    """The RDF as N-Triples: one triple a line, lines sorted (byte-stable)."""
    return rdf_triples(base, base_iri).ntriples()  # the triples are freed on return


#: From this many triples on, two processes write the output when there is a second CPU:
#: below it, starting the second process costs more than it saves.
PARALLEL_FROM = 100_000


def encoded(base: KnowledgeBase, rdf_format: str, base_iri: str = DEFAULT_BASE_IRI) -> bytes:
    """The RDF as ``nt``, ``turtle`` or ``json-ld``, UTF-8, byte-stable:

    - N-Triples: one triple a line, lines sorted;
    - Turtle: the sorted N-Triples read and rewritten by pyoxigraph with the export's
      prefixes, so each subject's triples are together and subjects are sorted;
    - JSON-LD: the same, in expanded form (full IRIs, so no prefix can be misread), one node
      a line.

    A large Turtle or JSON-LD export is rewritten in two halves at once, the second in a
    forked process (each subject's triples in one half; the writers keep no state from one
    subject to the next, so the halves joined are the bytes of one writing, see
    :func:`_joined`). N-Triples has no rewriting to share out.
    """
    triples = rdf_triples(base, base_iri)
    if rdf_format == "nt":
        return triples.ntriples().encode()
    prefixes = namespaces(base_iri)

    def write(subjects: list[str]) -> bytes:
        return _rewritten(triples.ntriples(subjects).encode(), rdf_format, prefixes)

    first, second = triples.halves()
    joined = None
    if second and triples.size() >= PARALLEL_FROM and _cpus() > 1:
        joined = _joined(*in_two_processes(write, first, second), rdf_format)
    text = write(first + second) if joined is None else joined
    return text + b"\n" if rdf_format == "json-ld" else text


def _rewritten(ntriples: bytes, rdf_format: str, prefixes: dict[str, str]) -> bytes:
    """Sorted N-Triples as ``turtle`` or ``json-ld`` (JSON-LD without its last line end)."""
    parsed = parse(ntriples, format=RdfFormat.N_TRIPLES)
    if rdf_format == "json-ld":
        text = cast(bytes, write_rdf(parsed, format=RdfFormat.JSON_LD))
        # One node a line: `]},{"@id":` only occurs between two nodes (never inside a
        # string, where `"` is escaped, nor after a value object, which ends in `"}`).
        return text.replace(b']},{"@id":', b']},\n{"@id":')
    return cast(bytes, write_rdf(parsed, format=RdfFormat.TURTLE, prefixes=prefixes))


def _joined(first: bytes, second: bytes, rdf_format: str) -> bytes | None:
    """The outputs of two runs of subjects, the first's before the second's, as the one
    output of all of them: JSON-LD's two arrays ``[a]`` and ``[b]`` as ``[a,\nb]``, Turtle
    with the second's ``@prefix`` lines left out. None when they do not join (the two
    Turtle outputs declare different prefixes)."""
    if rdf_format == "json-ld":
        return b"".join((memoryview(first)[:-1], b",\n", memoryview(second)[1:]))
    header = _prefix_lines(second)
    if not first.startswith(header):
        return None
    return b"".join((first, memoryview(second)[len(header) :]))  # one copy of each


def _prefix_lines(turtle: bytes) -> bytes:
    """The ``@prefix`` lines that open a Turtle document."""
    end = 0
    while turtle.startswith(b"@prefix ", end):
        end = turtle.index(b"\n", end) + 1
    return turtle[:end]


def serialize(base: KnowledgeBase, rdf_format: str, base_iri: str = DEFAULT_BASE_IRI) -> str:
    """The RDF as ``nt``, ``turtle`` or ``json-ld`` text (see :func:`encoded`)."""
    if rdf_format == "nt":
        return ntriples(base, base_iri)
    return encoded(base, rdf_format, base_iri).decode()
