/* player.js - the netsim classroom player (see viz/player.h).
 *
 * The page holds the whole recorded run (the JSON in #netsim-data) and the
 * diagram (the SVG in #netsim-svg); nothing is fetched. The state shown is
 * a pure function of the current step, so stepping back is exact: render()
 * draws step k from the data alone, never from the previous picture.
 *
 * A step is every record of one instant of simulated time that carries a
 * frame or application output: equal-time events animate together, as a
 * flood's copies leave all their ports at once. Each transmitted frame is
 * an envelope travelling along its link from the sending port; a frame that
 * arrived sits at the receiving port; a drop is a red cross at the device
 * with its reason. Simulated time maps to animation time logarithmically
 * (microseconds and seconds both stay watchable), scaled by the speed.
 *
 * Strings: every piece of interface text comes from STRINGS by key, so a
 * language is one more table. Decision lines come from the simulator in
 * both languages ([event, English, Chinese]; the Chinese one is empty when
 * the machine that wrote the page had no zh_CN locale). Devices show their
 * label (D.nodes[i][2]) where people read them; ids keep the name.
 */
"use strict";

const STRINGS = {
  en: {
    start: "Start", back: "Step back", play: "Play", pause: "Pause", fwd: "Step forward",
    speed: "Speed", step: "Step", of: "of", time: "Time (s)", last: "Last device",
    at: "At device", type: "Type", info: "Info", events: "Event list",
    diagram: "Diagram", pdu: "PDU details", tables: "Device tables",
    inbound: "Inbound PDU", outbound: "Outbound PDU", layer: "Layer",
    noPdu: "Select an event with a frame (click a row).",
    noDevice: "Click a device in the diagram to see its tables at this instant.",
    noTables: "This device keeps no MAC, ARP or routing table.",
    mac: "MAC table", arp: "ARP cache", route: "Routing table",
    atStart: "Before the first event. Press \u25b6 or \u2192.",
    capped: "This file holds only the first {0} events of a longer run (netsim play --limit).",
    maxEvents: "The run stopped at --max-events.",
    hex: "Bytes", filters: "Protocols", more: "{0} more rows: step on to see them",
    dropped: "dropped", lang: "Language", at_time: "at t = {0} s", help:
      "Space: play/pause \u00b7 \u2190 \u2192: step \u00b7 Home: start \u00b7 drag: pan \u00b7 wheel: zoom",
  },
  zh: {
    start: "\u56de\u5230\u5f00\u59cb", back: "\u540e\u9000\u4e00\u6b65", play: "\u64ad\u653e",
    pause: "\u6682\u505c", fwd: "\u524d\u8fdb\u4e00\u6b65", speed: "\u901f\u5ea6",
    step: "\u6b65", of: "/", time: "\u65f6\u95f4 (\u79d2)", last: "\u4e0a\u4e00\u8bbe\u5907",
    at: "\u6240\u5728\u8bbe\u5907", type: "\u7c7b\u578b", info: "\u4fe1\u606f",
    events: "\u4e8b\u4ef6\u5217\u8868", diagram: "\u62d3\u6251\u56fe", pdu: "PDU \u8be6\u60c5",
    tables: "\u8bbe\u5907\u8868", inbound: "\u5165\u7ad9 PDU", outbound: "\u51fa\u7ad9 PDU",
    layer: "\u7b2c", noPdu: "\u8bf7\u70b9\u51fb\u4e00\u884c\u5e26\u5e27\u7684\u4e8b\u4ef6\u3002",
    noDevice: "\u70b9\u51fb\u56fe\u4e2d\u7684\u8bbe\u5907\uff0c\u67e5\u770b\u5b83\u6b64\u523b\u7684\u8868\u3002",
    noTables: "\u8be5\u8bbe\u5907\u6ca1\u6709 MAC\u3001ARP \u6216\u8def\u7531\u8868\u3002",
    mac: "MAC \u5730\u5740\u8868", arp: "ARP \u7f13\u5b58", route: "\u8def\u7531\u8868",
    atStart: "\u7b2c\u4e00\u4e2a\u4e8b\u4ef6\u4e4b\u524d\u3002\u6309 \u25b6 \u6216 \u2192\u3002",
    capped: "\u672c\u6587\u4ef6\u53ea\u5305\u542b\u8f83\u957f\u8fd0\u884c\u7684\u524d {0} \u4e2a\u4e8b\u4ef6\uff08netsim play --limit\uff09\u3002",
    maxEvents: "\u8fd0\u884c\u5728 --max-events \u5904\u505c\u6b62\u3002",
    hex: "\u5b57\u8282", filters: "\u534f\u8bae", more: "\u8fd8\u6709 {0} \u884c\uff1a\u7ee7\u7eed\u5355\u6b65\u67e5\u770b",
    dropped: "\u4e22\u5f03", lang: "\u8bed\u8a00", at_time: "t = {0} \u79d2\u65f6", help:
      "\u7a7a\u683c\uff1a\u64ad\u653e/\u6682\u505c \u00b7 \u2190 \u2192\uff1a\u5355\u6b65 \u00b7 Home\uff1a\u5f00\u59cb",
  },
};
let lang = "en"; /* set from D.lang once the data is read */
function t(key, ...args) {
  const s = (STRINGS[lang] && STRINGS[lang][key]) || STRINGS.en[key] || key;
  return s.replace(/\{(\d)\}/g, (_, i) => String(args[+i]));
}

