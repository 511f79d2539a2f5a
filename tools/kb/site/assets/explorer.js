/* Alignment Atlas: the graph explorer (cytoscape, served from the site itself), loaded by
 * graph.js on the explorer's page only, with cytoscape and assets/kb/graph.json.
 *
 * It draws a small, readable view that the reader grows:
 *
 * - The first view is the entry named by ?focus=<node id> (without one, graph.start: the most
 *   linked term, chosen when the site is built) and its neighbours one link away, argument
 *   links first, at most graph.max nodes.
 * - Selecting a node (click or tap) shows its full name, its page and an "Add its neighbours"
 *   button in the panel beside the drawing; a double click adds them at once. Search adds the
 *   node found (with its neighbours) to the view. "Start again" goes back to the first view.
 * - The check boxes hide node kinds and link types; the status line counts what is shown.
 * - The entries in view are also a list of buttons, by kind (for phones, keyboards and screen
 *   readers). The list, the search, the filters and the panel work from graph.json alone:
 *   start() makes them at once, attach() adds the drawing when graph.js has loaded cytoscape.
 *
 * Labels are plain text (cytoscape draws them; the panel uses textContent). They sit on a
 * background of the page's colour, in the page's text colour, read from Material's palette
 * (light or dark) and followed when the reader switches it, so their contrast is the page's.
 * The initial zoom never makes a label smaller than MIN_LABEL_PX. window.kbGraph exposes the
 * explorer and (once drawn) the cytoscape instance for tests.
 */
