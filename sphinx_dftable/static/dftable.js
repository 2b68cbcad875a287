/* sphinx-dftable: what a reader does with a df-table, added to the plain HTML table.
 *
 * - Layout: one scroll box per table (the theme's own table wrapper where it has one), as
 *   wide as the page allows when the table is wider than the text column; a cue for the
 *   columns out of view; the caption kept over the visible part.
 * - Sorting: a button in each header cell (aria-sort, keyboard, focus kept, announced).
 *   Numeric columns (th.dftable-numeric) sort as numbers, by each cell's data-sort-value
 *   where a display format changed the text. Compared metrics (th.dftable-compare-metric)
 *   have a second button that sorts by each cell's data-dftable-change.
 * - Filters (tbody.dftable-filterable): one search box, a multi-select for each column
 *   marked th.dftable-facet, a minimum and maximum for each th.dftable-range; "showing N
 *   of M rows"; the view in the URL's hash; a CSV of the rows shown.
 *
 * Only the rows shown are in the table's body (long tables show PAGE_SIZE rows at a time),
 * so a sort or a filter touches a page of rows, not the whole table. A page of more than
 * WINDOW_FROM rows holds only the rows near the view, with spacer rows of the others'
 * height, so that a sort lays out a screen of rows, not a page. For print, and for print
 * media, every row goes back in, in the sorted order.
 * No inline script, eval or inline handler: it works under Content-Security-Policy
 * script-src 'self'. Without JavaScript the table is a plain, complete table. */