/* Protocol of a frame for colour and filtering, from its dissected layers. */
const PROTOS = [
  ["ARP", "#f08c00"], ["ICMP", "#1c7ed6"], ["UDP", "#2f9e44"], ["TCP", "#7048e8"],
  ["DHCP", "#d6336c"], ["DNS", "#0c8599"], ["STP", "#868e96"], ["IP", "#495057"],
  ["Other", "#adb5bd"],
];
const PROTO_COLOUR = Object.fromEntries(PROTOS);
const LAYER_INFO = {
  eth: [2, "Ethernet II"], vlan: [2, "802.1Q Virtual LAN"], stp: [2, "Spanning Tree Protocol"],
  arp: [2, "Address Resolution Protocol"], ip: [3, "Internet Protocol Version 4"],
  icmp: [3, "Internet Control Message Protocol"], udp: [4, "User Datagram Protocol"],
  tcp: [4, "Transmission Control Protocol"], data: [7, "Data"], malformed: [0, "Malformed"],
};

const D = JSON.parse(document.getElementById("netsim-data").textContent);
const R = { ID: 0, EVENT: 1, TIME: 2, NODE: 3, IFACE: 4, KIND: 5, REASON: 6, DETAIL: 7, FRAME: 8 };
const SVGNS = "http://www.w3.org/2000/svg";

function portNumber(value) {
  const m = /(\d+)\)?$/.exec(value);
  return m ? +m[1] : -1;
}

/* The frame's own protocol is its first layer above IP: an ICMP error's
 * quoted UDP header comes after the ICMP layer and does not count. */
function frameProto(f) {
  const top = f.layers.find((l) => ["stp", "arp", "icmp", "tcp", "udp"].includes(l[0]));
  if (!top) return f.layers.some((l) => l[0] === "ip") ? "IP" : "Other";
  if (top[0] !== "udp") return top[0].toUpperCase();
  const ports = top[3].filter((x) => /port$/.test(x[0])).map((x) => portNumber(x[1]));
  if (ports.includes(67) || ports.includes(68)) return "DHCP";
  if (ports.includes(53)) return "DNS";
  return "UDP";
}

/* ---- derived model ---------------------------------------------------- */

const nodeName = (i) => (i >= 0 ? D.nodes[i][0] : "");
/* Switch and hub ports are numbered; shown "p3" as the text trace does. */
const ifName = (s) => (/^\d+$/.test(s) ? "p" + s : s);
const linkByEnd = new Map(); /* "node/iface" -> link index */
D.links.forEach((l, i) => {
  linkByEnd.set(l[0] + "/" + l[1], i);
  linkByEnd.set(l[2] + "/" + l[3], i);
});
function peerOf(node, iface) {
  const li = linkByEnd.get(node + "/" + iface);
  if (li === undefined) return -1;
  const l = D.links[li];
  return l[0] === node && l[1] === iface ? l[2] : l[0];
}
D.frames.forEach((f) => { f.proto = frameProto(f); });
const decisions = new Map();
for (const [ev, en, zh] of D.decisions) decisions.set(ev, { en, zh });
lang = D.lang === "zh" ? "zh" : "en";
const decisionText = (d) => (lang === "zh" && d.zh ? d.zh : d.en);
/* What people read: the label if the device has one. */
const displayName = (i) => (i >= 0 ? D.nodes[i][2] || D.nodes[i][0] : "");

