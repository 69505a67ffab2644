// The monitor's web page (templates/results/monitor_page.html): a wide table (a sector by every
// domain) scrolls inside its own box on a narrow screen instead of the whole page scrolling
// sideways. The box is a labelled region that takes keyboard focus, so it can be scrolled with
// the arrow keys. Without this script the page still works; it scrolls sideways as a whole.
(function () {
  function label(table) {
    if (table.caption) { return table.caption.textContent.trim(); }
    var node = table.previousElementSibling;
    while (node && !/^H[2-4]$/.test(node.tagName)) { node = node.previousElementSibling; }
    return node ? node.textContent.trim() : 'Tabel';
  }
  document.querySelectorAll('.monitor-web table.values').forEach(function (table) {
    var box = document.createElement('div');
    box.className = 'table-scroll';
    box.tabIndex = 0;
    box.setAttribute('role', 'region');
    box.setAttribute('aria-label', label(table));
    table.parentNode.insertBefore(box, table);
    box.appendChild(table);
  });
}());
