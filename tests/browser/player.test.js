#!/usr/bin/env node
/* player.test.js - the `netsim play` page in a real browser: Debian's
 * chromium, headless, driven by playwright-core (no browser download).
 *
 *   node tests/browser/player.test.js NETSIM_BIN BUILD_DIR
 *
 * Every shipped topology's page must load with no console error and no
 * network request (every request other than the page's own file is
 * blocked and fails the test). On dorms-router.topo it steps, checks the
 * event list and the envelopes, the router's inbound/outbound PDU (TTL
 * 64 -> 63), exact back/forward, a switch's MAC table at an instant, the ARP
 * filter, and saves a screenshot in BUILD_DIR. Exit status 0 = pass.
 */
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

let chromium;
try {
  ({ chromium } = require("playwright-core"));
} catch (e) {
  console.error("playwright-core is missing: run `npm ci --prefix tests/browser`");
  process.exit(1);
}

const [netsim, buildDir] = process.argv.slice(2);
const srcDir = path.resolve(__dirname, "..", "..");
const outDir = path.join(buildDir, "player");
const CHROMIUM = process.env.NETSIM_CHROMIUM || "/usr/bin/chromium";
let failures = 0;

function check(cond, what) {
  if (cond) console.log("ok   " + what);
  else { console.log("FAIL " + what); failures++; }
}

function play(topo) {
  const out = path.join(outDir, path.basename(topo, ".topo") + ".html");
  execFileSync(netsim, ["play", topo, "-o", out], { stdio: ["ignore", "ignore", "inherit"] });
  return out;
}

/* A page with network blocked and errors collected. */
async function open(browser, file) {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const problems = [];
  const url = "file://" + file;
  page.on("console", (m) => { if (m.type() === "error") problems.push("console: " + m.text()); });
  page.on("pageerror", (e) => problems.push("page error: " + e.message));
  await page.route("**/*", (route) => {
    const u = route.request().url();
    if (u === url) return route.continue();
    problems.push("network request: " + u);
    return route.abort();
  });
  page.on("request", (r) => { if (r.url() !== url) problems.push("request: " + r.url()); });
  await page.goto(url);
  await page.waitForFunction(() => window.netsimPlayer !== undefined);
  return { page, problems };
}

const settle = (page) => page.waitForTimeout(1200); /* envelope animation ends */

async function snapshot(page) {
  return page.evaluate(() => ({
    clock: document.getElementById("clock").textContent,
    info: document.getElementById("step-info").textContent,
    rows: [...document.querySelectorAll("#list tr.current")].map((r) => r.textContent),
    envs: [...document.querySelectorAll("#env-layer > *")].map((e) =>
      [e.getAttribute("data-link"), e.getAttribute("data-rec"), e.getAttribute("transform")].join(" ")),
    pdu: document.getElementById("pdu-body").textContent,
  }));
}