/* Steps: runs of equal-time records holding a frame or app output. */
const steps = [];
const stepOfRecord = new Int32Array(D.records.length).fill(-1);
for (let i = 0; i < D.records.length;) {
  let j = i;
  let shows = false;
  while (j < D.records.length && D.records[j][R.TIME] === D.records[i][R.TIME]) {
    const r = D.records[j];
    if (r[R.FRAME] >= 0 || r[R.KIND] === "app" || r[R.KIND] === "show") shows = true;
    j++;
  }
  if (shows) {
    for (let k = i; k < j; k++) stepOfRecord[k] = steps.length;
    steps.push({ time: D.records[i][R.TIME], from: i, to: j });
  }
  i = j;
}

/* Event-list rows: frames leaving, arriving and dropped. */
const rows = [];
D.records.forEach((r, i) => {
  const kind = r[R.KIND];
  if (stepOfRecord[i] < 0 || !(kind === "tx" || kind === "rx" || kind === "drop")) return;
  const f = r[R.FRAME] >= 0 ? D.frames[r[R.FRAME]] : null;
  const peer = peerOf(r[R.NODE], r[R.IFACE]);
  let last = "", at = displayName(r[R.NODE]);
  if (kind === "tx") { last = at; at = displayName(peer); }
  else last = displayName(peer); /* rx, and a drop where the frame came from */
  let info = (f ? f.summary : r[R.DETAIL]);
  if (kind === "drop") info = t("dropped") + ": " + r[R.REASON] + " \u2014 " + info;
  rows.push({ rec: i, step: stepOfRecord[i], kind, last, at, proto: f ? f.proto : "Other",
              info: kind + " " + ifName(r[R.IFACE]) + ": " + info });
});
const rowsOfStep = new Map();
rows.forEach((row, i) => {
  if (!rowsOfStep.has(row.step)) rowsOfStep.set(row.step, []);
  rowsOfStep.get(row.step).push(i);
});

/* Table snapshots per node, in record order. */
const snaps = D.nodes.map(() => []);
for (const [after, node, tables] of D.tables) snaps[node].push([after, tables]);
function tablesAt(node, recId) {
  const list = snaps[node];
  let lo = 0, hi = list.length - 1, best = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid][0] <= recId) { best = list[mid][1]; lo = mid + 1; } else hi = mid - 1;
  }
  return best;
}

/* ---- state ------------------------------------------------------------ */

const S = {
  cur: -1,          /* current step; -1 = before the first */
  playing: false,
  speed: 1,
  selectedRow: -1,  /* row index in rows */
  pickedField: null, /* [side, offset, length] */
  device: -1,
  hidden: new Set(), /* protocols filtered out */
  timer: 0, anim: 0,
};

/* ---- DOM -------------------------------------------------------------- */

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
}
function svgEl(tag, attrs) {
  const e = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}

