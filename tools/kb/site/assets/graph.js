/* Alignment Atlas: the graph explorer (vis-network, served from the site itself).
 *
 * Runs on the page holding #kb-graph: loads vis-network and assets/kb/graph.json, draws every
 * node coloured by kind and every edge coloured by type, and wires the filters, the search box
 * and click-through to pages. Labels are plain text (vis-network draws them on a canvas; the
 * hover titles are built with textContent). window.kbGraph exposes the network for tests.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var assets = new URL("./", script ? script.src : location.href);
  var siteRoot = new URL("../../", assets);
  var library = null;

  function loadLibrary() {
    if (window.vis && window.vis.Network) { return Promise.resolve(window.vis); }
    if (!library) {
      library = new Promise(function (resolve, reject) {
        var css = document.createElement("link");
        css.rel = "stylesheet";
        css.href = new URL("vis-network.css", assets).href;
        document.head.appendChild(css);
        var tag = document.createElement("script");
        tag.src = new URL("vis-network.min.js", assets).href;
        tag.onload = function () { resolve(window.vis); };
        tag.onerror = reject;
        document.head.appendChild(tag);
      });
    }
    return library;
  }

  function textTitle(text) {
    var element = document.createElement("div");
    element.textContent = text;
    return element;
  }

  function checked(kind) {
    var boxes = document.querySelectorAll("input[data-" + kind + "]");
    var on = {};
    boxes.forEach(function (box) { on[box.getAttribute("data-" + kind)] = box.checked; });
    return on;
  }

  function draw(container, vis, graph) {
    var colours = graph.colours;
    var nodes = new vis.DataSet(graph.nodes.map(function (n) {
      return {
        id: n.id, label: n.label.length > 40 ? n.label.slice(0, 39) + "…" : n.label,
        title: textTitle(n.kind + ": " + n.label), kind: n.kind, url: n.url,
        color: colours.nodes[n.kind], shape: n.kind === "sense" ? "dot" : "box",
        size: 8, font: { color: n.kind === "sense" ? "#333" : "#fff", size: 12 }
      };
    }));
    var edges = new vis.DataSet(graph.edges.map(function (e, i) {
      return {
        id: i, from: e.from, to: e.to, type: e.type, arrows: "to",
        color: { color: colours.edges[e.type], highlight: colours.edges[e.type] },
        title: textTitle(e.type.replace(/_/g, " ")),
        dashes: e.type === "cites" || e.type === "sense_of"
      };
    }));
    var shownKinds = checked("node-kind");
    var shownTypes = checked("edge-type");
    var nodeView = new vis.DataView(nodes, { filter: function (n) { return shownKinds[n.kind] !== false; } });
    var edgeView = new vis.DataView(edges, { filter: function (e) { return shownTypes[e.type] !== false; } });
    var big = graph.nodes.length > 800;
    var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, {
      nodes: { font: { face: "Roboto, sans-serif" }, widthConstraint: { maximum: 180 } },
      edges: { smooth: big ? false : { type: "continuous" }, width: 1.2 },
      physics: { solver: "forceAtlas2Based", stabilization: { iterations: big ? 60 : 200 } },
      interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: big },
      layout: { improvedLayout: graph.nodes.length <= 150 }
    });
    network.once("stabilizationIterationsDone", function () { network.setOptions({ physics: false }); });
    network.on("click", function (params) {
      if (params.nodes.length) {
        var node = nodes.get(params.nodes[0]);
        window.location.href = new URL(node.url, siteRoot).href;
      }
    });
    document.querySelectorAll("input[data-node-kind], input[data-edge-type]").forEach(function (box) {
      box.addEventListener("change", function () {
        shownKinds = checked("node-kind");
        shownTypes = checked("edge-type");
        nodeView.refresh();
        edgeView.refresh();
      });
    });
    wireSearch(network, nodes);
    window.kbGraph = { network: network, nodes: nodes, edges: edges };
    return network;
  }

  function wireSearch(network, nodes) {
    var input = document.getElementById("kb-graph-search");
    var list = document.getElementById("kb-graph-names");
    if (!input) { return; }
    nodes.forEach(function (n) {
      var option = document.createElement("option");
      option.value = n.label;
      list.appendChild(option);
    });
    function find() {
      var query = input.value.trim().toLowerCase();
      if (!query) { network.unselectAll(); return; }
      var hit = nodes.get({ filter: function (n) { return n.label.toLowerCase() === query; } })[0] ||
        nodes.get({ filter: function (n) { return n.label.toLowerCase().indexOf(query) >= 0; } })[0];
      if (hit) {
        network.selectNodes([hit.id]);
        network.focus(hit.id, { scale: 1.2, animation: true });
      }
    }
    input.addEventListener("change", find);
    input.addEventListener("keydown", function (event) { if (event.key === "Enter") { find(); } });
  }

  function init() {
    var container = document.getElementById("kb-graph");
    var status = document.getElementById("kb-graph-status");
    if (!container || container.getAttribute("data-drawn")) { return; }
    container.setAttribute("data-drawn", "pending");
    var source = new URL(container.getAttribute("data-src"), location.href);
    Promise.all([loadLibrary(), fetch(source).then(function (r) { return r.json(); })])
      .then(function (loaded) {
        draw(container, loaded[0], loaded[1]);
        container.setAttribute("data-drawn", "yes");
        status.textContent = loaded[1].nodes.length + " nodes, " + loaded[1].edges.length + " links.";
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
