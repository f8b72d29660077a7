/* Site search with Pagefind's UI. Each quarter has two indexes next to its
   pages: the catalogue (names and descriptions) and that quarter's
   commentary, merged here, so a search finds what that quarter published and
   links into that quarter. Pagefind loads
   its index with fetch, which browsers refuse for pages opened from disk:
   there the box is replaced by a short explanation. */
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box) return;
  if (location.protocol === "file:") {
    document.getElementById("search-offline").hidden = false;
    return;
  }
  if (typeof PagefindUI === "undefined") return;  // no index was built
  // absolute paths: Pagefind imports its modules from the bundle path
  var bundle = new URL(box.getAttribute("data-bundle"), location.href).pathname;
  var commentary = box.getAttribute("data-commentary");  // absent: no commentary this quarter
  // result URLs are relative to the quarter: prefix them with its path
  var quarterRoot = new URL("../", new URL(bundle, location.href)).pathname;
  var merged = commentary ? [{ bundlePath: new URL(commentary, location.href).pathname, baseUrl: quarterRoot }] : [];
  // child scorecards built with this one: their catalogues, linking into their sub-sites
  (box.getAttribute("data-children") || "").split(" ").filter(Boolean).forEach(function (child) {
    var childRoot = new URL(child, location.href).pathname;
    merged.push({ bundlePath: childRoot + "pagefind/", baseUrl: childRoot });
  });
  box.hidden = false;
  new PagefindUI({
    element: "#search",
    bundlePath: bundle,
    baseUrl: quarterRoot,
    mergeIndex: merged,
    showImages: false,
    showSubResults: false,
    resetStyles: false,
    translations: { placeholder: "Search this quarter", search_label: "Search this quarter" }
  });
  // Pagefind names its input only by a title: give it a proper accessible name.
  function label() {
    var input = box.querySelector("input");
    if (!input) return false;
    input.setAttribute("aria-label", "Search this quarter");
    return true;
  }
  if (!label()) {
    var watcher = new MutationObserver(function () { if (label()) watcher.disconnect(); });
    watcher.observe(box, { childList: true, subtree: true });
  }
}());