(function () {
  "use strict";
  var FONT_PX = 13;
  var MIN_LABEL_PX = 12;
  var EXPAND_MAX = 30;
  var AREA_PER_NODE = 18000;  // px² of layout a node and its 13 px name need to stand apart
  /* A CSS colour as opaque "rgb(r, g, b)", blended over `under` when it is translucent. */
  function opaque(colour, under) {
    var probe = document.createElement("span");
    probe.style.color = colour;
    document.body.appendChild(probe);
    var parts = getComputedStyle(probe).color.match(/[\d.]+/g).map(Number);
    probe.remove();
    var alpha = parts.length > 3 ? parts[3] : 1;
    var base = under || [255, 255, 255];
    var rgb = [0, 1, 2].map(function (i) { return Math.round(parts[i] * alpha + base[i] * (1 - alpha)); });
    return rgb;
  }

  function rgb(values) { return "rgb(" + values.join(", ") + ")"; }

  /* The page's background and text colours (Material's palette variables). */
  function pageColours() {
    var style = getComputedStyle(document.body);
    var bg = opaque(style.getPropertyValue("--md-default-bg-color").trim() || "#fff");
    var fg = opaque(style.getPropertyValue("--md-default-fg-color").trim() || "#000", bg);
    return { bg: rgb(bg), fg: rgb(fg) };
  }

  function cyStyle(graph, colours) {
    var rules = [
      { selector: "node", style: {
        "label": "data(label)", "font-size": FONT_PX, "color": colours.fg,
        "font-family": getComputedStyle(document.body).fontFamily,
        "text-valign": "bottom", "text-margin-y": 4, "text-wrap": "ellipsis",
        "text-max-width": 140, "text-background-color": colours.bg,
        "text-background-opacity": 1, "text-background-padding": 2,
        "text-background-shape": "roundrectangle", "width": 18, "height": 18,
        "border-width": 1, "border-color": colours.fg } },
      { selector: "node.kb-focus", style: { "width": 30, "height": 30, "border-width": 3,
        "font-weight": "bold" } },
      { selector: "node:selected", style: { "border-width": 4, "border-color": colours.fg,
        "underlay-color": colours.fg, "underlay-opacity": 0.15, "underlay-padding": 6 } },
      { selector: "node.kb-more", style: { "border-style": "double", "border-width": 4 } },
      { selector: ".kb-hidden", style: { "display": "none" } },
      { selector: "edge", style: { "width": 2, "curve-style": "bezier",
        "target-arrow-shape": "triangle", "arrow-scale": 0.9 } }
    ];
    Object.keys(graph.kinds).forEach(function (kind) {
      rules.push({ selector: "node[kind = '" + kind + "']", style: {
        "background-color": graph.kinds[kind].colour, "shape": graph.kinds[kind].shape } });
    });
    Object.keys(graph.types).forEach(function (type) {
      var t = graph.types[type];
      rules.push({ selector: "edge[type = '" + type + "']", style: {
        "line-color": t.colour, "target-arrow-color": t.colour, "line-style": t.line,
        "line-dash-pattern": t.line === "dotted" ? [2, 3] : [7, 4] } });
    });
    return rules;
  }

  function checked(group) {
    var on = {};
    document.querySelectorAll("input[data-" + group + "]").forEach(function (box) {
      on[box.getAttribute("data-" + group)] = box.checked;
    });
    return on;
  }

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  /* A promise that settles in a task of its own: the drawing's set-up runs as several short
   * tasks, not one long one that holds the page. */
  function nextTask() {
    return new Promise(function (resolve) { setTimeout(resolve, 0); });
  }

  /* The view (which entries are shown, which is in focus and which selected), the list of its
   * entries, the search and the panel: all of them work from graph.json alone, before the
   * drawing exists (attach() adds it). */
  function Explorer(graph, siteRoot) {
    var self = this;
    this.graph = graph;
    this.siteRoot = siteRoot;
    this.byId = {};
    this.links = {};   // node id -> [{other, type, out}]
    graph.nodes.forEach(function (n) { self.byId[n.id] = n; self.links[n.id] = []; });
    graph.edges.forEach(function (e, i) {
      e.id = "e" + i;
      if (self.links[e.from] && self.links[e.to]) {
        self.links[e.from].push({ other: e.to, type: e.type, out: true, edge: e });
        self.links[e.to].push({ other: e.from, type: e.type, out: false, edge: e });
      }
    });
    this.status = document.getElementById("kb-graph-status");
    this.info = document.getElementById("kb-graph-info");
    this.shown = {};   // node id -> true: the entries in the view
    this.hidden = {};  // node id -> true: in the view but hidden by the filters
    this.focus = null;
    this.selected = null;
    this.cy = null;    // the drawing, once attach() has made it
    window.kbGraph = { cy: null, explorer: this };
  }

  /* The node's neighbours, argument links first, then by name. */
  Explorer.prototype.neighbours = function (id) {
    var self = this;
    var order = this.graph.priority;  // argument links first
    var rank = function (type) { var i = order.indexOf(type); return i < 0 ? order.length : i; };
    var best = {};
    this.links[id].forEach(function (link) {
      if (link.other !== id && (!(link.other in best) || rank(link.type) < best[link.other])) {
        best[link.other] = rank(link.type);
      }
    });
    return Object.keys(best).sort(function (a, b) {
      return best[a] - best[b] || self.byId[a].label.localeCompare(self.byId[b].label);
    });
  };

  Explorer.prototype.hiddenNeighbours = function (id) {
    var shown = this.shown;
    return this.neighbours(id).filter(function (other) { return !shown[other]; });
  };

  /* Put nodes into the view (and into the drawing, once there is one); returns the ids added. */
  Explorer.prototype.add = function (ids, near) {
    var self = this;
    var fresh = ids.filter(function (id) { return self.byId[id] && !self.shown[id]; });
    fresh.forEach(function (id) { self.shown[id] = true; });
    if (this.cy) { this.draw(fresh, near); }
    this.applyFilters();
    return fresh;
  };

  /* Add nodes to the drawing (and every edge between drawn nodes); new nodes start on a
   * circle around `near` (a drawn node), wide enough to give each of them room, so the layout
   * grows from there. */
  Explorer.prototype.draw = function (fresh, near) {
    var self = this;
    var cy = this.cy;
    var centre = near ? cy.getElementById(near).position() : { x: 0, y: 0 };
    var radius = Math.max(120, fresh.length * 60 / Math.PI);  // 120 px of circle a node
    cy.add(fresh.map(function (id, i) {
      var angle = 2 * Math.PI * i / Math.max(1, fresh.length);
      var n = self.byId[id];
      return { group: "nodes", data: { id: id, label: n.label, kind: n.kind, url: n.url },
        position: { x: centre.x + radius * Math.cos(angle), y: centre.y + radius * Math.sin(angle) } };
    }));
    var edges = {};  // by id: an edge between two new nodes is met from both ends
    fresh.forEach(function (id) {
      self.links[id].forEach(function (link) {
        var e = link.edge;
        if (self.shown[link.other] && cy.getElementById(e.id).empty()) {
          edges[e.id] = { group: "edges", data: { id: e.id, source: e.from, target: e.to, type: e.type } };
        }
      });
    });
    cy.add(Object.keys(edges).map(function (key) { return edges[key]; }));
    this.markMore();
  };

  /* Nodes with neighbours not yet shown get a double border (and say so in the panel). */
  Explorer.prototype.markMore = function () {
    var self = this;
    this.cy.nodes().forEach(function (node) {
      node.toggleClass("kb-more", self.hiddenNeighbours(node.id()).length > 0);
    });
  };

  /* cytoscape's force-directed layout (cose), counting labels as part of the nodes and
   * pushing them apart hard, so that names do not overlap. It lays out in a box of
   * AREA_PER_NODE a node, shaped like the drawing area (within 3:4 to 2:1): a view that fits
   * the drawing area at a readable zoom is shown whole, a bigger one (or any on a phone, too
   * narrow for names side by side) is panned. A box the size of the drawing area squeezes the
   * names into each other: in the first views of the ten most linked entries, 135 of 291
   * labels overlapped another in a box of 9,000 px² a node with a random start, 38 in this
   * one starting from where the nodes are (new ones on the circle draw() puts them on), which
   * also makes a view the same each time. It runs 30 iterations an animation frame (no long
   * task holds the page) and shows the nodes where they end; returns a promise of the end. */
  Explorer.prototype.layout = function () {
    var cy = this.cy;
    var aspect = Math.min(2, Math.max(0.75, cy.width() / cy.height()));
    var width = Math.sqrt(cy.nodes().length * AREA_PER_NODE * aspect);
    var layout = cy.layout({ name: "cose", animate: true, refresh: 30, animationThreshold: 1e9,
      randomize: false, fit: false, padding: 20,
      boundingBox: { x1: 0, y1: 0, w: width, h: width / aspect },
      nodeDimensionsIncludeLabels: true, nodeRepulsion: function () { return 400000; },
      idealEdgeLength: function () { return 80; }, edgeElasticity: function () { return 100; },
      gravity: 0.25, componentSpacing: 40, nodeOverlap: 40, numIter: 1000 });
    var done = layout.promiseOn("layoutstop");
    layout.run();
    return done;
  };

  /* Zoom so that the whole view fits, but never below readable labels: centred on the focus
   * (or the view's middle) when the view is too big to fit at that size. */
  Explorer.prototype.readableZoom = function () {
    var cy = this.cy;
    cy.fit(cy.elements().not(".kb-hidden"), 30);
    var least = MIN_LABEL_PX / FONT_PX;
    if (cy.zoom() < least) {
      cy.zoom(least);
      cy.center(this.focus ? cy.getElementById(this.focus) : cy.elements().not(".kb-hidden"));
    } else if (cy.zoom() > 1.25) {
      cy.zoom(1.25);
      cy.center(cy.elements().not(".kb-hidden"));
    }
  };

  /* Draw the whole view again from fixed places (the focus in the middle of a circle of the
   * other nodes), so that a view is drawn the same each time; returns a promise of the end. */
  Explorer.prototype.drawView = function () {
    var self = this;
    var cy = this.cy;
    cy.elements().remove();
    this.draw(Object.keys(this.shown), null);
    this.applyFilters();
    if (this.focus && this.shown[this.focus]) {
      cy.getElementById(this.focus).addClass("kb-focus").position({ x: 0, y: 0 });
    }
    if (this.selected) { cy.getElementById(this.selected).select(); }
    cy.container().style.visibility = "hidden";  // until the nodes are in place
    return nextTask().then(function () { return self.layout(); }).then(function () {
      self.readableZoom();
      cy.container().style.visibility = "";
    });
  };

  /* The first view (see the top of this file); returns a promise of its drawing's end. */
  Explorer.prototype.firstView = function () {
    this.shown = {};
    this.selected = null;
    // Without a ?focus=, the view the page's list was built with.
    var ids = this.focus === this.graph.start ? this.graph.first
      : [this.focus].concat(this.neighbours(this.focus).slice(0, this.graph.max - 1));
    this.add(ids, null);
    this.describe(null);
    this.report();
    return this.cy ? this.drawView() : Promise.resolve();
  };

  /* Add up to EXPAND_MAX neighbours of `id` not shown yet; returns how many were added (the
   * layout makes room for them right after). */
  Explorer.prototype.expand = function (id) {
    var self = this;
    var more = this.hiddenNeighbours(id).slice(0, EXPAND_MAX);
    if (!more.length) { this.report(); return 0; }
    this.add(more, id);
    this.describe(id);
    this.report();
    if (this.cy) { this.layout().then(function () { self.cy.center(self.cy.getElementById(id)); }); }
    return more.length;
  };

  Explorer.prototype.applyFilters = function () {
    var kinds = checked("node-kind");
    var types = checked("edge-type");
    var self = this;
    this.hidden = {};
    Object.keys(this.shown).forEach(function (id) {
      if (kinds[self.byId[id].kind] === false && id !== self.focus) { self.hidden[id] = true; }
    });
    if (!this.cy) { return; }
    this.cy.nodes().forEach(function (n) { n.toggleClass("kb-hidden", !!self.hidden[n.id()]); });
    this.cy.edges().forEach(function (e) { e.toggleClass("kb-hidden", types[e.data("type")] === false); });
  };

  /* The entries in view that the filters let through. */
  Explorer.prototype.visible = function () {
    var hidden = this.hidden;
    return Object.keys(this.shown).filter(function (id) { return !hidden[id]; });
  };

  Explorer.prototype.report = function (prefix) {
    var shown = this.visible().length;
    var all = Object.keys(this.shown).length;
    var text = "Showing " + shown + " of " + this.graph.nodes.length + " entries" +
      (all > shown ? " (" + (all - shown) + " hidden by the filters)" : "") + ".";
    this.status.textContent = (prefix || "") + text;
    this.listShown();
  };

  /* The entries in view as a list of buttons, by kind and A–Z (for phones, keyboards and
   * screen readers; it works before the drawing is made): each selects its entry and
   * describes it in the panel. */
  Explorer.prototype.listShown = function () {
    var self = this;
    var list = document.getElementById("kb-graph-list");
    list.textContent = "";
    var byKind = {};
    this.visible().forEach(function (id) {
      var n = self.byId[id];
      (byKind[n.kind] = byKind[n.kind] || []).push(n);
    });
    Object.keys(this.graph.kinds).filter(function (kind) { return byKind[kind]; }).forEach(function (kind) {
      var nodes = byKind[kind].sort(function (a, b) { return a.label.localeCompare(b.label); });
      var group = element("li", null, "kb-ex-group");
      group.appendChild(element("p", self.graph.kindNames[kind] + " (" + nodes.length + ")", "kb-ex-group-head"));
      var items = group.appendChild(element("ul"));
      nodes.forEach(function (n) {
        var pick = element("button", n.label, "kb-ex-pick");
        pick.type = "button";
        if (n.id === self.focus) { pick.setAttribute("aria-current", "true"); }
        pick.addEventListener("click", function () { self.select(n.id); });
        items.appendChild(element("li")).appendChild(pick);
      });
      list.appendChild(group);
    });
  };

  /* Select an entry in view: describe it in the panel (scrolled into sight), and in the
   * drawing select and centre it. */
  Explorer.prototype.select = function (id) {
    this.selected = id;
    this.describe(id);
    this.info.scrollIntoView({ block: "nearest" });
    if (!this.cy) { return; }
    var node = this.cy.getElementById(id);
    this.cy.nodes().unselect();
    node.select();
    this.cy.center(node);
  };

  /* The panel: the selected node's full name, kind, page and growth. */
  Explorer.prototype.describe = function (id) {
    var self = this;
    var info = this.info;
    if (!id) { return; }
    var n = this.byId[id];
    var hidden = this.hiddenNeighbours(id).length;
    info.textContent = "";
    info.appendChild(element("p", n.kind, "kb-ex-kind"));
    info.appendChild(element("p", n.label, "kb-ex-label"));
    if (n.by) { info.appendChild(element("p", "By " + n.by, "kb-ex-by")); }
    var open = element("a", "Open its page");
    open.href = new URL(n.url, this.siteRoot).href;
    open.className = "md-button kb-ex-open";
    info.appendChild(open);
    var grow = element("button", hidden ? "Add its neighbours (" + hidden + " more)"
      : "All its neighbours are shown", "md-button kb-ex-expand");
    grow.type = "button";
    grow.disabled = !hidden;
    grow.addEventListener("click", function () { self.expand(id); });
    info.appendChild(grow);
  };

  /* The node a search text names: an exact label first, else the first label containing it. */
  Explorer.prototype.find = function (text) {
    var query = text.trim().toLowerCase();
    if (!query) { return null; }
    var nodes = this.graph.nodes;
    var hit = nodes.filter(function (n) { return n.label.toLowerCase() === query; })[0] ||
      nodes.filter(function (n) { return n.label.toLowerCase().indexOf(query) >= 0; })[0];
    return hit ? hit.id : null;
  };

  Explorer.prototype.show = function (text) {
    var hit = this.find(text);
    if (!hit) { this.report("Nothing is called “" + text.trim() + "”. "); return; }
    var self = this;
    if (!this.shown[hit]) {
      var near = this.neighbours(hit).filter(function (o) { return self.shown[o]; })[0];
      this.add([hit], near || null);
      this.expand(hit);
    }
    this.select(hit);
    this.report();
  };

  /* The search, the buttons and the filters: they work on the view, drawn or not. */
  Explorer.prototype.wire = function () {
    var self = this;
    var input = document.getElementById("kb-graph-search");
    var list = document.getElementById("kb-graph-names");
    list.textContent = "";
    this.graph.nodes.forEach(function (n) { list.appendChild(element("option")).value = n.label; });
    input.addEventListener("keydown", function (event) { if (event.key === "Enter") { self.show(input.value); } });
    document.getElementById("kb-graph-find").addEventListener("click", function () { self.show(input.value); });
    document.getElementById("kb-graph-reset").addEventListener("click", function () { self.firstView(); });
    document.querySelectorAll("input[data-node-kind], input[data-edge-type]").forEach(function (box) {
      box.addEventListener("change", function () { self.applyFilters(); self.report(); });
    });
  };

  /* Draw the view in `container` with cytoscape (graph.js loads it after the list is made);
   * the set-up runs as a few short tasks. Returns a promise of the first drawing's end. */
  Explorer.prototype.attach = function (cytoscape, container) {
    var self = this;
    return nextTask().then(function () {
      container.textContent = "";
      self.cy = cytoscape({ container: container, style: cyStyle(self.graph, pageColours()),
        minZoom: 0.2, maxZoom: 3, wheelSensitivity: 0.3, boxSelectionEnabled: false });
      window.kbGraph.cy = self.cy;
      self.wireDrawing();
      return self.drawView();
    });
  };

  /* What the reader does in the drawing: tap to describe, double tap to grow; hover names. */
  Explorer.prototype.wireDrawing = function () {
    var self = this;
    var cy = this.cy;
    cy.on("tap", "node", function (event) {
      self.selected = event.target.id();
      self.describe(self.selected);
    });
    cy.on("dbltap", "node", function (event) { self.expand(event.target.id()); });
    // A label cut short shows whole on hover (and in the panel and the list).
    cy.on("mouseover", "node", function (event) {
      cy.container().title = event.target.data("kind") + ": " + event.target.data("label");
    });
    cy.on("mouseover", "edge", function (event) {
      var source = self.byId[event.target.data("source")], target = self.byId[event.target.data("target")];
      cy.container().title = source.label + " — " + self.graph.types[event.target.data("type")].words +
        " — " + target.label;
    });
    cy.on("mouseout", "node, edge", function () { cy.container().title = ""; });
    new MutationObserver(function () { cy.style(cyStyle(self.graph, pageColours())); })
      .observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  };

  /* The view, its list, the search and the panel, from graph.json alone (graph.js attaches
   * the drawing later); a ?focus= that names no entry is said in the status line. */
  function start(graph, siteRoot) {
    var explorer = new Explorer(graph, siteRoot);
    var focus = new URLSearchParams(location.search).get("focus");
    explorer.focus = focus && explorer.byId[focus] ? focus : graph.start;
    explorer.wire();
    explorer.firstView();
    if (focus && !explorer.byId[focus]) { explorer.report("No entry “" + focus + "” in the graph. "); }
    return explorer;
  }

  window.kbExplorer = { start: start };
})();
