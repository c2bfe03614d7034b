// erp-sync status page: reads /status/api/overview and /status/api/exceptions, replays through
// /status/api/replay. Text from the store goes in through textContent only, never as HTML.
"use strict";

const API = "api/";
const REFRESH_MS = 15000;
// what became of each row read, stacked; conflicts met on the way (an item can meet one and still be updated) is a line
const SERIES = [
  ["updated", "Updated", "--updated"],
  ["unchanged", "Unchanged", "--unchanged"],
  ["parked", "Parked", "--parked"],
  ["deferred", "Deferred (breaker open)", "--deferred"],
];
const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
let replayAllowed = false;

const $ = (id) => document.getElementById(id);

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function svg(tag, attrs) {
  const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}

function color(variable) {
  return getComputedStyle(document.documentElement).getPropertyValue(variable).trim();
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString() : "";
}

function pct(x) {
  return (100 * (x || 0)).toFixed(1) + " %";
}

async function getJson(path) {
  const r = await fetch(API + path, { headers: { Accept: "application/json" }, cache: "no-store" });
  const body = await r.json().catch(() => ({ error: "HTTP " + r.status }));
  if (!r.ok) throw new Error(body.error || "HTTP " + r.status);
  return body;
}

function showError(message) {
  const e = $("load-error");
  e.textContent = message || "";
  e.hidden = !message;
}

// ---- overview -------------------------------------------------------------------------------

async function loadOverview() {
  const o = await getJson("overview");
  $("as-of").textContent = "as of " + when(o.now);
  const last = o.cycles.length ? o.cycles[o.cycles.length - 1] : null;
  const pill = $("last-status");
  pill.textContent = last ? last.status : "no cycle yet";
  pill.className = "pill " + (!last ? "" : last.status === "SUCCEEDED" ? "ok" : last.status === "FAILED" ? "bad" : "warn");
  $("tile-last").textContent = last ? last.status : "none yet";
  $("tile-last-detail").textContent = last
    ? `run ${last.run} (${last.trigger}${last.node ? " on " + last.node.split("#")[0] : ""}) ${when(last.startedAt)}: ${last.updated} updated, ${last.unchanged} unchanged, `
      + `${last.conflicts} conflicts, ${last.parked} parked, ${last.deferred} deferred, ${(last.duration / 1000).toFixed(1)} s`
    : "";
  $("tile-next").textContent = o.schedulePaused ? "schedule paused" : (o.nextFire ? when(o.nextFire) : "not scheduled");
  const breaker = $("tile-breaker");
  breaker.textContent = o.breaker;
  breaker.className = "state-" + o.breaker;
  $("tile-gate").textContent = o.gate;
  $("tile-rate").textContent = pct(o.conflictRateLastCycle) + " last cycle";
  $("tile-rate-detail").textContent = pct(o.conflictRate24h) + " over 24 h";
  const open = Object.entries(o.openByClass);
  $("tile-open").textContent = open.reduce((n, [, v]) => n + v, 0);
  $("tile-open-detail").textContent = open.map(([k, v]) => `${k} ${v}`).join(", ");
  const pressure = o.pressure;
  $("tile-pressure").textContent = `${pressure.erpRate} requests/s`;
  $("tile-pressure-detail").textContent = `lowered ${pressure.erpRateDecreases} times by 429/503; batch sizes: `
    + (Object.entries(pressure.batchSizes).map(([k, v]) => `${k} ${v}`).join(", ") || "fixed");
  $("tile-hot").textContent = o.hotItems.length;
  $("tile-hot-detail").textContent = o.hotItems.slice(0, 8).join(", ");
  const bom = o.bom;
  $("tile-bom").textContent = bom.last ? bom.last.status : "no BOM run yet";
  $("tile-bom-detail").textContent = (bom.last
    ? `${when(bom.last.startedAt)}: ${bom.last.updated} applied, ${bom.last.unchanged} already so, ${bom.last.parked} parked. ` : "")
    + (bom.held.length ? `Held for a change order: ${bom.held.join("; ")}` : "No bill held.");
  const select = $("filter-class");
  if (select.options.length === 1) for (const c of o.failureClasses) select.append(el("option", c));
  drawTargets(o.targets);
  drawCycles(o.cycles);
  drawHeatmap(o.report);
  setReplayRight(o.replay);
}

