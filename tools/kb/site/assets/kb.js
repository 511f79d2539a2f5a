/* Alignment Atlas: the script on every page. Six jobs:
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
 * 4. Sortable tables: the headers of a table inside .kb-sortable become buttons that sort its
 *    rows (numbers as numbers, text A–Z in the reader's locale), with aria-sort telling screen
 *    readers the order; each cell gets its column's name (data-label), which a phone, where
 *    rows are cards, shows before a short value. Without script the table is a plain table.
 * 5. The vocabulary tree of a term page (nav.kb-vocab-tree, at the top of the content) moves
 *    into the left sidebar on wide screens, where Material leaves it empty for term pages.
 * 6. Search results say what they are: each result of Material's search gets a label (term,
 *    claim, source, thread) from the address of its page.
 * Jobs 4 and 5 run on every page load, including Material's instant navigation (document$).
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

  function cellValue(row, column) {
    var cell = row.cells[column];
    var text = cell ? cell.textContent.trim() : "";
    var number = Number(text);
    return text !== "" && !isNaN(number) ? number : text.toLocaleLowerCase();
  }

  function sortBy(table, column, button) {
    var header = button.closest("th");
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, column), y = cellValue(b, column);
      var order = typeof x === "number" && typeof y === "number" ? x - y
        : String(x).localeCompare(String(y));
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.removeAttribute("aria-sort");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function makeSortable(root) {
    root.querySelectorAll(".kb-sortable table").forEach(function (table) {
      if (table.dataset.kbSortable || !table.tHead || !table.tBodies[0]) { return; }
      table.dataset.kbSortable = "yes";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
        var name = th.textContent.trim();
        Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
          if (row.cells[column]) { row.cells[column].dataset.label = name; }
        });
        var button = document.createElement("button");
        button.type = "button";
        button.className = "kb-sort";
        button.textContent = th.textContent;
        button.title = "Sort by " + th.textContent.trim();
        button.addEventListener("click", function () { sortBy(table, column, button); });
        th.textContent = "";
        th.appendChild(button);
      });
    });
  }

  function moveVocabularyTree(root) {
    var tree = root.querySelector(".md-content nav.kb-vocab-tree");
    var sidebar = root.querySelector(".md-sidebar--primary .md-sidebar__inner");
    if (!tree || !sidebar || !window.matchMedia("(min-width: 76.25em)").matches) { return; }
    tree.classList.add("kb-in-sidebar");
    sidebar.insertBefore(tree, sidebar.firstChild);
  }

  var KINDS = { terms: "Term", arguments: "Claim", sources: "Source", threads: "Thread" };

  function resultKind(link) {
    var path = new URL(link.href, location.href).pathname;
    var match = path.match(/\/(terms|arguments|sources|threads)\/[^\/]+\/?(?:index\.html)?$/);
    return match ? KINDS[match[1]] : "Page";
  }

  function labelResults(list) {
    list.querySelectorAll(".md-search-result__item > .md-search-result__link").forEach(function (link) {
      var heading = link.querySelector("h1");
      if (!heading || heading.querySelector(".kb-kind")) { return; }
      var label = document.createElement("span");
      label.className = "kb-kind";
      label.textContent = resultKind(link);
      heading.insertBefore(label, heading.firstChild);
    });
  }

  function watchSearch() {
    var list = document.querySelector(".md-search-result__list");
    if (!list || list.dataset.kbWatched) { return; }
    list.dataset.kbWatched = "yes";
    new MutationObserver(function () { labelResults(list); })
      .observe(list, { childList: true, subtree: true });
  }

  function enhance() {
    watchSearch();
    makeSortable(document);
    moveVocabularyTree(document);
  }
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(enhance);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