const ui = {};
function buildUi() {
  const tpl = document.getElementById("netsim-svg");
  const svg = tpl ? tpl.content.querySelector("svg") : null;
  document.body.textContent = "";
  ui.notice = el("div", { id: "notice" });
  if (D.status === "limit") ui.notice.dataset.key = "capped";
  else if (D.status === "max-events") ui.notice.dataset.key = "maxEvents";
  else ui.notice.hidden = true;
  ui.bar = el("div", { id: "bar" });
  ui.title = el("h1", { text: D.title || D.source });
  ui.start = el("button", { id: "btn-start", text: "|\u25c0" });
  ui.back = el("button", { id: "btn-back", text: "\u25c0" });
  ui.play = el("button", { id: "btn-play", text: "\u25b6" });
  ui.fwd = el("button", { id: "btn-fwd", text: "\u25b6|" });
  ui.scrub = el("input", { id: "scrub", type: "range", min: "0", max: String(steps.length), value: "0" });
  ui.clock = el("span", { id: "clock" });
  ui.speedLabel = el("span");
  ui.speed = el("input", { id: "speed", type: "range", min: "-3", max: "4", step: "1", value: "0" });
  ui.lang = el("select", { id: "lang" }, el("option", { value: "en", text: "English" }),
               el("option", { value: "zh", text: "\u4e2d\u6587" }));
  ui.lang.value = lang;
  ui.bar.append(ui.title, ui.start, ui.back, ui.play, ui.fwd, ui.scrub, ui.clock,
                el("label", {}, ui.speedLabel, ui.speed), ui.lang);
  ui.help = el("span", { class: "muted", id: "help" });

  ui.diagramPanel = el("section", { class: "panel", id: "diagram-panel" });
  ui.diagramTitle = el("h2");
  ui.diagram = el("div", { id: "diagram" });
  ui.stepInfo = el("div", { id: "step-info" });
  ui.diagramPanel.append(ui.diagramTitle, ui.diagram, ui.stepInfo);

  ui.listPanel = el("section", { class: "panel", id: "list-panel" });
  ui.listTitle = el("h2");
  ui.filters = el("div", { id: "filters" });
  ui.list = el("div", { id: "list" });
  ui.listPanel.append(ui.listTitle, ui.filters, ui.list);

  ui.pduPanel = el("section", { class: "panel", id: "pdu-panel" });
  ui.pduTitle = el("h2");
  ui.pdu = el("div", { id: "pdu-body" });
  ui.pduPanel.append(ui.pduTitle, ui.pdu);
  ui.tablesPanel = el("section", { class: "panel", id: "tables-panel" });
  ui.tablesTitle = el("h2");
  ui.tables = el("div", { id: "tables-body" });
  ui.tablesPanel.append(ui.tablesTitle, ui.tables);
  const bottom = el("div", { id: "bottom" }, ui.pduPanel, ui.tablesPanel);
  const main = el("div", { id: "main" }, ui.diagramPanel, ui.listPanel, bottom);
  document.body.append(ui.notice, ui.bar, main);

  if (svg) {
    ui.svg = document.importNode(svg, true);
    ui.diagram.append(ui.svg);
    ui.graph = ui.svg.querySelector("g.graph");
    ui.envLayer = svgEl("g", { id: "env-layer" });
    ui.graph.append(ui.envLayer);
  }
  const present = new Set(D.frames.map((f) => f.proto));
  for (const [p, colour] of PROTOS) {
    if (!present.has(p)) continue;
    const box = el("input", { type: "checkbox", "data-proto": p });
    box.checked = true;
    box.addEventListener("change", () => {
      if (box.checked) S.hidden.delete(p); else S.hidden.add(p);
      render(false);
    });
    const sw = el("span", { class: "swatch" });
    sw.style.background = colour;
    ui.filters.append(el("label", {}, box, sw, p));
  }
  wire();
  texts();
}

/* Every translatable text; called again when the language changes. */
function texts() {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  ui.start.title = t("start"); ui.back.title = t("back"); ui.fwd.title = t("fwd");
  ui.play.title = S.playing ? t("pause") : t("play");
  ui.speedLabel.textContent = t("speed") + " \u00d7" + S.speed;
  ui.lang.title = t("lang");
  ui.diagramTitle.textContent = t("diagram") + " \u2014 " + t("help");
  ui.listTitle.textContent = t("events");
  ui.pduTitle.textContent = t("pdu");
  ui.tablesTitle.textContent = t("tables");
  if (ui.notice.dataset.key) ui.notice.textContent = t(ui.notice.dataset.key, D.events);
  render(false);
}

/* ---- pan and zoom ----------------------------------------------------- */

const view = { x: 0, y: 0, k: 1 };
function applyView() {
  ui.svg.style.transform = `translate(${view.x}px, ${view.y}px) scale(${view.k})`;
}
function fit() {
  if (!ui.svg) return;
  const w = ui.svg.width.baseVal.value, h = ui.svg.height.baseVal.value;
  const box = ui.diagram.getBoundingClientRect();
  view.k = Math.min(box.width / w, box.height / h) || 1;
  view.x = (box.width - w * view.k) / 2;
  view.y = (box.height - h * view.k) / 2;
  applyView();
}

