/* Alignment Atlas: on the graph explorer's page (the one holding #kb-graph), load what the
 * explorer needs, all from the site itself, in two steps:
 *
 * 1. explorer.js and graph.json: the view's list of entries, the search, the filters and the
 *    panel work from these alone, so the page is useful at once, on any screen;
 * 2. cytoscape.min.js, once the drawing area is in (or near) the window, after the first
 *    paint: evaluating cytoscape and laying out the first view is most of the page's main-
 *    thread work (benchmarks/site.md). On a phone the list comes before the drawing, which is
 *    only drawn when the reader scrolls to it.
 *
 * On every other page this small script does nothing, so they do not carry the explorer's
 * code. It runs on each page Material's instant navigation shows (document$). #kb-graph's
 * data-drawn attribute says how far it got: pending, listed (step 1 done), yes or failed.
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

  /* A promise that settles once `element` is within 200 px of the window. */
  function whenNearView(element) {
    return new Promise(function (resolve) {
      if (!("IntersectionObserver" in window)) { resolve(); return; }
      var observer = new IntersectionObserver(function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) {
          observer.disconnect();
          resolve();
        }
      }, { rootMargin: "200px" });
      observer.observe(element);
    });
  }

  function init() {
    var container = document.getElementById("kb-graph");
    if (!container || container.getAttribute("data-drawn")) { return; }
    container.setAttribute("data-drawn", "pending");
    var source = new URL(container.getAttribute("data-src"), location.href);
    var explorer;
    Promise.all([loadScript("explorer.js"), fetch(source).then(function (r) { return r.json(); })])
      .then(function (loaded) {
        explorer = window.kbExplorer.start(loaded[1], siteRoot);
        container.setAttribute("data-drawn", "listed");
        return whenNearView(container);
      })
      .then(function () { return loadScript("cytoscape.min.js"); })
      .then(function () { return explorer.attach(window.cytoscape, container); })
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