(function () {
  "use strict";

  var PAGE_SIZE = 200;
  var WINDOW_FROM = 60; // a page of more rows holds only the rows near the view
  var OVERSCAN = 0.5; // screens of rows kept above and below the view
  var HASH_PREFIX = "#dftable/";
  var GUTTER = 16; // px kept free at the viewport's right edge
  // Right-hand page navigation of popular themes, hidden while a wide table covers it.
  var SIDE_NAV = ".toc-drawer, .bd-sidebar-secondary";
  var THEME_WRAPPERS = ["table-wrapper", "pst-scrollable-table-container", "wy-table-responsive"];
  var instances = [];

  // -- small helpers ---------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function count(n) {
    return n.toLocaleString("en-US");
  }

  function plural(n, word) {
    return count(n) + " " + word + (n === 1 ? "" : "s");
  }

  function parseNumber(text) {
    var raw = text.replace(/[,\s]/g, "");
    if (raw === "") return NaN;
    if (/^[-+]?inf(inity)?$/i.test(raw)) return raw.charAt(0) === "-" ? -Infinity : Infinity;
    return Number(raw);
  }

  // A key that sorts text as people expect with a plain comparison: case and accents
  // ignored, runs of digits compared as numbers ("Inf2.8xlarge" before "Inf2.24xlarge").
  function textKey(text) {
    return text
      .toLowerCase()
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/\d+/g, function (digits) {
        return digits.length >= 15 ? digits : ("000000000000000" + digits).slice(-15);
      });
  }

  function cellText(cell) {
    return cell ? cell.textContent.trim() : "";
  }

  function rawValue(cell) {
    if (!cell) return "";
    return cell.hasAttribute("data-sort-value") ? cell.getAttribute("data-sort-value") : cellText(cell);
  }

  function csvField(text) {
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  // Work done on scroll runs at most once a frame, however many scroll events come.
  function onScrollFrame(target, callback) {
    var pending = false;
    target.addEventListener("scroll", function () {
      if (pending) return;
      pending = true;
      requestAnimationFrame(function () {
        pending = false;
        callback();
      });
    }, { passive: true });
  }

  var uid = 0;
  function nextId(prefix) {
    uid += 1;
    return prefix + "-" + uid;
  }

  // -- one table -------------------------------------------------------------------------

  function DfTable(table, index) {
    this.table = table;
    this.key = table.id || "table-" + (index + 1);
    this.body = table.tBodies[0];
    this.rows = Array.prototype.slice.call(this.body.rows);
    this.n = this.rows.length;
    this.rows.forEach(function (row, i) { row.dftableIndex = i; });
    var headRows = table.tHead ? table.tHead.rows : [];
    this.heads = headRows.length ? Array.prototype.slice.call(headRows[headRows.length - 1].cells) : [];
    this.columns = this.heads.map(function (th, c) {
      return {
        index: c,
        th: th,
        name: cellText(th),
        numeric: th.classList.contains("dftable-numeric"),
        facet: th.classList.contains("dftable-facet"),
        range: th.classList.contains("dftable-range"),
        compare: th.classList.contains("dftable-compare-metric"),
        cache: null,
        changes: null,
      };
    });
    this.filterable = this.body.classList.contains("dftable-filterable");
    this.firstParity = this.n && this.rows[0].classList.contains("row-odd") ? "row-odd" : "row-even";
    this.state = emptyState();
    this.order = null; // row indices in sort order (null: page order)
    this.matched = null; // the rows that pass the filters, in order
    this.shown = this.rows.slice(0, PAGE_SIZE).map(function (_, i) { return i; });
    this.rowText = null;
    this.headRows = headRows.length;
    this.heights = new Float64Array(this.n); // each row's measured height (0: not yet)
    this.measuredRows = 0;
    this.measuredHeight = 0;
    this.range = null; // the positions in this.shown that are in the body, [first, last]
    this.spacers = [spacer(this.heads.length), spacer(this.heads.length), spacer(this.heads.length)];
    this.marked = false;
    this.controls = {};
    this.layout();
    this.setUpSorting();
    if (this.filterable) this.setUpFilters();
    this.setUpStatus();
    if (this.n > PAGE_SIZE) this.setUpPager();
    this.update(false);
    this.marked = true;
  }

  // A row that stands in for rows out of view: as tall as they are, and invisible.
  function spacer(columns) {
    var row = el("tr", "dftable-spacer");
    row.setAttribute("aria-hidden", "true");
    var cell = el("td");
    cell.colSpan = Math.max(1, columns);
    row.appendChild(cell);
    return row;
  }

  function emptyState() {
    return { sort: -1, desc: false, change: false, query: "", facets: {}, ranges: {}, page: 0 };
  }

  // -- the values of a column, read once ------------------------------------------------

  DfTable.prototype.values = function (c) {
    var column = this.columns[c];
    if (column.cache) return column.cache;
    var texts = new Array(this.n);
    var numbers = column.numeric ? new Float64Array(this.n) : null;
    for (var i = 0; i < this.n; i++) {
      var cell = this.rows[i].cells[c];
      texts[i] = cellText(cell);
      if (numbers) numbers[i] = parseNumber(rawValue(cell));
    }
    column.cache = { texts: texts, numbers: numbers, keys: null };
    return column.cache;
  };

  // The change since the baseline, in percent; NaN where there is none (a new row, a
  // figure missing on either side), which sorts last.
  DfTable.prototype.changes = function (c) {
    var column = this.columns[c];
    if (!column.changes) {
      column.changes = new Float64Array(this.n);
      for (var i = 0; i < this.n; i++) {
        var cell = this.rows[i].cells[c];
        var change = cell ? cell.getAttribute("data-dftable-change") : null;
        column.changes[i] = change === null ? NaN : parseFloat(change);
      }
    }
    return column.changes;
  };

  DfTable.prototype.searchText = function () {
    if (!this.rowText) {
      this.rowText = this.rows.map(function (row) {
        return row.textContent.replace(/\s+/g, " ").toLowerCase();
      });
    }
    return this.rowText;
  };

  // -- sorting ---------------------------------------------------------------------------

  // Header words may break after a slash: "(tokens/sec)" need not set a column's width.
  function breakAfterSlashes(node) {
    Array.prototype.slice.call(node.childNodes).forEach(function (child) {
      if (child.nodeType === 1) return breakAfterSlashes(child);
      if (child.nodeType !== 3 || child.data.indexOf("/") < 0) return;
      var parts = child.data.split("/");
      var fragment = document.createDocumentFragment();
      parts.forEach(function (part, i) {
        if (i > 0) {
          fragment.appendChild(document.createTextNode("/"));
          fragment.appendChild(document.createElement("wbr"));
        }
        if (part) fragment.appendChild(document.createTextNode(part));
      });
      child.parentNode.replaceChild(fragment, child);
    });
  }

  DfTable.prototype.setUpSorting = function () {
    var self = this;
    this.columns.forEach(function (column) {
      var th = column.th;
      breakAfterSlashes(th);
      var holder = th.children.length === 1 && th.firstElementChild.tagName === "P" ? th.firstElementChild : th;
      var button = el("button", "dftable-sort");
      button.type = "button";
      while (holder.firstChild) button.appendChild(holder.firstChild);
      var icon = el("span", "dftable-sort-icon");
      icon.setAttribute("aria-hidden", "true");
      button.appendChild(icon);
      holder.appendChild(button);
      th.classList.add("dftable-sortable");
      column.button = button;
      button.addEventListener("click", function () {
        self.sortBy(column.index);
      });
      th.addEventListener("click", function (event) {
        if (event.target === th) button.click(); // a click on the cell's padding
      });
      if (column.compare) holder.appendChild(self.changeButton(column));
    });
  };

  // Its label "Δ%" is drawn by the style sheet, so the header's text (the CSV's header
  // row, the column's name) stays the column's name.
  DfTable.prototype.changeButton = function (column) {
    var self = this;
    var button = el("button", "dftable-sort-change");
    button.type = "button";
    button.setAttribute("aria-label", "Sort by change in " + column.name);
    var icon = el("span", "dftable-change-icon");
    icon.setAttribute("aria-hidden", "true");
    button.appendChild(icon);
    button.addEventListener("click", function () {
      self.sortBy(column.index, undefined, true);
    });
    column.changeButton = button;
    return button;
  };

  DfTable.prototype.sortBy = function (c, desc, change) {
    var state = this.state;
    change = !!change;
    if (desc === undefined) desc = state.sort === c && state.change === change ? !state.desc : false;
    state.sort = c;
    state.desc = desc;
    state.change = change;
    state.page = 0;
    this.order = null;
    this.update(true, "sort");
  };

  DfTable.prototype.sortOrder = function () {
    var state = this.state;
    var n = this.n;
    var order = new Array(n);
    for (var i = 0; i < n; i++) order[i] = i;
    if (state.sort < 0 || state.sort >= this.columns.length) return order;
    var values = state.change ? { numbers: this.changes(state.sort) } : this.values(state.sort);
    var sign = state.desc ? -1 : 1;
    if (values.numbers) {
      var numbers = values.numbers;
      order.sort(function (a, b) {
        var x = numbers[a], y = numbers[b];
        var xEmpty = x !== x, yEmpty = y !== y; // NaN: empty cells stay last both ways
        if (xEmpty || yEmpty) return xEmpty === yEmpty ? a - b : xEmpty ? 1 : -1;
        return x === y ? a - b : x < y ? -sign : sign;
      });
      return order;
    }
    if (!values.keys) values.keys = values.texts.map(textKey);
    var keys = values.keys;
    order.sort(function (a, b) {
      var x = keys[a], y = keys[b];
      if (x === "" || y === "") return x === y ? a - b : x === "" ? 1 : -1;
      return x === y ? a - b : x < y ? -sign : sign;
    });
    return order;
  };

  // -- filters ---------------------------------------------------------------------------

  DfTable.prototype.filtersActive = function () {
    var state = this.state;
    return state.query !== "" || Object.keys(state.facets).length > 0 || Object.keys(state.ranges).length > 0;
  };

  DfTable.prototype.matchingRows = function (order) {
    var state = this.state;
    if (!this.filtersActive()) return order;
    var self = this;
    var tests = [];
    Object.keys(state.facets).forEach(function (c) {
      var wanted = state.facets[c];
      var texts = self.values(+c).texts;
      tests.push(function (i) { return wanted.has(texts[i]); });
    });
    Object.keys(state.ranges).forEach(function (c) {
      var range = state.ranges[c];
      var numbers = self.values(+c).numbers;
      if (!numbers) return;
      var low = range[0], high = range[1];
      tests.push(function (i) {
        var x = numbers[i];
        return x === x && !(x < low) && !(x > high);
      });
    });
    if (state.query) {
      var words = state.query.toLowerCase().split(/\s+/).filter(Boolean);
      var text = this.searchText();
      tests.push(function (i) {
        var row = text[i];
        for (var w = 0; w < words.length; w++) if (row.indexOf(words[w]) < 0) return false;
        return true;
      });
    }
    var out = [];
    for (var k = 0; k < order.length; k++) {
      var i = order[k], ok = true;
      for (var t = 0; t < tests.length && ok; t++) ok = tests[t](i);
      if (ok) out.push(i);
    }
    return out;
  };

  DfTable.prototype.setUpFilters = function () {
    var self = this;
    var bar = this.bar;
    var filters = el("div", "dftable-filters");
    var label = this.label();
    var search = el("input", "dftable-search");
    search.type = "search";
    search.placeholder = "Search rows";
    search.setAttribute("aria-label", "Search the rows of " + label);
    search.addEventListener("input", function () {
      self.state.query = search.value.trim();
      self.state.page = 0;
      self.update(true, "filter");
    });
    filters.appendChild(search);
    this.controls.search = search;
    this.controls.facets = {};
    var ranges = [];
    this.columns.forEach(function (column) {
      if (column.facet) filters.appendChild(self.facetMenu(column));
      else if (column.range) ranges.push(column);
    });
    if (ranges.length) filters.appendChild(this.rangeMenu(ranges));
    var reset = el("button", "dftable-reset", "Reset");
    reset.type = "button";
    reset.hidden = true;
    reset.addEventListener("click", function () { self.reset(); });
    filters.appendChild(reset);
    this.controls.reset = reset;
    bar.insertBefore(filters, bar.firstChild);
  };

  DfTable.prototype.label = function () {
    var caption = this.table.caption && this.table.caption.querySelector(".caption-text");
    return caption ? '"' + caption.textContent.trim() + '"' : "this table";
  };

  // A menu opened near the window's right edge opens leftwards, not off the page; a panel
  // wider than the room on either side of its menu is moved in from the window's left edge.
  function placePanel(details, panel) {
    panel.classList.remove("dftable-panel-end");
    panel.style.left = panel.style.right = "";
    var room = document.documentElement.clientWidth;
    if (!details.open || panel.getBoundingClientRect().right <= room) return;
    panel.classList.add("dftable-panel-end");
    var box = panel.getBoundingClientRect();
    if (box.left >= 0) return;
    // At most 90vw wide (the styles), so this keeps its right edge in the window too.
    var margin = Math.max(0, Math.min(8, (room - box.width) / 2));
    var origin = box.left - panel.offsetLeft; // where "left: 0" is, in the window
    panel.style.left = margin - origin + "px";
    panel.style.right = "auto";
  }

  // `onOpen` fills the panel when it opens, before it is placed (its width is its content's).
  function menu(summaryText, panelLabel, onOpen) {
    var details = el("details", "dftable-menu");
    var summary = el("summary", "", "");
    summary.appendChild(el("span", "dftable-menu-name", summaryText));
    var badge = el("span", "dftable-badge");
    summary.appendChild(badge);
    details.appendChild(summary);
    var panel = el("div", "dftable-panel");
    panel.setAttribute("role", "group");
    panel.setAttribute("aria-label", panelLabel);
    details.appendChild(panel);
    // Filled and placed when "open" changes, in a microtask: the "toggle" event comes a task
    // later, after the browser may already have drawn the panel off the page's edge.
    new MutationObserver(function () {
      if (details.open && onOpen) onOpen();
      placePanel(details, panel);
    }).observe(details, { attributes: true, attributeFilter: ["open"] });
    return { details: details, summary: summary, badge: badge, panel: panel };
  }

  DfTable.prototype.facetMenu = function (column) {
    var self = this;
    var filled = false;
    var m = menu(column.name, "Show rows whose " + column.name + " is", function () { fill(); });
    // The options are built when the menu first opens: a page of many tables stays quick.
    function fill() {
      if (filled) return;
      filled = true;
      var texts = self.values(column.index).texts;
      var tally = new Map();
      texts.forEach(function (text) { tally.set(text, (tally.get(text) || 0) + 1); });
      var distinct = Array.from(tally.keys());
      if (column.numeric) distinct.sort(function (a, b) { return parseNumber(a) - parseNumber(b); });
      else distinct.sort(function (a, b) { return textKey(a) < textKey(b) ? -1 : 1; });
      distinct.forEach(function (value) {
        var id = nextId("dftable-opt");
        var row = el("div", "dftable-option");
        var box = el("input");
        box.type = "checkbox";
        box.id = id;
        box.value = value;
        var wanted = self.state.facets[column.index];
        box.checked = !!(wanted && wanted.has(value));
        box.addEventListener("change", function () { self.toggleFacet(column.index, value, box.checked); });
        var label = el("label", "", value === "" ? "(empty)" : value);
        label.htmlFor = id;
        label.appendChild(el("span", "dftable-tally", " " + count(tally.get(value))));
        row.appendChild(box);
        row.appendChild(label);
        m.panel.appendChild(row);
      });
    }
    this.controls.facets[column.index] = { menu: m, fill: fill, filled: function () { return filled; } };
    return m.details;
  };

  DfTable.prototype.toggleFacet = function (c, value, on) {
    var facets = this.state.facets;
    var wanted = facets[c] || new Set();
    if (on) wanted.add(value);
    else wanted.delete(value);
    if (wanted.size) facets[c] = wanted;
    else delete facets[c];
    this.state.page = 0;
    this.update(true, "filter");
  };

  DfTable.prototype.rangeMenu = function (columns) {
    var self = this;
    var filled = false;
    // The columns' extremes as placeholders, read when the menu first opens.
    var m = menu("Ranges", "Show rows within these ranges", function () {
      if (filled) return;
      filled = true;
      columns.forEach(function (column) {
        var numbers = self.values(column.index).numbers;
        var low = Infinity, high = -Infinity;
        for (var i = 0; i < numbers.length; i++) {
          var x = numbers[i];
          if (x < low) low = x;
          if (x > high) high = x;
        }
        var inputs = self.controls.ranges[column.index];
        if (low <= high) {
          inputs[0].placeholder = String(low);
          inputs[1].placeholder = String(high);
        }
      });
    });
    var grid = el("div", "dftable-ranges");
    this.controls.ranges = {};
    columns.forEach(function (column) {
      var name = el("span", "dftable-range-name", column.name);
      grid.appendChild(name);
      var inputs = ["Minimum", "Maximum"].map(function (which, side) {
        var input = el("input", "dftable-range-input");
        input.type = "number";
        input.step = "any";
        input.setAttribute("aria-label", which + " " + column.name);
        input.addEventListener("input", function () { self.setRange(column.index, side, input.value); });
        grid.appendChild(input);
        return input;
      });
      self.controls.ranges[column.index] = inputs;
    });
    m.panel.appendChild(grid);
    this.controls.rangeMenu = m;
    return m.details;
  };

  DfTable.prototype.setRange = function (c, side, text) {
    var ranges = this.state.ranges;
    var range = ranges[c] || [-Infinity, Infinity];
    var value = parseFloat(text);
    range[side] = isNaN(value) ? (side ? Infinity : -Infinity) : value;
    if (range[0] === -Infinity && range[1] === Infinity) delete ranges[c];
    else ranges[c] = range;
    this.state.page = 0;
    this.update(true, "filter");
  };

  DfTable.prototype.reset = function () {
    this.state = emptyState();
    this.order = null;
    this.syncControls();
    this.update(true, "reset");
  };

  // The controls show the state (after a reset, or a view read from the URL).
  DfTable.prototype.syncControls = function () {
    var state = this.state;
    var controls = this.controls;
    if (controls.search) controls.search.value = state.query;
    var facets = controls.facets || {};
    this.columns.forEach(function (column) {
      var facet = facets[column.index];
      if (facet && facet.filled()) {
        var wanted = state.facets[column.index];
        facet.menu.panel.querySelectorAll("input").forEach(function (box) {
          box.checked = !!(wanted && wanted.has(box.value));
        });
      }
      var inputs = controls.ranges && controls.ranges[column.index];
      if (inputs) {
        var range = state.ranges[column.index];
        inputs[0].value = range && range[0] !== -Infinity ? String(range[0]) : "";
        inputs[1].value = range && range[1] !== Infinity ? String(range[1]) : "";
      }
    });
  };

  // -- what is shown ---------------------------------------------------------------------

  DfTable.prototype.update = function (changed, reason) {
    if (!this.order) this.order = this.sortOrder();
    this.matched = this.matchingRows(this.order);
    var pages = Math.max(1, Math.ceil(this.matched.length / PAGE_SIZE));
    if (this.state.page >= pages) this.state.page = pages - 1;
    var start = this.state.page * PAGE_SIZE;
    this.render(this.matched.slice(start, start + PAGE_SIZE));
    this.showState(reason);
    if (changed) {
      scheduleHash();
      this.refreshCue();
    }
  };

  // A cell of one plain paragraph holds its text itself: half the elements to style and
  // lay out when a page of rows is shown (the CSS keeps the paragraph's look).
  function unwrapCells(row) {
    row.dftablePlain = true;
    for (var c = 0; c < row.cells.length; c++) {
      var cell = row.cells[c], p = cell.firstChild;
      if (!p || p !== cell.lastChild || p.nodeName !== "P" || p.attributes.length) continue;
      var text = p.firstChild;
      if (text && text === p.lastChild && text.nodeType === 3) cell.replaceChild(text, p);
    }
  }

  DfTable.prototype.render = function (shown) {
    this.shown = shown;
    this.printing = false;
    this.mark(shown);
    this.rendering = true; // every row put in holds its text plainly, moved or not
    if (this.windowed()) {
      this.place(true);
    } else {
      this.range = null;
      this.scroller.classList.remove("dftable-windowed");
      this.setChildren(this.pageRows());
    }
    this.rendering = false;
    this.checkFit();
  };

  // Zebra classes by the position on the page (a spacer row keeps :nth-child's parity
  // too), and each row's place in the whole view for assistive technology.
  DfTable.prototype.mark = function (shown) {
    var rows = this.rows;
    var odd = this.firstParity === "row-odd";
    var first = this.headRows + this.state.page * PAGE_SIZE + 1;
    for (var s = 0; s < shown.length; s++) {
      var row = rows[shown[s]];
      var parity = (s % 2 === 0) === odd;
      if (row.classList.contains("row-odd") !== parity) {
        row.classList.toggle("row-odd", parity);
        row.classList.toggle("row-even", !parity);
      }
      row.dftablePosition = s;
      row.setAttribute("aria-rowindex", String(first + s));
    }
    this.table.setAttribute("aria-rowcount", String(this.headRows + this.matched.length));
  };

  // The body holds these nodes, in this order. Rows that stay are not moved, so that a
  // focused link in one keeps its focus. The rows of a table's first view keep their
  // cells as written until the script shows them again.
  DfTable.prototype.setChildren = function (wanted) {
    var body = this.body;
    if (this.marked) {
      for (var w = 0; w < wanted.length; w++) {
        var row = wanted[w];
        if (row.dftablePlain || row.classList.contains("dftable-spacer")) continue;
        if (this.rendering || row.parentNode !== body) unwrapCells(row);
      }
    }
    var keep = new Set(wanted);
    var nodes = body.childNodes;
    var gone = nodes.length - wanted.length;
    if (gone > wanted.length && !body.contains(document.activeElement)) {
      // Most of the body goes (the first view of a long table): one replacement.
      var fragment = document.createDocumentFragment();
      wanted.forEach(function (node) { fragment.appendChild(node); });
      body.replaceChildren(fragment);
      return;
    }
    for (var k = nodes.length - 1; k >= 0; k--) {
      if (!keep.has(nodes[k])) body.removeChild(nodes[k]);
    }
    var at = body.firstChild;
    for (var i = 0; i < wanted.length; i++) {
      if (wanted[i] === at) at = at.nextSibling;
      else body.insertBefore(wanted[i], at);
    }
  };

  DfTable.prototype.pageRows = function () {
    var rows = this.rows;
    return this.shown.map(function (i) { return rows[i]; });
  };

  // -- a long page: only the rows near the view are in the body --------------------------

  // Heights are known only with the columns' widths fixed, and print wants every row.
  DfTable.prototype.windowed = function () {
    return !!this.frozen && !this.printing && this.shown.length > WINDOW_FROM;
  };

  DfTable.prototype.heightOf = function (position) {
    var known = this.heights[this.shown[position]];
    if (known) return known;
    return this.measuredRows ? this.measuredHeight / this.measuredRows : 30;
  };

  // The heights of the rows in the body that are not measured yet (one layout for all).
  DfTable.prototype.measure = function () {
    var rows = this.body.rows;
    for (var r = 0; r < rows.length; r++) {
      var row = rows[r];
      if (row.classList.contains("dftable-spacer")) continue;
      var i = row.dftableIndex;
      if (this.heights[i]) continue;
      var height = row.getBoundingClientRect().height;
      if (height > 0) {
        this.heights[i] = height;
        this.measuredRows += 1;
        this.measuredHeight += height;
      }
    }
  };

  DfTable.prototype.forgetHeights = function () {
    this.heights = new Float64Array(this.n);
    this.measuredRows = 0;
    this.measuredHeight = 0;
  };

  // The positions of the rows within `screens` screens of the visible part of the box.
  DfTable.prototype.nearView = function (screens) {
    var n = this.shown.length;
    var box = this.scroller.getBoundingClientRect();
    var screen = window.innerHeight;
    var bodyTop = this.body.getBoundingClientRect().top;
    var low = Math.max(box.top, 0) - bodyTop - screens * screen;
    var high = Math.min(box.bottom, screen) - bodyTop + screens * screen;
    if (high - low < screen) high = low + screen; // out of view: a screen from the nearer end
    var total = 0;
    for (var p = 0; p < n; p++) total += this.heightOf(p);
    if (low > total - (high - low)) {
      low = Math.max(0, total - (high - low));
      high = total;
    }
    var first = -1, last = n - 1, y = 0;
    for (var q = 0; q < n; q++) {
      var h = this.heightOf(q);
      if (first < 0 && y + h > low) first = q;
      if (y >= high) {
        last = q - 1;
        break;
      }
      y += h;
    }
    if (first < 0) first = 0;
    return [first, Math.max(first, last)];
  };

  // Puts the rows near the view in the body, between spacers as tall as the rows left
  // out. Without `force`, only when the view has come near the edge of the rows there.
  DfTable.prototype.place = function (force) {
    if (!this.windowed()) return;
    var range = this.range;
    if (!force && range) {
      var needed = this.nearView(OVERSCAN / 2);
      var covered = range[0] <= needed[0] && needed[1] <= range[1];
      // (a range kept long for a focused row shrinks once the focus has gone)
      if (covered && range[1] - range[0] <= 3 * (needed[1] - needed[0] + 1)) return;
    }
    var wanted = this.nearView(OVERSCAN);
    var first = wanted[0], last = wanted[1];
    var focused = document.activeElement;
    var row = focused && focused !== document.body && this.body.contains(focused) ? focused.closest("tr") : null;
    if (row && row.dftablePosition !== undefined && this.shown[row.dftablePosition] === row.dftableIndex) {
      first = Math.min(first, row.dftablePosition); // the reader's focus stays in the table
      last = Math.max(last, row.dftablePosition);
    }
    if (!force && range && range[0] === first && range[1] === last) return;
    var above = 0;
    for (var p = 0; p < first; p++) above += this.heightOf(p);
    var spacers = this.spacers;
    var nodes = [];
    // As many spacer rows above as rows left out, modulo 2: :nth-child(odd) stays right.
    if (first > 0) {
      nodes.push(spacers[0]);
      if (first % 2 === 0) nodes.push(spacers[1]);
    }
    spacers[0].firstChild.style.height = above + "px";
    spacers[1].firstChild.style.height = "0px";
    for (var s = first; s <= last; s++) nodes.push(this.rows[this.shown[s]]);
    if (last < this.shown.length - 1) nodes.push(spacers[2]);
    this.scroller.classList.add("dftable-windowed");
    this.setChildren(nodes);
    this.range = [first, last];
    this.measure();
    var below = 0;
    for (var b = last + 1; b < this.shown.length; b++) below += this.heightOf(b);
    spacers[2].firstChild.style.height = below + "px";
    if (!this.fitting) this.checkFit();
  };

  // Print shows every row, in the sorted order; the view comes back after.
  DfTable.prototype.print = function (on) {
    if (!on) {
      this.render(this.shown);
      return this.fit();
    }
    this.thawColumns(); // the paper's width, not the screen's
    var order = this.order || this.sortOrder();
    var fragment = document.createDocumentFragment();
    for (var k = 0; k < order.length; k++) fragment.appendChild(this.rows[order[k]]);
    this.body.replaceChildren(fragment);
    this.range = null;
    this.scroller.classList.remove("dftable-windowed");
    this.printing = true;
  };

  DfTable.prototype.setUpStatus = function () {
    var status = el("p", "dftable-status");
    status.setAttribute("role", "status"); // announced politely, as it changes
    this.status = status;
    if (this.filterable) {
      this.bar.appendChild(status);
    } else {
      status.classList.add("dftable-sr"); // announces sorting; the bar may be hidden
      this.wrapper.appendChild(status);
    }
    var download = this.wrapper.querySelector("p.dftable-download");
    if (download && this.filterable) {
      var self = this;
      var button = el("button", "dftable-download-shown");
      button.type = "button";
      button.hidden = true;
      button.addEventListener("click", function () { self.downloadShown(); });
      download.appendChild(document.createTextNode(" "));
      download.appendChild(button);
      this.controls.download = button;
      this.downloadLink = download.querySelector("a");
    }
  };

  DfTable.prototype.showState = function (reason) {
    var state = this.state;
    var matched = this.matched.length;
    var text = "Showing " + count(matched) + " of " + plural(this.n, "row");
    if (state.sort >= 0 && this.columns[state.sort]) {
      text += ", sorted by " + (state.change ? "change in " : "") + this.columns[state.sort].name;
      text += state.desc ? ", descending" : ", ascending";
    }
    if (reason || this.filterable) this.status.textContent = text + ".";
    this.columns.forEach(function (column) {
      var sorted = state.sort === column.index;
      if (sorted) column.th.setAttribute("aria-sort", state.desc ? "descending" : "ascending");
      else column.th.removeAttribute("aria-sort");
      if (column.compare) column.th.classList.toggle("dftable-by-change", sorted && state.change);
    });
    var controls = this.controls;
    if (controls.reset) controls.reset.hidden = !this.filtersActive() && state.sort < 0;
    if (controls.download) {
      controls.download.hidden = matched === this.n;
      controls.download.textContent = "Download the " + plural(matched, "row") + " shown (CSV)";
    }
    var facets = controls.facets || {};
    Object.keys(facets).forEach(function (c) {
      var wanted = state.facets[c];
      facets[c].menu.badge.textContent = wanted ? String(wanted.size) : "";
    });
    if (controls.rangeMenu) {
      var active = Object.keys(state.ranges).length;
      controls.rangeMenu.badge.textContent = active ? String(active) : "";
    }
    if (this.pager) this.showPager();
  };

  // -- pages of a long table -------------------------------------------------------------

  DfTable.prototype.setUpPager = function () {
    var self = this;
    var pager = el("nav", "dftable-pager");
    pager.setAttribute("aria-label", "Pages of " + this.label());
    var previous = el("button", "dftable-page-previous", "\u2039 Previous");
    var next = el("button", "dftable-page-next", "Next \u203a");
    previous.type = next.type = "button";
    var where = el("span", "dftable-page-where");
    previous.addEventListener("click", function () { self.goTo(self.state.page - 1); });
    next.addEventListener("click", function () { self.goTo(self.state.page + 1); });
    pager.appendChild(previous);
    pager.appendChild(where);
    pager.appendChild(next);
    this.pager = { nav: pager, previous: previous, next: next, where: where };
    this.wrapper.insertBefore(pager, this.scroller.nextSibling);
  };

  DfTable.prototype.goTo = function (page) {
    this.state.page = page;
    this.scroller.scrollTop = 0; // first: the new page's rows near the view are its first
    this.update(true, "page");
  };

  DfTable.prototype.showPager = function () {
    var pages = Math.max(1, Math.ceil(this.matched.length / PAGE_SIZE));
    var pager = this.pager;
    var page = this.state.page;
    var first = page * PAGE_SIZE + 1;
    var last = Math.min(this.matched.length, first + PAGE_SIZE - 1);
    pager.nav.hidden = pages === 1;
    pager.where.textContent = "Rows " + count(first) + "\u2013" + count(last) + " of " + count(this.matched.length);
    pager.previous.disabled = page === 0;
    pager.next.disabled = page >= pages - 1;
  };

  // -- the CSV of the rows shown --------------------------------------------------------

  DfTable.prototype.csv = function (indices) {
    var lines = [];
    var head = this.table.tHead ? this.table.tHead.rows : [];
    for (var h = 0; h < head.length; h++) {
      lines.push(Array.prototype.map.call(head[h].cells, function (cell) { return csvField(cellText(cell)); }).join(","));
    }
    for (var k = 0; k < indices.length; k++) {
      var cells = this.rows[indices[k]].cells;
      lines.push(Array.prototype.map.call(cells, function (cell) { return csvField(rawValue(cell)); }).join(","));
    }
    return lines.join("\n") + "\n";
  };

  DfTable.prototype.downloadShown = function () {
    var blob = new Blob([this.csv(this.matched)], { type: "text/csv" });
    var link = el("a");
    link.href = URL.createObjectURL(blob);
    var name = (this.downloadLink && this.downloadLink.getAttribute("download")) || "table.csv";
    link.download = name.replace(/\.csv$/i, "") + "-shown.csv";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
  };

  // -- layout: one scroll box, the page's free width, the cue for hidden columns ---------

  DfTable.prototype.layout = function () {
    var table = this.table;
    var wrapper = table.closest(".dftable-wrapper") || table.parentElement;
    var scroller = table.parentElement;
    var themed = scroller !== wrapper && THEME_WRAPPERS.some(function (name) {
      return scroller.classList.contains(name);
    });
    if (!themed) {
      // No wrapper from the theme: the table gets its own scroll box inside ours.
      scroller = el("div", "dftable-scroll");
      table.parentNode.insertBefore(scroller, table);
      scroller.appendChild(table);
    }
    scroller.classList.add("dftable-scroll");
    wrapper.classList.add("dftable-ready");
    this.wrapper = wrapper;
    this.scroller = scroller;
    var bar = el("div", "dftable-bar");
    var hint = el("button", "dftable-more");
    hint.type = "button";
    hint.hidden = true;
    var self = this;
    hint.addEventListener("click", function () {
      scroller.scrollBy({ left: scroller.clientWidth * 0.8, behavior: "smooth" });
    });
    bar.appendChild(hint);
    wrapper.insertBefore(bar, wrapper.firstChild);
    this.bar = bar;
    this.hint = hint;
    var shade = el("div", "dftable-shade");
    shade.setAttribute("aria-hidden", "true");
    wrapper.appendChild(shade);
    this.shade = shade;
    onScrollFrame(scroller, function () {
      self.refreshCue();
      self.place(false);
    });
    this.headOffset = 0;
    if (window.ResizeObserver) {
      // Also when a hidden tab is shown: the table is laid out once it has a size.
      var lastWidth = -1;
      new ResizeObserver(function () {
        var width = wrapper.parentElement.clientWidth;
        if (width !== lastWidth) {
          lastWidth = width;
          self.fit();
        }
      }).observe(wrapper.parentElement);
    } else {
      window.addEventListener("resize", function () { self.fit(); });
    }
  };

  DfTable.prototype.visible = function () {
    return this.wrapper.getClientRects().length > 0;
  };

  DfTable.prototype.fit = function (grow) {
    if (!this.visible()) return;
    var wrapper = this.wrapper, scroller = this.scroller, table = this.table;
    if (this.range) {
      // The widths come from every row of the page, not only those near the view.
      this.range = null;
      this.setChildren(this.pageRows());
    }
    this.thawColumns();
    wrapper.style.width = "";
    wrapper.classList.remove("dftable-wide");
    var column = wrapper.getBoundingClientRect();
    if (table.offsetWidth > scroller.clientWidth + 1) {
      wrapper.classList.add("dftable-wide"); // lets a theme's clipping container show it
      var room = document.documentElement.clientWidth - GUTTER - column.left;
      for (var node = wrapper.parentElement; node && node !== document.body; node = node.parentElement) {
        if (getComputedStyle(node).overflowX !== "visible") {
          room = Math.min(room, node.getBoundingClientRect().right - column.left);
        }
      }
      if (room > column.width + 1) {
        wrapper.style.width = Math.floor(room) + "px";
        var extra = scroller.offsetWidth - scroller.clientWidth;
        var needed = Math.ceil(table.offsetWidth + extra);
        if (needed < room) wrapper.style.width = Math.max(needed, column.width) + "px";
      } else {
        wrapper.classList.remove("dftable-wide");
      }
    }
    this.fitting = true;
    this.freezeColumns(grow);
    this.forgetHeights(); // the rows' heights change with the columns' widths
    this.measure();
    this.place(true);
    this.fitting = false;
    this.refreshCue();
    coverSideNav();
  };

  // Once laid out, the columns keep their widths (table-layout: fixed): a new page of rows
  // is then laid out row by row, not by the automatic layout of every cell of every column.
  // grow: a page did not fit; columns only widen, so that pages do not take turns.
  DfTable.prototype.freezeColumns = function (grow) {
    var table = this.table;
    // One header cell per column only (no spanned header cells): else widths are not known.
    var spans = this.heads.every(function (th) { return th.colSpan === 1; });
    if (this.printing || !spans || !this.n || this.rows[0].cells.length !== this.heads.length) return;
    var before = grow && this.widths, measured = grow && this.measured;
    var widths = this.heads.map(function (th, c) {
      var width = th.getBoundingClientRect().width;
      return before ? Math.max(width, before[c]) : width;
    });
    var group = el("colgroup", "dftable-frozen");
    widths.forEach(function (width) {
      var col = el("col");
      col.style.width = width + "px";
      group.appendChild(col);
    });
    this.hiddenGroups = Array.prototype.filter.call(table.children, function (child) {
      return child.tagName === "COLGROUP"; // the writer's :widths:, as measured now
    });
    this.hiddenGroups.forEach(function (old) { old.remove(); });
    table.insertBefore(group, table.tHead);
    table.style.width = widths.reduce(function (a, b) { return a + b; }, 0) + "px";
    table.style.tableLayout = "fixed";
    this.frozen = group;
    this.widths = widths;
    this.measured = this.longest().map(function (length, c) {
      return measured ? Math.max(length, measured[c]) : length;
    });
  };

  DfTable.prototype.thawColumns = function () {
    if (!this.frozen) return;
    var table = this.table;
    this.frozen.remove();
    this.hiddenGroups.forEach(function (old) { table.insertBefore(old, table.tHead); });
    table.style.width = "";
    table.style.tableLayout = "";
    this.frozen = null;
  };

  // The longest text of each column among the rows shown, in characters: a page with a
  // longer one than when the widths were measured may not fit them (a cheap test, with no
  // layout; figures are tabular, so a figure of as many digits is as wide).
  DfTable.prototype.longest = function () {
    var lengths = this.heads.map(function () { return 0; });
    var rows = this.body.rows;
    for (var r = 0; r < rows.length; r++) {
      var cells = rows[r].cells;
      for (var c = 0; c < cells.length && c < lengths.length; c++) {
        var length = cells[c].textContent.length;
        if (length > lengths[c]) lengths[c] = length;
      }
    }
    return lengths;
  };

  DfTable.prototype.checkFit = function () {
    if (!this.frozen) return; // (frozen when last laid out; a hidden table is not measured)
    var measured = this.measured;
    var wider = this.longest().some(function (length, c) { return length > measured[c]; });
    if (wider) this.fit(true);
  };

  DfTable.prototype.refreshCue = function () {
    var scroller = this.scroller;
    var box = scroller.getBoundingClientRect();
    var left = box.left + scroller.clientLeft;
    var right = left + scroller.clientWidth;
    var hidden = 0;
    var first = this.heads[0];
    var edge = first ? first.getBoundingClientRect().right : left; // the sticky first column
    for (var c = 1; c < this.heads.length; c++) {
      var r = this.heads[c].getBoundingClientRect();
      if (r.right > right + 1 || r.left < edge - 1) hidden += 1;
    }
    var atEnd = scroller.scrollLeft + scroller.clientWidth >= scroller.scrollWidth - 1;
    this.wrapper.classList.toggle("dftable-scrolled", scroller.scrollLeft > 0);
    this.wrapper.classList.toggle("dftable-more-right", !atEnd);
    this.hint.hidden = hidden === 0;
    this.hint.textContent = plural(hidden, "column") + " out of view" + (atEnd ? "" : " \u2192");
    var shade = this.shade;
    shade.style.top = scroller.offsetTop + "px";
    shade.style.height = scroller.clientHeight + "px";
    shade.style.left = scroller.offsetLeft + scroller.clientLeft + scroller.clientWidth - shade.offsetWidth + "px";
    var caption = this.table.caption;
    if (caption) {
      // As wide as the visible part of the box, from where the table starts in it.
      var inset = this.table.getBoundingClientRect().left + scroller.scrollLeft - left;
      caption.style.maxWidth = Math.max(0, scroller.clientWidth - inset) + "px";
    }
  };

  // The header row sticks to the top of the scroll box; when the page is scrolled past
  // the box's top, it sticks below the page's own fixed or sticky header instead.
  DfTable.prototype.followPage = function (top) {
    var head = this.table.tHead;
    if (!head) return;
    var rect = this.scroller.getBoundingClientRect();
    var room = this.scroller.clientHeight - head.offsetHeight;
    var offset = rect.bottom < 0 || rect.top > top ? 0 : Math.max(0, Math.min(top - rect.top, room));
    if (offset !== this.headOffset) {
      this.headOffset = offset;
      head.style.top = offset + "px";
    }
  };

  // The bottom of the page's fixed or sticky header at the top of the window (0 if none).
  function pageHeaderBottom() {
    var probe = document.elementFromPoint(document.documentElement.clientWidth / 2, 1);
    for (var node = probe; node && node !== document.body; node = node.parentElement) {
      if (node.classList.contains("dftable-wrapper")) return 0;
      var position = getComputedStyle(node).position;
      if (position === "fixed" || position === "sticky") {
        var rect = node.getBoundingClientRect();
        return rect.top <= 1 && rect.bottom < window.innerHeight / 2 ? rect.bottom : 0;
      }
    }
    return 0;
  }

  function followPage() {
    var top = -1;
    instances.forEach(function (t) {
      if (!t.visible()) return;
      if (top < 0) top = pageHeaderBottom();
      t.followPage(top);
    });
  }

  function placeRows() {
    instances.forEach(function (t) { if (t.visible()) t.place(false); });
  }

  function coverSideNav() {
    var wide = instances.filter(function (t) { return t.wrapper.classList.contains("dftable-wide"); });
    document.querySelectorAll(SIDE_NAV).forEach(function (nav) {
      var rect = nav.getBoundingClientRect();
      var covered = wide.some(function (t) {
        var r = t.wrapper.getBoundingClientRect();
        return r.right > rect.left && r.left < rect.right && r.bottom > rect.top && r.top < rect.bottom;
      });
      nav.classList.toggle("dftable-covered", covered);
    });
  }

  // -- the view in the URL: #dftable/<table>?sort=...&desc=1&by=change&q=...&f.<column>=...&r.<column>=lo..hi

  DfTable.prototype.serialize = function () {
    var state = this.state;
    var columns = this.columns;
    var params = new URLSearchParams();
    if (state.sort >= 0) {
      params.set("sort", columns[state.sort].name);
      if (state.desc) params.set("desc", "1");
      if (state.change) params.set("by", "change");
    }
    if (state.query) params.set("q", state.query);
    Object.keys(state.facets).forEach(function (c) {
      state.facets[c].forEach(function (value) { params.append("f." + columns[c].name, value); });
    });
    Object.keys(state.ranges).forEach(function (c) {
      var range = state.ranges[c];
      var low = range[0] === -Infinity ? "" : range[0];
      var high = range[1] === Infinity ? "" : range[1];
      params.set("r." + columns[c].name, low + ".." + high);
    });
    if (state.page > 0) params.set("page", String(state.page + 1));
    return params.toString();
  };

  DfTable.prototype.restore = function (query) {
    var params = new URLSearchParams(query);
    var byName = {};
    this.columns.forEach(function (column) { byName[column.name] = column.index; });
    var state = emptyState();
    params.forEach(function (value, key) {
      var c;
      if (key === "sort" && value in byName) state.sort = byName[value];
      else if (key === "desc") state.desc = value === "1";
      else if (key === "by") state.change = value === "change";
      else if (key === "q") state.query = value;
      else if (key === "page") state.page = Math.max(0, (parseInt(value, 10) || 1) - 1);
      else if (key.slice(0, 2) === "f." && (c = byName[key.slice(2)]) !== undefined) {
        (state.facets[c] = state.facets[c] || new Set()).add(value);
      } else if (key.slice(0, 2) === "r." && (c = byName[key.slice(2)]) !== undefined) {
        var parts = value.split("..");
        var low = parseFloat(parts[0]), high = parseFloat(parts[1]);
        state.ranges[c] = [isNaN(low) ? -Infinity : low, isNaN(high) ? Infinity : high];
      }
    });
    if (state.sort < 0 || !this.columns[state.sort].compare) state.change = false;
    this.state = state;
    this.order = null;
    this.syncControls();
    this.update(false, "restore");
  };

  var hashTimer = 0;
  function scheduleHash() {
    clearTimeout(hashTimer);
    hashTimer = setTimeout(writeHash, 200); // one history entry rewritten, not one per key
  }

  function writeHash() {
    var parts = instances.map(function (t) {
      var query = t.serialize();
      return query ? t.key + "?" + query : "";
    }).filter(Boolean);
    var ours = location.hash.indexOf(HASH_PREFIX) === 0;
    if (!parts.length && !ours) return; // leave a plain #anchor alone
    var url = location.pathname + location.search + (parts.length ? HASH_PREFIX + parts.join("/") : "");
    history.replaceState(history.state, "", url);
  }

  function readHash() {
    var hash = location.hash;
    if (hash.indexOf(HASH_PREFIX) !== 0) return;
    var views = {};
    hash.slice(HASH_PREFIX.length).split("/").forEach(function (part) {
      var at = part.indexOf("?");
      if (at > 0) views[decodeURIComponent(part.slice(0, at))] = part.slice(at + 1);
    });
    var first = null;
    instances.forEach(function (t) {
      if (views[t.key] === undefined) return;
      t.restore(views[t.key]);
      if (!first) first = t;
    });
    if (first) {
      showTab(first.wrapper);
      first.fit();
      first.wrapper.scrollIntoView({ block: "start" });
    }
  }

  // A linked view in a sphinx-design tab that is not selected: select that tab.
  function showTab(node) {
    for (var item = node.closest(".sd-tab-content"); item; item = item.parentElement.closest(".sd-tab-content")) {
      var input = item.previousElementSibling && item.previousElementSibling.previousElementSibling;
      if (input && input.type === "radio" && !input.checked) input.click();
    }
  }

  // -- menus close like menus ------------------------------------------------------------

  function closeMenus(except) {
    document.querySelectorAll("details.dftable-menu[open]").forEach(function (details) {
      if (details !== except) details.open = false;
    });
  }

  function start() {
    document.querySelectorAll("table.dftable").forEach(function (table) {
      if (!table.tBodies.length || !table.tHead) return;
      instances.push(new DfTable(table, instances.length));
    });
    if (!instances.length) return;
    readHash();
    window.addEventListener("hashchange", readHash);
    document.addEventListener("click", function (event) {
      closeMenus(event.target.closest && event.target.closest("details.dftable-menu"));
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      var open = event.target.closest && event.target.closest("details.dftable-menu[open]");
      if (open) {
        open.open = false;
        open.querySelector("summary").focus();
      }
    });
    onScrollFrame(window, function () {
      coverSideNav();
      followPage();
      placeRows();
    });
    window.addEventListener("resize", placeRows); // a taller window shows more rows
    // Printing, and print media (print preview, PDF export), show every row.
    function printing(on) {
      instances.forEach(function (t) { t.print(on); });
    }
    window.addEventListener("beforeprint", function () { printing(true); });
    window.addEventListener("afterprint", function () { printing(matchMedia("print").matches); });
    var print = matchMedia("print");
    if (print.addEventListener) print.addEventListener("change", function () { printing(print.matches); });
    instances.forEach(function (t) { t.fit(); });
    followPage();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
