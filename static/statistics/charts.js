// The analysts' charts, drawn from the statistics tables on the page (assistant/templates/statistics/
// overview.html) with Chart.js (static/vendor/chart.umd.min.js, loaded on this page only). Each chart
// reads its table's shown counts (data-count); a suppressed count has none and is drawn as a gap. The
// chart is hidden from screen readers, which read the table that follows it with the same numbers.

/* global Chart */

const rtl = document.documentElement.dir === "rtl";
// Dark enough against white for 3:1; the lines differ in dash too, so colour is not the only cue.
const COLOURS = ["#1d70b8", "#d4351c", "#00703c", "#6f2d91", "#505a5f"];
const DASHES = [[], [8, 4], [2, 3], [12, 3, 3, 3], [4, 4]];
const TEXT = "#0b0c0c";

function count(cell) {
  return cell && cell.dataset.count !== undefined ? Number(cell.dataset.count) : null;
}

function heading(cell) {
  return cell.textContent.trim();
}

// A long label on two lines, broken at the space nearest its middle: a quarter's name fits under its
// point on a phone without being turned on its side (and cut off at the edge in right-to-left pages).
function twoLines(label) {
  const middle = label.length / 2;
  let best = -1;
  for (let i = label.indexOf(" "); i !== -1; i = label.indexOf(" ", i + 1)) {
    if (best === -1 || Math.abs(i - middle) < Math.abs(best - middle)) best = i;
  }
  return best === -1 ? label : [label.slice(0, best), label.slice(best + 1)];
}

// Quarters down the rows, one line per kind of referral (the total column is left to the table).
function lines(table) {
  const columns = [...table.tHead.rows[0].cells].slice(1);
  // The quarter still in progress stays in the table, but a trend line of whole quarters would dip at its end.
  const body = [...table.tBodies[0].rows].filter((row) => !row.hasAttribute("data-partial"));
  const datasets = columns
    .map((th, index) => ({ th, index }))
    .filter(({ th }) => th.dataset.series !== "total")
    .map(({ th, index }, n) => ({
      label: heading(th),
      data: body.map((row) => count(row.cells[index + 1])),
      borderColor: COLOURS[n % COLOURS.length],
      backgroundColor: COLOURS[n % COLOURS.length],
      borderDash: DASHES[n % DASHES.length],
      spanGaps: false,
    }));
  return {
    type: "line",
    data: { labels: body.map((row) => heading(row.cells[0])), datasets },
    options: {
      scales: {
        // offset: each quarter in the middle of its own slot, so the first and last labels stay on the canvas
        x: { reverse: rtl, offset: true, ticks: { maxRotation: 0, callback(value) { return twoLines(this.getLabelForValue(value)); } } },
        y: { beginAtZero: true, position: rtl ? "right" : "left" },
      },
    },
  };
}

// One bar per row, laid along the reading direction: long names (nationalities, forces) stay legible.
function bars(table) {
  const body = [...table.tBodies[0].rows];
  return {
    type: "bar",
    data: {
      labels: body.map((row) => heading(row.cells[0])),
      datasets: [{ label: table.caption.textContent.trim(), data: body.map((row) => count(row.cells[1])), backgroundColor: COLOURS[0] }],
    },
    options: {
      indexAxis: "y",
      plugins: { legend: { display: false } },
      scales: { x: { beginAtZero: true, reverse: rtl }, y: { position: rtl ? "right" : "left", ticks: { autoSkip: false } } },
    },
  };
}

const DRAW = { lines, bars, ranked: bars };

function draw(table) {
  const config = DRAW[table.dataset.chart](table);
  const rows = table.tBodies[0].rows.length;
  const box = document.createElement("div");
  box.className = `chart chart-${table.dataset.chart}`;
  box.setAttribute("aria-hidden", "true");
  // Bars need room for each label: the box grows with the rows (the class sets the rest).
  if (config.type === "bar") box.style.blockSize = `${Math.max(10, rows * 2 + 5)}rem`;
  const canvas = document.createElement("canvas");
  box.append(canvas);
  table.closest(".table-wrap").before(box);
  config.options = {
    ...config.options,
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    locale: document.documentElement.lang,
    color: TEXT,
    plugins: {
      ...config.options.plugins,
      // the table's caption over its chart, which comes first: the chart is not taken for the table above it
      title: { display: true, text: table.caption.textContent.trim(), align: rtl ? "end" : "start", font: { size: 16, weight: "bold" } },
      tooltip: { rtl },
      legend: { rtl, ...(config.options.plugins || {}).legend },
    },
  };
  return new Chart(canvas, config);
}

function drawAll() {
  if (typeof Chart === "undefined") return; // the tables are there either way
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 14;
  Chart.defaults.color = TEXT; // the labels as dark as the page's text, not Chart.js's grey
  document.querySelectorAll("table[data-chart]").forEach(draw);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawAll);
else drawAll();
