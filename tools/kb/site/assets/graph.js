/* Alignment Atlas: on the graph explorer's page (the one holding #kb-graph), load what the
 * explorer needs — cytoscape.min.js, explorer.js and graph.json, all from the site itself —
 * and start it. On every other page this small script does nothing, so they do not carry the
 * explorer's code. It runs on each page Material's instant navigation shows (document$).
 * #kb-graph's data-drawn attribute says how far it got: pending, yes or failed.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var assets = new URL("./", script ? script.src : location.href);
  var siteRoot = new URL("../../", assets);
  var scripts = {};

  function loadScript(name) {
    if (!scripts[name]) {
      scripts[name] = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = new URL(name, assets).href;
        tag.onload = resolve;
        tag.onerror = function () { delete scripts[name]; reject(new Error("could not load " + name)); };
        document.head.appendChild(tag);
      });
    }
    return scripts[name];
  }

  function init() {
    var container = document.getElementById("kb-graph");
    if (!container || container.getAttribute("data-drawn")) { return; }
    container.setAttribute("data-drawn", "pending");
    var source = new URL(container.getAttribute("data-src"), location.href);
    Promise.all([
      loadScript("cytoscape.min.js"),
      loadScript("explorer.js"),
      fetch(source).then(function (r) { return r.json(); })
    ])
      .then(function (loaded) {
        return window.kbExplorer.start(window.cytoscape, loaded[2], container, siteRoot);
      })
      .then(function () { container.setAttribute("data-drawn", "yes"); })
      .catch(function (error) {
        container.setAttribute("data-drawn", "failed");
        document.getElementById("kb-graph-status").textContent =
          "The graph could not be drawn: " + error;
      });
  }

  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