// one section per target when several are configured (setting targets): each its own cycles, breaker, exceptions, rate
function drawTargets(targets) {
  const section = $("targets-section");
  section.hidden = !targets;
  $("detail-caption").hidden = !targets;
  if (!targets) return;
  $("detail-caption").textContent = `Below, ${targets[0].name} in detail: its last cycle, breaker, gate, pressure, cycles and conflicts;`
    + " the exception queue shows the target its Target filter names.";
  $("cycles-title").textContent = `Last cycles: ${targets[0].name}`;
  $("heat-title").textContent = `Conflicts by hour and weekday: ${targets[0].name}`;
  const select = $("filter-target");
  $("filter-target-label").hidden = false;
  if (select.options.length === 1) {
    select.options[0].textContent = targets[0].name;
    select.options[0].value = targets[0].name;
    for (const t of targets.slice(1)) select.append(el("option", t.name));
  }
  $("targets").replaceChildren(...targets.map((t) => {
    const tile = el("div", null, "tile target");
    tile.dataset.target = t.name;
    const last = t.cycles.length ? t.cycles[t.cycles.length - 1] : null;
    const open = Object.entries(t.openByClass);
    tile.append(el("h2", t.name), el("p", last ? last.status : "no cycle yet", "target-status"),
      el("p", last ? `run ${last.run} ${when(last.startedAt)}: ${last.updated} updated, ${last.unchanged} unchanged, `
        + `${last.conflicts} conflicts, ${last.parked} parked, ${last.deferred} deferred, ${last.requests} requests` : "", "muted"),
      el("p", `breaker ${t.breaker}; ${open.reduce((n, [, v]) => n + v, 0)} open exceptions`
        + (open.length ? ` (${open.map(([k, v]) => `${k} ${v}`).join(", ")})` : ""), "state-" + t.breaker),
      el("p", t.rate === null ? "" : `${t.rate} requests/s, lowered ${t.rateDecreases} times`, "muted"));
    const strip = el("div", null, "strip");
    for (const c of t.cycles) {
      const b = el("span", null, "cell " + (c.status === "SUCCEEDED" ? "ok" : c.status === "FAILED" ? "bad" : "warn"));
      b.title = `run ${c.run}: ${c.status}, ${c.updated} updated, ${c.parked} parked, ${c.deferred} deferred`;
      strip.append(b);
    }
    tile.append(strip);
    return tile;
  }));
}

