/* sphinx-dftable: click a column header to sort the table by it; again to reverse.
 * Numeric columns (th.dftable-numeric) sort as numbers, using each cell's
 * data-sort-value when the shown text is formatted (e.g. "$1,234.568").
 * Without JavaScript the table is a plain table. */
(function () {
  "use strict";

  function sortKey(cell, numeric) {
    if (!cell) return numeric ? NaN : "";
    var raw = cell.hasAttribute("data-sort-value")
      ? cell.getAttribute("data-sort-value")
      : cell.textContent.trim();
    if (!numeric) return raw;
    return raw === "" ? NaN : Number(raw.replace(/,/g, ""));
  }

  function compare(a, b, numeric) {
    if (numeric) {
      var aNaN = isNaN(a), bNaN = isNaN(b);
      if (aNaN || bNaN) return aNaN === bNaN ? 0 : aNaN ? 1 : -1;
      return a - b;
    }
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }

  function sortBy(table, header, column) {
    var numeric = header.classList.contains("dftable-numeric");
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).map(function (row, index) {
      return { row: row, index: index, key: sortKey(row.cells[column], numeric) };
    });
    rows.sort(function (a, b) {
      var order = compare(a.key, b.key, numeric);
      // Empty cells stay last in both directions.
      var empty = numeric && (isNaN(a.key) || isNaN(b.key));
      if (!ascending && !empty) order = -order;
      return order || a.index - b.index;
    });
    var fragment = document.createDocumentFragment();
    rows.forEach(function (item, index) {
      item.row.classList.remove("row-odd", "row-even");
      item.row.classList.add(index % 2 === 0 ? "row-odd" : "row-even");
      fragment.appendChild(item.row);
    });
    body.appendChild(fragment);
    table.querySelectorAll("th.dftable-sortable").forEach(function (th) {
      th.setAttribute("aria-sort", "none");
    });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function init(table) {
    if (!table.tHead || !table.tBodies.length) return;
    var headRows = table.tHead.rows;
    var last = headRows[headRows.length - 1];
    Array.prototype.forEach.call(last.cells, function (th, column) {
      th.classList.add("dftable-sortable");
      th.setAttribute("tabindex", "0");
      th.setAttribute("aria-sort", "none");
      th.title = "Sort by this column";
      th.addEventListener("click", function () { sortBy(table, th, column); });
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          sortBy(table, th, column);
        }
      });
    });
  }

  function start() {
    document.querySelectorAll("table.dftable").forEach(init);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
