/* Alignment Atlas: the script on every page. Three jobs:
 *
 * 1. window.kbAtlas.loadScript(url): load a script once, on demand (graph.js uses it for
 *    vis-network).
 * 2. Mermaid on demand. Mermaid is 3 MB and only claim pages draw diagrams, so it is not a
 *    page script. Material renders every pre.mermaid it finds, after instant navigation too,
 *    with the global `mermaid`, and fetches Mermaid from a CDN when that global is missing.
 *    So this script defines `mermaid` as a stand-in that loads the site's own copy the first
 *    time Material renders a diagram, then hands over to it (the real script replaces the
 *    global; Material's later calls go to it directly).
 * 3. The hover preview of auto-linked terms: a link with class kb-term points at
 *    terms/<id>/; on hover, the term's label and first definition (from
 *    assets/kb/previews.json, written by the site build) are shown in a small box. Text goes
 *    in with textContent only, never as HTML. Event delegation on the document keeps it
 *    working across Material's instant navigation.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var assets = new URL("./", script ? script.src : location.href);
  var previewsUrl = new URL("previews.json", assets);
  var previews = null;
  var box = null;
  var scripts = {};

  function loadScript(url) {
    if (!scripts[url]) {
      scripts[url] = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = url;
        tag.onload = resolve;
        tag.onerror = function () { reject(new Error("could not load " + url)); };
        document.head.appendChild(tag);
      });
    }
    return scripts[url];
  }
  window.kbAtlas = { loadScript: loadScript };

  function mermaidStandIn() {
    var settings = null;
    var stand = {
      initialize: function (options) { settings = options; },
      render: function (id, text) {
        return loadScript(new URL("mermaid.min.js", assets).href).then(function () {
          if (window.mermaid === stand) { throw new Error("mermaid.min.js defined no mermaid"); }
          if (settings) { window.mermaid.initialize(settings); }
          return window.mermaid.render(id, text);
        });
      }
    };
    return stand;
  }
  if (typeof window.mermaid === "undefined") { window.mermaid = mermaidStandIn(); }

  function loadPreviews() {
    if (!previews) {
      previews = fetch(previewsUrl).then(function (r) { return r.json(); })
        .catch(function () { return {}; });
    }
    return previews;
  }

  function termId(link) {
    var match = new URL(link.href, location.href).pathname.match(/\/terms\/([^\/]+)\/?(?:index\.html)?$/);
    return match ? decodeURIComponent(match[1]) : null;
  }

  function show(link, entry) {
    hide();
    box = document.createElement("div");
    box.className = "kb-preview";
    box.setAttribute("role", "tooltip");
    var title = document.createElement("strong");
    title.textContent = entry.label;
    var text = document.createElement("span");
    text.textContent = entry.text;
    var meta = document.createElement("span");
    meta.className = "kb-preview-meta";
    meta.textContent = entry.senses + (entry.senses === 1 ? " sense" : " senses") +
      (entry.status && entry.status !== "established" ? " · " + entry.status : "");
    box.append(title, text, meta);
    document.body.appendChild(box);
    var rect = link.getBoundingClientRect();
    box.style.left = Math.max(8, Math.min(rect.left + window.scrollX,
      window.scrollX + document.documentElement.clientWidth - box.offsetWidth - 8)) + "px";
    box.style.top = (rect.bottom + window.scrollY + 6) + "px";
  }

  function hide() {
    if (box) { box.remove(); box = null; }
  }

  document.addEventListener("mouseover", function (event) {
    var link = event.target.closest && event.target.closest("a.kb-term");
    if (!link) { return; }
    var id = termId(link);
    if (!id) { return; }
    loadPreviews().then(function (all) {
      if (all[id] && link.matches(":hover")) { show(link, all[id]); }
    });
  });
  document.addEventListener("mouseout", function (event) {
    if (event.target.closest && event.target.closest("a.kb-term")) { hide(); }
  });
  document.addEventListener("focusin", function (event) {
    var link = event.target.closest && event.target.closest("a.kb-term");
    var id = link && termId(link);
    if (id) { loadPreviews().then(function (all) { if (all[id]) { show(link, all[id]); } }); }
  });
  document.addEventListener("focusout", hide);
})();