async function dormsRouter(browser) {
  const file = play(path.join(srcDir, "topologies", "dorms-router.topo"));
  const { page, problems } = await open(browser, file);

  /* Step 5: swA got r1's ARP reply on p8 and forwards it out of p1 to alex. */
  for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowRight");
  await settle(page);
  const s5 = await page.evaluate(() => {
    const cur = [...document.querySelectorAll("#list tr.current")].map((r) =>
      [...r.cells].map((c) => c.textContent.trim()));
    const moving = [...document.querySelectorAll("#env-layer g.env:not([opacity])")];
    const centre = (id) => {
      const b = document.getElementById(id).getBBox();
      return [b.x + b.width / 2, b.y + b.height / 2];
    };
    const env = moving.map((e) => {
      const m = /translate\(([-\d.]+),([-\d.]+)\)/.exec(e.getAttribute("transform"));
      const [ax, ay] = centre("dev-alex"), [sx, sy] = centre("dev-swA");
      const dA = Math.hypot(m[1] - ax, m[2] - ay), dS = Math.hypot(m[1] - sx, m[2] - sy);
      return { link: e.getAttribute("data-link"), nearAlex: dA < dS };
    });
    const tips = [...document.querySelectorAll("#link0 g[id^='a_link0-'] a")].map((a) =>
      a.getAttribute("xlink:title") || a.getAttributeNS("http://www.w3.org/1999/xlink", "title"));
    const cells = [...document.querySelectorAll("#dev-swA text")].map((t) => t.textContent.trim());
    return { step: window.netsimPlayer.state.cur, cur, env, tips, cells };
  });
  check(s5.step === 4, "five steps forward reach step 5");
  check(s5.cur.some((c) => c[1] === "r1" && c[2] === "swA" && c[3] === "ARP" && /rx p8: ARP 192\.168\.10\.254 is-at/.test(c[4])),
        "event list: current row r1 -> swA, ARP reply arriving on p8");
  check(s5.cur.some((c) => c[1] === "swA" && c[2] === "alex" && /tx p1:/.test(c[4])),
        "event list: current row swA -> alex, sent out of p1");
  check(s5.env.length === 1 && s5.env[0].link === "link0" && s5.env[0].nearAlex,
        "the moving envelope is on link alex-swA (link0) and has reached alex's end");
  /* swA, with two hosts, is a port panel: its end of link0 is its p1 cell,
   * alex's end a port label with an id. */
  check(s5.tips.sort().join("|") === "alex eth0" && s5.cells.includes("p1"),
        "link0's port label has an id and names its end; swA's end is its p1 cell");

  /* The router's forwarded echo request: inbound TTL 64, outbound 63. */
  await page.evaluate(() => {
    const P = window.netsimPlayer;
    const i = P.rows.findIndex((r) => r.kind === "rx" && r.at === "r1" && /echo request/.test(r.info));
    P.go(P.rows[i].step);
    document.querySelector(`#list tr[data-row="${i}"]`).click();
  });
  const pdu = await page.evaluate(() => {
    const field = (side, name) => {
      const f = document.querySelector(`.pdu-col[data-side="${side}"] .field[data-field="${name}"]`);
      return f ? [f.querySelector(".fval").textContent, f.classList.contains("changed")] : null;
    };
    return {
      heads: [...document.querySelectorAll(".pdu-col h3")].map((h) => h.textContent),
      ttlIn: field("inbound", "ip.ttl"), ttlOut: field("outbound", "ip.ttl"),
      srcIn: field("inbound", "eth.src"), srcOut: field("outbound", "eth.src"),
      protoIn: field("inbound", "ip.proto"),
      layers: [...document.querySelectorAll('.pdu-col[data-side="inbound"] .layer-name')].map((l) => l.textContent),
    };
  });
  check(pdu.heads.length === 2 && /r1 eth0/.test(pdu.heads[0]) && /r1 eth1/.test(pdu.heads[1]),
        "PDU view: inbound at r1 eth0 beside outbound at r1 eth1");
  check(pdu.ttlIn && pdu.ttlIn[0] === "64" && pdu.ttlIn[1], "inbound ip.ttl is 64, marked changed");
  check(pdu.ttlOut && pdu.ttlOut[0] === "63" && pdu.ttlOut[1], "outbound ip.ttl is 63, marked changed");
  check(pdu.srcIn && pdu.srcOut && pdu.srcIn[0] !== pdu.srcOut[0] && pdu.srcOut[1], "eth.src differs and is marked");
  check(pdu.protoIn && !pdu.protoIn[1], "unchanged fields (ip.proto) are not marked");
  check(pdu.layers.join("|") === "Layer 2: Ethernet II|Layer 3: Internet Protocol Version 4|Layer 3: Internet Control Message Protocol|Layer 7: Data",
        "layers with OSI numbers: " + pdu.layers.join(", "));
  /* Clicking ip.ttl highlights its byte (offset 22) in the hex view. */
  await page.click('.pdu-col[data-side="outbound"] .field[data-field="ip.ttl"]');
  const hl = await page.evaluate(() => [...document.querySelectorAll("#hex span.hl")].map((s) => [s.dataset.i, s.textContent]));
  check(hl.length === 1 && hl[0][0] === "22" && hl[0][1] === "3f", "hex view highlights ip.ttl's byte: 3f at offset 22");

  /* Back 3 and forward 3 give the same state. */
  await page.evaluate(() => window.netsimPlayer.go(10));
  await settle(page);
  const before = await snapshot(page);
  for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowLeft");
  await settle(page);
  const back = await snapshot(page);
  for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight");
  await settle(page);
  const after = await snapshot(page);
  check(JSON.stringify(back) !== JSON.stringify(before), "back 3 shows a different state");
  check(JSON.stringify(after) === JSON.stringify(before), "back 3 then forward 3 restores the state exactly");

  /* A switch's MAC table at the current instant. */
  const box = await page.locator("#dev-swA").boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  const macNow = await page.locator('#tables-body pre[data-table="mac"]').textContent();
  check(/00:0a:a4:2a:3e:4b\s+1\b/.test(macNow) || /00:0a:a4:2a:3e:4b.*p?1/.test(macNow),
        "swA's MAC table at step 11 has alex's MAC on port 1");
  await page.keyboard.press("Home");
  const macStart = await page.locator('#tables-body pre[data-table="mac"]').textContent();
  check(!/00:0a:a4:2a:3e:4b/.test(macStart), "swA's MAC table before the first event does not");

  /* Filter out ARP. */
  await page.evaluate(() => window.netsimPlayer.go(20));
  await page.uncheck('#filters input[data-proto="ARP"]');
  const types = await page.evaluate(() =>
    [...document.querySelectorAll("#list tbody tr[data-row]")].map((r) => r.cells[3].textContent.trim()));
  check(types.length > 0 && !types.includes("ARP") && types.includes("ICMP"), "with ARP unchecked the list holds no ARP row, ICMP rows remain");
  const envArp = await page.evaluate(() => [...document.querySelectorAll("#env-layer g.env rect")].filter((r) => r.getAttribute("fill") === "#f08c00").length);
  check(envArp === 0, "no ARP envelope is drawn");
  await page.keyboard.press("ArrowRight");
  const stepArp = await page.evaluate(() => {
    const P = window.netsimPlayer, s = P.steps[P.state.cur], D = P.data;
    let any = false;
    for (let i = s.from; i < s.to; i++) { const f = D.records[i][8]; if (f >= 0 && D.frames[f].proto !== "ARP") any = true; }
    return any;
  });
  check(stepArp, "stepping skips steps that hold only ARP frames");
  await page.check('#filters input[data-proto="ARP"]');

  /* Play and pause with the space bar; the speed slider; the language. */
  await page.keyboard.press("Home");
  await page.locator("#speed").fill("3");
  await page.keyboard.press(" ");
  await page.waitForTimeout(1500);
  await page.keyboard.press(" ");
  const played = await page.evaluate(() => [window.netsimPlayer.state.cur, window.netsimPlayer.state.playing, window.netsimPlayer.state.speed]);
  check(played[0] >= 2 && !played[1] && played[2] === 8, `space plays at x8 and pauses (reached step ${played[0] + 1})`);
  /* Step 2 is swA learning alex and flooding the ARP request: its decision
   * line follows the language menu (both languages are in the page). */
  await page.keyboard.press("Home");
  for (let i = 0; i < 2; i++) await page.keyboard.press("ArrowRight");
  const decisionText = () => page.evaluate(() =>
    Array.from(document.querySelectorAll("#step-info .decision"), (d) => d.textContent).join("\n"));
  const enLine = await decisionText();
  check(/flooded to ports 2 and 8/.test(enLine), `English decision line by default: ${enLine}`);
  await page.selectOption("#lang", "zh");
  const zh = await page.evaluate(() => [document.documentElement.lang, document.querySelector("#list-panel h2").textContent]);
  check(zh[0] === "zh-CN" && zh[1] === "\u4e8b\u4ef6\u5217\u8868", "the language menu switches the interface to Chinese");
  const zhLine = await decisionText();
  check(zhLine.includes("\u6cdb\u6d2a\u5230\u7aef\u53e3 2 \u548c 8"),
        `the decision line switches to Chinese (\u6cdb\u6d2a\u5230\u7aef\u53e3 2 \u548c 8): ${zhLine}`);
  await page.selectOption("#lang", "en");
  check((await decisionText()) === enLine, "and back to English");

  /* The screenshot (README): r1 forwarding the first echo request, its
   * PDU in and out, and r1's tables at that instant. */
  const row = await page.evaluate(() => {
    const P = window.netsimPlayer;
    const i = P.rows.findIndex((r) => r.kind === "tx" && r.last === "r1" && /echo request/.test(r.info));
    P.go(P.rows[i].step);
    return i;
  });
  await settle(page);
  await page.click(`#list tr[data-row="${row}"]`);
  const r1 = await page.locator("#dev-r1").boundingBox();
  await page.mouse.click(r1.x + r1.width / 2, r1.y + r1.height / 2);
  await page.click('.pdu-col[data-side="outbound"] .field[data-field="ip.ttl"]');
  await page.screenshot({ path: path.join(buildDir, "player-dorms-router.png") });
  check(problems.length === 0, "dorms-router page: no console error, no network request" + (problems.length ? ": " + problems.join("; ") : ""));
  await page.close();
}

(async () => {
  fs.mkdirSync(outDir, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  try {
    await dormsRouter(browser);
    const topos = fs.readdirSync(path.join(srcDir, "topologies")).filter((f) => f.endsWith(".topo")).sort();
    for (const t of topos) {
      const { page, problems } = await open(browser, play(path.join(srcDir, "topologies", t)));
      await page.keyboard.press("ArrowRight");
      await page.keyboard.press("ArrowRight");
      const n = await page.evaluate(() => window.netsimPlayer.steps.length);
      await page.waitForTimeout(200);
      check(problems.length === 0 && n > 0, `${t}: loads, ${n} steps, no console error or request` +
            (problems.length ? ": " + problems.join("; ") : ""));
      await page.close();
    }
  } finally {
    await browser.close();
  }
  console.log(failures ? `${failures} check(s) failed` : "all checks passed");
  process.exit(failures ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(1); });
