/* Alignment Atlas: the graph explorer (vis-network, served from the site itself).
 *
 * Runs on the page holding #kb-graph: loads vis-network (through kb.js's loader) and
 * assets/kb/graph.json, draws the nodes coloured by kind and the edges coloured by type, and
 * wires the filters, the search box, the focus controls and click-through to pages.
 *
 * Two views. The whole graph, filtered by the node-kind and edge-type boxes (the page leaves
 * some kinds unticked at first, for readability). Or one node's neighbourhood: the node and
 * every node within `depth` links of it, following links in either direction and of any type;
 * the address graph/?focus=<node id>&depth=<1-3> opens it, and the page's controls change it
 * (the address follows, so it can be shared). Entering a neighbourhood ticks every node kind;
 * going back to the whole graph restores the page's first choice of boxes.
 *
 * Labels are plain text (vis-network draws them on a canvas; the hover titles are built with
 * textContent). window.kbGraph exposes the network and its data for tests.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var assets = new URL("./", script ? script.src : location.href);
  var siteRoot = new URL("../../", assets);
  var MAX_DEPTH = 3;

  function loadLibrary() {
    if (window.vis && window.vis.Network) { return Promise.resolve(window.vis); }
    if (!document.querySelector("link[data-kb-vis]")) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = new URL("vis-network.css", assets).href;
      css.setAttribute("data-kb-vis", "");
      document.head.appendChild(css);
    }
    return window.kbAtlas.loadScript(new URL("vis-network.min.js", assets).href)
      .then(function () { return window.vis; });
  }

  function textTitle(text) {
    var element = document.createElement("div");
    element.textContent = text;
    return element;
  }

  function checked(kind) {
    var on = {};
    document.querySelectorAll("input[data-" + kind + "]").forEach(function (box) {
      on[box.getAttribute("data-" + kind)] = box.checked;
    });
    return on;
  }

  function setKindBoxes(choose) {
    document.querySelectorAll("input[data-node-kind]").forEach(function (box) {
      box.checked = choose(box);
    });
  }

  function nodeItem(n, colours, emphasised) {
    return {
      id: n.id, label: n.label.length > 40 ? n.label.slice(0, 39) + "…" : n.label,
      title: textTitle(n.kind + ": " + n.label), kind: n.kind, url: n.url,
      color: colours.nodes[n.kind], shape: n.kind === "sense" ? "dot" : "box",
      size: emphasised ? 16 : 8, borderWidth: emphasised ? 4 : 1,
      font: { color: n.kind === "sense" ? "#333" : "#fff", size: emphasised ? 16 : 12,
              bold: emphasised }
    };
  }

  function edgeItem(e, i, colours) {
    return {
      id: i, from: e.from, to: e.to, type: e.type, arrows: "to",
      color: { color: colours.edges[e.type], highlight: colours.edges[e.type] },
      title: textTitle(e.type.replace(/_/g, " ")),
      dashes: e.type === "cites" || e.type === "sense_of"
    };
  }

  /* Node id -> number of links from `focus`, for every node at most `depth` links away. */
  function neighbourhood(graph, focus, depth) {
    var adjacent = {};
    graph.edges.forEach(function (e) {
      (adjacent[e.from] = adjacent[e.from] || []).push(e.to);
      (adjacent[e.to] = adjacent[e.to] || []).push(e.from);
    });
    var distance = {};
    distance[focus] = 0;
    var frontier = [focus];
    for (var step = 1; step <= depth; step++) {
      var next = [];
      frontier.forEach(function (node) {
        (adjacent[node] || []).forEach(function (other) {
          if (!(other in distance)) { distance[other] = step; next.push(other); }
        });
      });
      frontier = next;
    }
    return distance;
  }

  function clampDepth(value) {
    var depth = parseInt(value, 10);
    return isNaN(depth) ? 1 : Math.max(1, Math.min(MAX_DEPTH, depth));
  }

  function networkOptions(count) {
    var big = count > 800;
    return {
      nodes: { font: { face: "Roboto, sans-serif" }, widthConstraint: { maximum: 180 } },
      edges: { smooth: big ? false : { type: "continuous" }, width: 1.2 },
      physics: { solver: "forceAtlas2Based", stabilization: { iterations: big ? 60 : 200 } },
      interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: big },
      layout: { improvedLayout: count <= 150 }
    };
  }

  function Explorer(container, vis, graph, status) {
    var self = this;
    var byId = {};
    graph.nodes.forEach(function (n) { byId[n.id] = n; });
    this.graph = graph;
    this.byId = byId;
    this.status = status;
    this.container = container;
    this.vis = vis;
    this.focus = null;
    this.depth = 1;
    this.inView = null;   // the focused neighbourhood (node id -> links away), or null
    this.kinds = checked("node-kind");
    this.types = checked("edge-type");
    this.nodes = new vis.DataSet(graph.nodes.map(function (n) { return nodeItem(n, graph.colours); }));
    this.edges = new vis.DataSet(graph.edges.map(function (e, i) { return edgeItem(e, i, graph.colours); }));
    this.nodeView = new vis.DataView(this.nodes, { filter: function (n) { return self.shows(n); } });
    this.edgeView = new vis.DataView(this.edges, { filter: function (e) { return self.types[e.type] !== false; } });
    this.network = null;
  }

  Explorer.prototype.shows = function (n) {
    if (this.inView && !(n.id in this.inView)) { return false; }
    return n.id === this.focus || this.kinds[n.kind] !== false;
  };

  /* A new network for the nodes in view, laid out afresh (a neighbourhood keeps no position
   * from the whole graph's layout). */
  Explorer.prototype.draw = function () {
    var self = this;
    if (this.network) { this.network.destroy(); }
    var network = new this.vis.Network(this.container, { nodes: this.nodeView, edges: this.edgeView },
      networkOptions(this.nodeView.length));
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: false });
      network.fit();
    });
    network.on("click", function (params) {
      if (params.nodes.length) {
        window.location.href = new URL(self.byId[params.nodes[0]].url, siteRoot).href;
      }
    });
    this.network = network;
    window.kbGraph = { network: network, nodes: this.nodes, edges: this.edges, explorer: this };
    this.report();
  };

  Explorer.prototype.emphasise = function (node, on) {
    if (node && this.byId[node]) { this.nodes.update(nodeItem(this.byId[node], this.graph.colours, on)); }
  };

  Explorer.prototype.showNeighbourhood = function (node, depth) {
    this.emphasise(this.focus, false);
    this.focus = node;
    this.depth = clampDepth(depth);
    this.inView = neighbourhood(this.graph, node, this.depth);
    document.getElementById("kb-graph-depth").value = String(this.depth);
    setKindBoxes(function () { return true; });
    this.kinds = checked("node-kind");
    this.emphasise(node, true);
    this.nodeView.refresh();
    this.draw();
    this.remember();
  };

  Explorer.prototype.showWhole = function () {
    this.emphasise(this.focus, false);
    this.focus = null;
    this.inView = null;
    setKindBoxes(function (box) { return box.defaultChecked; });
    this.kinds = checked("node-kind");
    this.nodeView.refresh();
    this.draw();
    this.remember();
  };

  Explorer.prototype.filtersChanged = function () {
    this.kinds = checked("node-kind");
    this.types = checked("edge-type");
    this.nodeView.refresh();
    this.edgeView.refresh();
    this.report();
  };

  /* The address shows the view, without adding a history entry (instant navigation owns those). */
  Explorer.prototype.remember = function () {
    var url = new URL(location.href);
    url.search = this.focus ? "?focus=" + encodeURIComponent(this.focus) + "&depth=" + this.depth : "";
    history.replaceState(history.state, "", url.href);
  };

  Explorer.prototype.report = function (prefix) {
    var shown = this.nodeView.length;
    var total = this.graph.nodes.length;
    var text = this.focus
      ? "Neighbourhood of “" + this.byId[this.focus].label + "”, " + this.depth +
        (this.depth === 1 ? " link" : " links") + " away: " + shown + " of " + total + " nodes."
      : "Whole graph: " + shown + " of " + total + " nodes shown.";
    this.status.textContent = (prefix || "") + text;
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

  Explorer.prototype.wire = function () {
    var self = this;
    var input = document.getElementById("kb-graph-search");
    var depth = document.getElementById("kb-graph-depth");
    var list = document.getElementById("kb-graph-names");
    this.graph.nodes.forEach(function (n) {
      var option = document.createElement("option");
      option.value = n.label;
      list.appendChild(option);
    });
    function select() {
      var hit = self.find(input.value);
      if (!hit) { self.network.unselectAll(); return; }
      if (!self.nodeView.get(hit)) { self.report("“" + input.value + "” is not in this view. "); return; }
      self.network.selectNodes([hit]);
      self.network.focus(hit, { scale: 1.2, animation: true });
    }
    input.addEventListener("change", select);
    input.addEventListener("keydown", function (event) { if (event.key === "Enter") { select(); } });
    document.getElementById("kb-graph-focus").addEventListener("click", function () {
      var hit = self.find(input.value) || self.network.getSelectedNodes()[0] || self.focus;
      if (hit) { self.showNeighbourhood(hit, depth.value); }
      else { self.report("Find a node first. "); }
    });
    depth.addEventListener("change", function () {
      if (self.focus) { self.showNeighbourhood(self.focus, depth.value); }
    });
    document.getElementById("kb-graph-whole").addEventListener("click", function () { self.showWhole(); });
    document.querySelectorAll("input[data-node-kind], input[data-edge-type]").forEach(function (box) {
      box.addEventListener("change", function () { self.filtersChanged(); });
    });
  };

  /* The view the address asks for: ?focus=<node id>&depth=<n>, or the whole graph. */
  Explorer.prototype.start = function () {
    var query = new URLSearchParams(location.search);
    var focus = query.get("focus");
    this.wire();
    if (focus && this.byId[focus]) {
      this.showNeighbourhood(focus, query.get("depth"));
    } else {
      this.draw();
      if (focus) { this.report("No node “" + focus + "” in the graph. "); }
    }
  };

  function init() {
    var container = document.getElementById("kb-graph");
    var status = document.getElementById("kb-graph-status");
    if (!container || container.getAttribute("data-drawn")) { return; }
    container.setAttribute("data-drawn", "pending");
    var source = new URL(container.getAttribute("data-src"), location.href);
    Promise.all([loadLibrary(), fetch(source).then(function (r) { return r.json(); })])
      .then(function (loaded) {
        new Explorer(container, loaded[0], loaded[1], status).start();
        container.setAttribute("data-drawn", "yes");
      })
      .catch(function (error) {
        status.textContent = "The graph could not be drawn: " + error;
      });
  }

  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