function wire() {
  ui.start.addEventListener("click", () => { stop(); go(-1); });
  ui.back.addEventListener("click", () => { stop(); stepBy(-1); });
  ui.fwd.addEventListener("click", () => { stop(); stepBy(1); });
  ui.play.addEventListener("click", () => (S.playing ? stop() : start()));
  ui.scrub.addEventListener("input", () => { stop(); go(+ui.scrub.value - 1); });
  ui.speed.addEventListener("input", () => {
    S.speed = Math.pow(2, +ui.speed.value);
    texts();
  });
  ui.lang.addEventListener("change", () => { lang = ui.lang.value; texts(); });
  document.addEventListener("keydown", (e) => {
    if (e.target instanceof HTMLInputElement && e.target.type !== "range") return;
    if (e.key === " ") { e.preventDefault(); S.playing ? stop() : start(); }
    else if (e.key === "ArrowRight") { e.preventDefault(); stop(); stepBy(1); }
    else if (e.key === "ArrowLeft") { e.preventDefault(); stop(); stepBy(-1); }
    else if (e.key === "Home") { e.preventDefault(); stop(); go(-1); }
  });
  if (!ui.svg) return;
  let drag = null;
  ui.diagram.addEventListener("mousedown", (e) => {
    drag = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y, moved: false };
  });
  window.addEventListener("mousemove", (e) => {
    if (!drag) return;
    const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) { drag.moved = true; ui.diagram.classList.add("dragging"); }
    view.x = drag.vx + dx; view.y = drag.vy + dy;
    applyView();
  });
  window.addEventListener("mouseup", (e) => {
    if (drag && !drag.moved) {
      const g = e.target.closest ? e.target.closest("g.node") : null;
      if (g && g.id.startsWith("dev-")) selectDevice(D.nodes.findIndex((n) => "dev-" + n[0] === g.id));
    }
    drag = null;
    ui.diagram.classList.remove("dragging");
  });
  ui.diagram.addEventListener("wheel", (e) => {
    e.preventDefault();
    const box = ui.diagram.getBoundingClientRect();
    const mx = e.clientX - box.left, my = e.clientY - box.top;
    const k = Math.min(20, Math.max(0.1, view.k * Math.exp(-e.deltaY * 0.0015)));
    view.x = mx - ((mx - view.x) * k) / view.k;
    view.y = my - ((my - view.y) * k) / view.k;
    view.k = k;
    applyView();
  }, { passive: false });
  window.addEventListener("resize", fit);
}

/* ---- stepping --------------------------------------------------------- */

function stepVisible(k) {
  const s = steps[k];
  let frames = 0;
  for (let i = s.from; i < s.to; i++) {
    const f = D.records[i][R.FRAME];
    if (f < 0) continue;
    frames++;
    if (!S.hidden.has(D.frames[f].proto)) return true;
  }
  return frames === 0 && S.hidden.size === 0;
}
function stepBy(dir) {
  let k = S.cur + dir;
  while (k >= 0 && k < steps.length && !stepVisible(k)) k += dir;
  if (k < -1 || k >= steps.length) return false;
  if (k === -1 || (k >= 0 && k < steps.length)) go(k);
  return true;
}
function go(k) {
  S.cur = Math.max(-1, Math.min(steps.length - 1, k));
  S.selectedRow = -1;
  S.pickedField = null;
  render(true);
}
function stepDuration(k) {
  const next = k + 1 < steps.length ? steps[k + 1].time : steps[k].time;
  const gapUs = Math.max(0, next - steps[k].time) / 1000;
  return (450 + 250 * Math.min(4, Math.log10(1 + gapUs))) / S.speed;
}
function start() {
  if (S.cur >= steps.length - 1) go(-1);
  S.playing = true;
  texts();
  ui.play.textContent = "\u275a\u275a";
  tick();
}
function tick() {
  if (!S.playing) return;
  if (!stepBy(1) || S.cur >= steps.length - 1) {
    if (S.cur >= steps.length - 1) { stop(); return; }
  }
  S.timer = setTimeout(tick, stepDuration(Math.max(0, S.cur)));
}
function stop() {
  S.playing = false;
  clearTimeout(S.timer);
  ui.play.textContent = "\u25b6";
  ui.play.title = t("play");
}

/* ---- rendering -------------------------------------------------------- */

function fmtTime(ns) {
  const s = Math.floor(ns / 1e9), frac = String(ns % 1e9).padStart(9, "0");
  return s + "." + frac;
}
function curRecordId() {
  return S.cur < 0 ? 0 : D.records[steps[S.cur].to - 1][R.ID];
}

function render(animate) {
  if (!ui.bar) return;
  ui.scrub.value = String(S.cur + 1);
  const s = S.cur >= 0 ? steps[S.cur] : null;
  ui.clock.textContent = `${t("step")} ${S.cur + 1} ${t("of")} ${steps.length} \u00b7 ` +
    (s ? fmtTime(s.time) + " s" : "\u2014");
  renderStepInfo(s);
  renderEnvelopes(s, animate);
  renderList();
  if (S.selectedRow < 0 && s) {
    const mine = (rowsOfStep.get(S.cur) || []).filter((i) => !S.hidden.has(rows[i].proto));
    if (mine.length) S.selectedRow = mine.find((i) => rows[i].kind === "rx") ?? mine[0];
    markRows();
  }
  renderPdu();
  renderTables();
}