function drawCycles(cycles) {
  const box = $("cycles-chart");
  box.replaceChildren();
  if (!cycles.length) {
    box.append(el("p", "No cycle has run yet.", "muted"));
    return;
  }
  const W = 900, H = 240, L = 44, R = 44, T = 10, B = 28;
  const s = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "items per cycle and cycle duration" });
  const max = Math.max(1, ...cycles.map((c) => Math.max(c.conflicts || 0, SERIES.reduce((n, [k]) => n + (c[k] || 0), 0))));
  const maxMs = Math.max(1, ...cycles.map((c) => c.duration || 0));
  const step = (W - L - R) / cycles.length;
  const barW = Math.min(28, Math.max(2, step * 0.7));
  const y = (v) => H - B - (v / max) * (H - T - B);
  const yd = (ms) => H - B - (ms / maxMs) * (H - T - B);
  s.append(svg("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, class: "axis" }));
  s.append(svg("line", { x1: L, y1: T, x2: L, y2: H - B, class: "axis" }));
  const label = (x, yy, text, anchor) => {
    const t = svg("text", { x, y: yy, "text-anchor": anchor || "middle" });
    t.textContent = text;
    s.append(t);
  };
  label(L - 4, T + 8, String(max), "end");
  label(L - 4, H - B, "0", "end");
  label(W - R + 4, T + 8, (maxMs / 1000).toFixed(1) + " s", "start");
  const points = [];
  const conflictPoints = [];
  cycles.forEach((c, i) => {
    const x = L + i * step + (step - barW) / 2;
    let base = 0;
    const g = svg("g", { "data-run": c.run });
    const tip = svg("title");
    tip.textContent = `run ${c.run} ${c.status} ${when(c.startedAt)}\n`
      + SERIES.map(([k, name]) => `${name}: ${c[k] || 0}`).join("\n") + `\nConflicts: ${c.conflicts || 0}`
      + `\nDuration: ${(c.duration / 1000).toFixed(1)} s`;
    g.append(tip);
    for (const [k, , v] of SERIES) {
      const n = c[k] || 0;
      if (n > 0) {
        g.append(svg("rect", { x, y: y(base + n), width: barW, height: y(base) - y(base + n), fill: color(v) }));
      }
      base += n;
    }
    if (c.status === "FAILED" || c.status.startsWith("SKIPPED")) {
      g.append(svg("rect", { x, y: H - B - 3, width: barW, height: 3, fill: color(c.status === "FAILED" ? "--parked" : "--unchanged") }));
    }
    s.append(g);
    points.push(`${x + barW / 2},${yd(c.duration || 0)}`);
    conflictPoints.push(`${x + barW / 2},${y(c.conflicts || 0)}`);
    if (c.conflicts) g.append(svg("circle", { cx: x + barW / 2, cy: y(c.conflicts), r: 3, fill: color("--conflicts") }));
    if (cycles.length <= 15 || i % Math.ceil(cycles.length / 15) === 0) label(x + barW / 2, H - B + 14, String(c.run));
  });
  s.append(svg("polyline", { points: points.join(" "), fill: "none", stroke: color("--duration"), "stroke-width": 2 }));
  s.append(svg("polyline", { points: conflictPoints.join(" "), fill: "none", stroke: color("--conflicts"), "stroke-width": 2,
    "stroke-dasharray": "5 3" }));
  box.append(s);
}

function drawLegend() {
  const legend = $("legend");
  for (const [, name, v] of [...SERIES, ["", "Conflicts met (dashed)", "--conflicts"], ["", "Duration (right axis)", "--duration"]]) {
    const span = el("span", name);
    span.style.setProperty("--swatch", `var(${v})`);
    legend.append(span);
  }
}

function drawHeatmap(report) {
  $("heat-caption").textContent = `Conflicts (locks, stale versions, changes underneath) since ${when(report.since)}, hours in ${report.zone}.`;
  const table = $("heatmap");
  table.replaceChildren();
  const head = el("tr");
  head.append(el("th"));
  for (let h = 0; h < 24; h++) head.append(el("th", String(h).padStart(2, "0")));
  table.append(head);
  const max = Math.max(1, ...report.heatmap.flat());
  report.heatmap.forEach((hours, d) => {
    const tr = el("tr");
    tr.append(el("th", DAYS[d]));
    hours.forEach((n, h) => {
      const td = el("td", n || "");
      td.title = `${DAYS[d]} ${String(h).padStart(2, "0")}:00: ${n} conflicts`;
      td.dataset.day = DAYS[d];
      td.dataset.hour = h;
      td.dataset.count = n;
      td.style.backgroundColor = n ? `rgba(200, 55, 45, ${0.12 + 0.88 * (n / max)})` : "";
      td.style.color = n / max > 0.5 ? "#fff" : "";
      tr.append(td);
    });
    table.append(tr);
  });
  const hottest = $("hottest");
  hottest.replaceChildren(...report.hottestItems.slice(0, 10).map((i) => el("li", `${i.item} (${i.organization}): ${i.conflicts}`)));
  if (!report.hottestItems.length) hottest.append(el("li", "none", "muted"));
  const owners = $("owners");
  owners.replaceChildren(...Object.entries(report.byOwner).map(([k, v]) => el("li", `${k}: ${v}`)));
  if (!owners.children.length) owners.append(el("li", "none", "muted"));
}

// ---- exception queue ------------------------------------------------------------------------

function filterValues() {
  return { status: $("filter-status").value, item: $("filter-item").value.trim(), class: $("filter-class").value,
    target: $("filter-target").value };
}

function replayFilterText(f) {
  const parts = [];
  if (f.item) parts.push("item=" + f.item);
  if (f.class) parts.push("class=" + f.class);
  if (f.target) parts.push("target=" + f.target);
  return parts.length ? parts.join(",") : "all";
}

async function loadExceptions() {
  const f = filterValues();
  const q = new URLSearchParams({ status: f.status, item: f.item, class: f.class, target: f.target, limit: "500" });
  const data = await getJson("exceptions?" + q);
  const body = $("exceptions").tBodies[0];
  body.replaceChildren(...data.rows.map(exceptionRow));
  $("exceptions-empty").hidden = data.rows.length > 0;
  const more = $("exceptions-more");
  more.hidden = data.rows.length < data.limit;
  more.textContent = `Showing the newest ${data.limit}; narrow the filter to see others.`;
  $("replay-filter").textContent = `Replay all open that match (${replayFilterText(f)})`;
}

function exceptionRow(r) {
  const tr = el("tr");
  tr.dataset.id = r.id;
  tr.dataset.item = r.item || "";
  const reason = el("td", r.reason, "reason");
  if (r.erpMessage && r.erpMessage !== r.reason) reason.title = "ERP: " + r.erpMessage;
  const what = r.kind === "BOM" ? `${r.item || ""} bill ${r.bill} component ${r.component ?? "-"} (change ${r.change})` : r.item;
  tr.append(el("td", r.id), el("td", what), el("td", r.organization), el("td", r.failureClass), reason,
    el("td", r.lockOwner), el("td", r.wantedQuantity), el("td", r.attempts), el("td", when(r.lastFailureAt)), el("td", r.status, "status"));
  const cell = el("td");
  if (r.status === "OPEN") {
    const b = el("button", "Replay", "replay");
    b.type = "button";
    b.disabled = !replayAllowed;
    b.title = replayAllowed ? `Replay exception ${r.id} (${r.item})` : $("replay-note").textContent;
    const target = $("filter-target").value;
    b.addEventListener("click", () => replay("id=" + r.id + (target ? ",target=" + target : ""), b));
    cell.append(b);
  }
  tr.append(cell);
  return tr;
}

function setReplayRight(right) {
  replayAllowed = right.allowed;
  $("replay-note").textContent = right.allowed ? `Replays run as ${right.user}.` : right.why;
  $("replay-filter").disabled = !right.allowed;
  for (const b of document.querySelectorAll("button.replay")) b.disabled = !right.allowed;
}

async function replay(filter, button) {
  const result = $("replay-result");
  button.disabled = true;
  result.textContent = `Replaying ${filter} ...`;
  try {
    const r = await fetch(API + "replay?" + new URLSearchParams({ filter }), {
      method: "POST",
      headers: { Accept: "application/json", "X-Erp-Sync-Action": "replay" },
    });
    const body = await r.json().catch(() => ({ error: "HTTP " + r.status }));
    if (!r.ok) throw new Error(body.error || "HTTP " + r.status);
    const s = body.summary;
    result.textContent = `Replay ${filter}: ${s.status}; ${s.updated} updated, ${s.unchanged} unchanged, `
      + `${s.parked} parked again (run ${s.run})`;
  } catch (e) {
    result.textContent = `Replay ${filter} failed: ${e.message}`;
  } finally {
    button.disabled = !replayAllowed;
    await refresh();
  }
}

async function refresh() {
  try {
    await loadOverview();
    await loadExceptions();
    showError("");
  } catch (e) {
    showError("Could not load: " + e.message);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  drawLegend();
  $("filters").addEventListener("submit", (e) => {
    e.preventDefault();
    loadExceptions().catch((err) => showError("Could not load: " + err.message));
  });
  $("filter-status").addEventListener("change", () => $("filters").requestSubmit());
  $("filter-class").addEventListener("change", () => $("filters").requestSubmit());
  $("filter-target").addEventListener("change", () => $("filters").requestSubmit());
  $("replay-filter").addEventListener("click", (e) => {
    const filter = replayFilterText(filterValues());
    if (window.confirm(`Replay every open exception matching ${filter}?`)) replay(filter, e.currentTarget);
  });
  refresh();
  setInterval(refresh, REFRESH_MS);
});