function renderStepInfo(s) {
  ui.stepInfo.textContent = "";
  if (!s) { ui.stepInfo.append(el("div", { id: "step-head", text: t("atStart") })); return; }
  ui.stepInfo.append(el("div", { id: "step-head", text: `${t("step")} ${S.cur + 1} \u00b7 t = ${fmtTime(s.time)} s` }));
  const seen = new Set();
  for (let i = s.from; i < s.to; i++) {
    const ev = D.records[i][R.EVENT];
    if (seen.has(ev)) continue;
    seen.add(ev);
    const d = decisions.get(ev);
    const text = d ? decisionText(d) : "";
    if (text) for (const line of text.split("\n")) ui.stepInfo.append(el("div", { class: "decision", text: line }));
  }
  /* Application output and `show` tables of the step, as the run prints them. */
  for (let i = s.from; i < s.to; i++) {
    const kind = D.records[i][R.KIND];
    if (kind === "app") ui.stepInfo.append(el("div", { class: "muted app", text: D.records[i][R.DETAIL] }));
    else if (kind === "show") ui.stepInfo.append(el("pre", { class: "show", text: D.records[i][R.DETAIL] }));
  }
}

/* Where along link li the end at `node` is: 0 (tail) or the path length. */
function edgeGeometry(li) {
  const g = document.getElementById("link" + li);
  const path = g ? g.querySelector("path") : null;
  if (!path) return null;
  return { path, len: path.getTotalLength(), tail: D.links[li][4] };
}
function pointAt(geo, fromNode, frac) {
  const forward = fromNode === geo.tail;
  const d = geo.len * (forward ? frac : 1 - frac);
  return geo.path.getPointAtLength(Math.max(0, Math.min(geo.len, d)));
}
function envelope(colour, li, recIdx) {
  const g = svgEl("g", { class: "env", "data-link": "link" + li, "data-rec": String(D.records[recIdx][R.ID]) });
  g.append(svgEl("rect", { x: -10, y: -7, width: 20, height: 14, rx: 2, fill: colour }),
           svgEl("path", { d: "M-10,-7 L0,1 L10,-7" }));
  return g;
}
function nodeCentre(node) {
  const g = document.getElementById("dev-" + nodeName(node));
  if (!g) return null;
  const b = g.getBBox();
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

function renderEnvelopes(s, animate) {
  cancelAnimationFrame(S.anim);
  if (!ui.envLayer) return;
  ui.envLayer.textContent = "";
  if (!s) return;
  const moving = [];
  for (let i = s.from; i < s.to; i++) {
    const r = D.records[i];
    const fi = r[R.FRAME];
    const kind = r[R.KIND];
    if (fi >= 0 && S.hidden.has(D.frames[fi].proto)) continue;
    const li = linkByEnd.get(r[R.NODE] + "/" + r[R.IFACE]);
    if (kind === "drop") {
      let p = nodeCentre(r[R.NODE]);
      if (li !== undefined) { const geo = edgeGeometry(li); if (geo) p = pointAt(geo, r[R.NODE], 0.12); }
      if (!p) continue;
      const m = svgEl("g", { class: "drop-mark", "data-rec": String(r[R.ID]), transform: `translate(${p.x},${p.y})` });
      m.append(svgEl("path", { d: "M-8,-8 L8,8 M8,-8 L-8,8" }));
      const txt = svgEl("text", { x: 11, y: 4 });
      txt.textContent = r[R.REASON];
      m.append(txt);
      ui.envLayer.append(m);
      continue;
    }
    if (fi < 0 || li === undefined || (kind !== "tx" && kind !== "rx")) continue;
    const geo = edgeGeometry(li);
    if (!geo) continue;
    const env = envelope(PROTO_COLOUR[D.frames[fi].proto], li, i);
    if (kind === "rx") {
      const p = pointAt(geo, r[R.NODE], 0.08);
      env.setAttribute("transform", `translate(${p.x},${p.y})`);
      env.setAttribute("opacity", "0.55");
    } else {
      moving.push({ env, geo, node: r[R.NODE] });
    }
    ui.envLayer.append(env);
  }
  const place = (frac) => {
    for (const m of moving) {
      const p = pointAt(m.geo, m.node, 0.08 + 0.84 * frac);
      m.env.setAttribute("transform", `translate(${p.x},${p.y})`);
    }
  };
  if (!animate || !moving.length) { place(1); return; }
  const dur = 0.85 * stepDuration(S.cur), t0 = performance.now();
  const frame = (now) => {
    const f = Math.min(1, (now - t0) / dur);
    place(f);
    if (f < 1) S.anim = requestAnimationFrame(frame);
  };
  place(0);
  S.anim = requestAnimationFrame(frame);
}

const LIST_WINDOW = 300;
function renderList() {
  const visible = [];
  rows.forEach((row, i) => { if (!S.hidden.has(row.proto)) visible.push(i); });
  /* The window of rows around the current step (big runs stay fast). */
  let at = visible.findIndex((i) => rows[i].step >= S.cur);
  if (at < 0) at = visible.length;
  const lo = Math.max(0, at - LIST_WINDOW / 3), hi = Math.min(visible.length, lo + LIST_WINDOW);
  const table = el("table");
  table.append(el("thead", {}, el("tr", {}, el("th", { text: t("time") }), el("th", { text: t("last") }),
    el("th", { text: t("at") }), el("th", { text: t("type") }), el("th", { text: t("info") }))));
  const body = el("tbody");
  for (let v = lo; v < hi; v++) {
    const i = visible[v], row = rows[i];
    const sw = el("span", { class: "swatch" });
    sw.style.background = PROTO_COLOUR[row.proto];
    const tr = el("tr", { "data-row": String(i), "data-step": String(row.step), "data-kind": row.kind },
      el("td", { text: fmtTime(D.records[row.rec][R.TIME]) }), el("td", { text: row.last }),
      el("td", { text: row.at }), el("td", {}, sw, " " + row.proto), el("td", { class: "info", text: row.info }));
    tr.addEventListener("click", () => { stop(); go(row.step); S.selectedRow = i; markRows(); renderPdu(); });
    body.append(tr);
  }
  if (hi < visible.length) body.append(el("tr", { class: "more" }, el("td", { colspan: "5", text: t("more", visible.length - hi) })));
  table.append(body);
  ui.list.textContent = "";
  ui.list.append(table);
  markRows();
  const cur = ui.list.querySelector("tr.current");
  if (cur) cur.scrollIntoView({ block: "nearest" });
}
function markRows() {
  for (const tr of ui.list.querySelectorAll("tbody tr[data-row]")) {
    const step = +tr.dataset.step;
    tr.classList.toggle("current", step === S.cur);
    tr.classList.toggle("past", step < S.cur);
    tr.classList.toggle("selected", +tr.dataset.row === S.selectedRow);
  }
}

/* Inbound and outbound copies of the selected frame at its device: the
 * last rx that brought it (same uid) and the first tx that sent it on,
 * which may come events later (a router waiting for ARP, a queue). A
 * host's own frame has no inbound side. */
function inOut(row) {
  const r = D.records[row.rec];
  const node = r[R.NODE], uid = r[R.FRAME] >= 0 ? D.frames[r[R.FRAME]].uid : -1;
  const same = (x, kind) => x[R.NODE] === node && x[R.KIND] === kind && x[R.FRAME] >= 0 &&
    D.frames[x[R.FRAME]].uid === uid;
  let inbound = -1, outbound = -1;
  if (r[R.KIND] === "rx") inbound = row.rec;
  else for (let i = row.rec; i >= 0 && i > row.rec - 20000; i--) if (same(D.records[i], "rx")) { inbound = i; break; }
  if (r[R.KIND] === "tx") outbound = row.rec;
  else for (let i = Math.max(0, inbound); i < D.records.length && i < row.rec + 20000; i++) if (same(D.records[i], "tx")) { outbound = i; break; }
  return [inbound, outbound];
}

function fieldKeys(frame) {
  const keys = [], count = {};
  for (const layer of frame.layers) for (const f of layer[3]) {
    count[f[0]] = (count[f[0]] || 0) + 1;
    keys.push(f[0] + "#" + count[f[0]]);
  }
  return keys;
}

function pduColumn(side, recIdx, other) {
  const col = el("div", { class: "pdu-col", "data-side": side });
  if (recIdx < 0) return col;
  const r = D.records[recIdx], f = D.frames[r[R.FRAME]];
  col.append(el("h3", { text: `${t(side)} \u00b7 ${displayName(r[R.NODE])} ${ifName(r[R.IFACE])}` }));
  const keys = fieldKeys(f);
  const otherVals = new Map();
  if (other >= 0) {
    const of = D.frames[D.records[other][R.FRAME]], ok = fieldKeys(of);
    let n = 0;
    for (const layer of of.layers) for (const x of layer[3]) otherVals.set(ok[n++], x[1]);
  }
  let n = 0;
  for (const layer of f.layers) {
    const [num, long] = LAYER_INFO[layer[0]] || [0, layer[0]];
    const box = el("div", { class: "layer", "data-layer": layer[0] });
    box.append(el("div", { class: "layer-name", text: `${t("layer")} ${num}: ${long}` }));
    for (const x of layer[3]) {
      const key = keys[n++];
      const changed = other >= 0 && otherVals.has(key) && otherVals.get(key) !== x[1];
      const row = el("div", { class: "field" + (changed ? " changed" : ""), "data-field": x[0] },
        el("span", { class: "fname", text: x[0] }), el("span", { class: "fval", text: x[1] }));
      const picked = S.pickedField && S.pickedField[0] === side && S.pickedField[3] === key;
      if (picked) row.classList.add("picked");
      row.addEventListener("click", () => { S.pickedField = [side, x[2], x[3], key]; renderPdu(); });
      box.append(row);
    }
    col.append(box);
  }
  return col;
}

function hexView(recIdx, hl) {
  const f = D.frames[D.records[recIdx][R.FRAME]];
  const pre = el("div", { id: "hex" });
  pre.append(el("div", { class: "muted", text: t("hex") + " (" + f.hex.length / 2 + ")" }));
  for (let off = 0; off < f.hex.length / 2; off += 16) {
    const line = el("div");
    line.append(off.toString(16).padStart(4, "0") + "  ");
    for (let i = off; i < Math.min(off + 16, f.hex.length / 2); i++) {
      const b = el("span", { "data-i": String(i), text: f.hex.substr(i * 2, 2) });
      if (hl && i >= hl[0] && i < hl[0] + hl[1]) b.className = "hl";
      line.append(b, i % 8 === 7 ? "  " : " ");
    }
    pre.append(line);
  }
  return pre;
}

function renderPdu() {
  ui.pdu.textContent = "";
  const row = rows[S.selectedRow];
  if (!row || D.records[row.rec][R.FRAME] < 0) { ui.pdu.append(el("div", { class: "muted", text: t("noPdu") })); return; }
  const [inb, outb] = inOut(row);
  const cols = el("div", { class: "pdu-cols" }, pduColumn("inbound", inb, outb), pduColumn("outbound", outb, inb));
  ui.pdu.append(cols);
  const side = S.pickedField ? S.pickedField[0] : (row.kind === "tx" ? "outbound" : "inbound");
  let which = side === "inbound" ? inb : outb;
  if (which < 0) which = inb >= 0 ? inb : outb;
  if (which >= 0) ui.pdu.append(hexView(which, S.pickedField ? [S.pickedField[1], S.pickedField[2]] : null));
}

function selectDevice(i) {
  S.device = i;
  if (ui.svg) for (const g of ui.svg.querySelectorAll("g.node")) g.classList.toggle("selected", g.id === "dev-" + nodeName(i));
  renderTables();
}
function renderTables() {
  ui.tables.textContent = "";
  if (S.device < 0) { ui.tables.append(el("div", { class: "muted", text: t("noDevice") })); return; }
  const s = S.cur >= 0 ? steps[S.cur] : null;
  ui.tables.append(el("h3", { text: `${displayName(S.device)} (${D.nodes[S.device][1]}) \u00b7 ` +
    t("at_time", s ? fmtTime(s.time) : "0") }));
  const tables = tablesAt(S.device, curRecordId()) || {};
  const keys = ["mac", "arp", "route"].filter((k) => k in tables);
  if (!keys.length) ui.tables.append(el("div", { class: "muted", text: t("noTables") }));
  for (const k of keys) {
    ui.tables.append(el("h3", { text: t(k) }), el("pre", { "data-table": k, text: tables[k] }));
  }
}

/* The test harness and curious users can drive the player from the console. */
window.netsimPlayer = { data: D, steps, rows, state: S, go, stepBy, selectDevice };

buildUi();
fit();
render(false);
