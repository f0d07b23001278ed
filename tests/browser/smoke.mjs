// Readout's end-to-end smoke test: the real `readout serve` on an empty
// database (so it imports the bundled samples), driven in Debian's Chromium
// through playwright-core the way a reader would use it.
//
//   node tests/browser/smoke.mjs
//
// Environment: READOUT_BIN (default target/debug/readout), CHROMIUM
// (default /usr/bin/chromium), SCREENSHOT_DIR (default target/browser).
// Prints one line per check and closes with `N passed, N failed`; exits
// non-zero on any failure. The server is stopped whatever happens.

import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

// axe-core, pinned in package.json, injected into each page checked.
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const bin = process.env.READOUT_BIN || join(root, "target", "debug", "readout");
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
const shots = resolve(process.env.SCREENSHOT_DIR || join(root, "target", "browser"));
// The whole run, server start included, must finish well inside this.
const DEADLINE_MS = 5 * 60 * 1000;

const results = [];
let server;
let context;
let tmp;

/** Runs one named check; a failure is recorded and the run goes on. */
async function check(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`ok    ${name} (${Date.now() - started} ms)`);
  } catch (err) {
    results.push({ name, ok: false });
    console.log(`FAIL  ${name}\n      ${String(err?.message ?? err).split("\n").join("\n      ")}`);
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** Starts the server on port 0 and resolves to the URL it logs. */
function startServer(dbPath) {
  return new Promise((resolveUrl, reject) => {
    const child = spawn(bin, ["serve", "--db", dbPath, "--addr", "127.0.0.1:0"], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, RUST_LOG: "info" },
    });
    server = child;
    let log = "";
    const timer = setTimeout(
      () => reject(new Error(`the server logged no URL within 60 s:\n${log}`)),
      60_000,
    );
    const onData = (chunk) => {
      log += chunk.toString();
      // "Readout is running: open http://127.0.0.1:PORT"
      const match = log.match(/open (http:\/\/127\.0\.0\.1:\d+)/);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${signal ?? code}) before serving:\n${log}`));
    });
  });
}

/** Polls until the server answers `/` with 200. */
async function waitUntilAnswering(base) {
  const until = Date.now() + 30_000;
  let last;
  while (Date.now() < until) {
    try {
      const res = await fetch(`${base}/`);
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err.message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server did not answer / within 30 s (${last})`);
}

async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((r) => server.once("exit", r));
  server.kill("SIGTERM");
  const timeout = new Promise((r) => setTimeout(() => r("timeout"), 5_000));
  if ((await Promise.race([exited, timeout])) === "timeout") {
    server.kill("SIGKILL");
    await exited;
  }
}

async function cleanUp() {
  try {
    if (context) await context.close();
  } catch {
    // The browser may already be gone.
  }
  await stopServer();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}

/** Texts of the timeline rows on the current page. */
function rowTexts(page) {
  return page.locator("li.engagement").allInnerTexts();
}

/** The page's horizontal overflow in CSS pixels (0 when none). */
function horizontalOverflow(page) {
  return page.evaluate(() => {
    const doc = document.documentElement;
    return Math.max(doc.scrollWidth, document.body.scrollWidth) - doc.clientWidth;
  });
}

async function main() {
  assert(existsSync(bin), `no server binary at ${bin} (run \`cargo build\` or \`cargo test\` first)`);
  assert(existsSync(chromiumPath), `no Chromium at ${chromiumPath} (apt-get install chromium)`);
  tmp = mkdtempSync(join(tmpdir(), "readout-smoke-"));
  mkdirSync(shots, { recursive: true });

  const base = await startServer(join(tmp, "r.db"));
  await waitUntilAnswering(base);
  console.log(`server: ${base}`);

  // A fresh profile in our temp dir; the flags keep Chromium off the
  // network (this machine has none but loopback) and quiet.
  context = await chromium.launchPersistentContext(join(tmp, "profile"), {
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1280, height: 1000 },
    colorScheme: "light",
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());

  // Anything the pages load (stylesheet, icon) must load.
  const badResponses = [];
  page.on("response", (res) => {
    if (res.url().includes("/static/") && res.status() >= 400) {
      badResponses.push(`${res.status()} ${res.url()}`);
    }
  });
  page.on("requestfailed", (req) => {
    // A download is handed to the browser, not shown; that is no failure.
    if (!req.url().includes("/export?")) badResponses.push(`failed ${req.url()}`);
  });
  const consoleErrors = [];
  page.on("console", (msg) => {
    // The 400 and 404 pages this test opens on purpose log their status;
    // a failing subresource is caught by badResponses instead.
    const expected = /^Failed to load resource: the server responded with a status of 4\d\d/;
    if (msg.type() === "error" && !expected.test(msg.text())) {
      consoleErrors.push(`${page.url()}: ${msg.text()}`);
    }
  });
  page.on("pageerror", (err) => consoleErrors.push(`${page.url()}: ${err.message}`));

  let counterpart; // { slug, name } clicked in the timeline
  let unfilteredRows = 0;

  await check("the timeline lists the sample corpus's engagements", async () => {
    const res = await page.goto(`${base}/`);
    assert(res.status() === 200, `GET / answered ${res.status()}`);
    assert((await page.title()).includes("Readout"), `title is "${await page.title()}"`);
    const rows = page.locator("li.engagement");
    unfilteredRows = await rows.count();
    assert(unfilteredRows >= 10, `only ${unfilteredRows} engagements on the first page`);
    const months = await page.locator("h2.month-label").count();
    assert(months >= 1, "no month headings");
    const dated = await page.locator("li.engagement time[datetime]").count();
    assert(dated >= 10, `only ${dated} rows carry a date`);
    const first = await rows.first().innerText();
    assert(/call|meeting|visit/i.test(first), `the first row names no kind: ${first}`);
    assert(/\d+ sources?/.test(first), `the first row shows no source count: ${first}`);
    // Newest first: the dates never go up down the page.
    const dates = await page.locator("li.engagement time[datetime]").evaluateAll((els) =>
      els.map((el) => el.getAttribute("datetime")),
    );
    for (let i = 1; i < dates.length; i++) {
      assert(dates[i] <= dates[i - 1], `not newest first: ${dates[i - 1]} then ${dates[i]}`);
    }
    const facets = await page.locator(".facets li").count();
    assert(facets >= 3, `only ${facets} facet counts beside the filters`);
    await page.screenshot({ path: join(shots, "timeline.png") });
    await page.screenshot({ path: join(shots, "timeline-full.png"), fullPage: true });
  });

  await check("the stylesheet loads", async () => {
    const color = await page.evaluate(() => getComputedStyle(document.querySelector(".site-header")).display);
    assert(color === "flex", `the site header is not styled (display ${color})`);
    assert(badResponses.length === 0, `failed requests: ${badResponses.join(", ")}`);
  });

  await check("clicking a counterpart filters the timeline to it", async () => {
    await page.goto(`${base}/`);
    const link = page.locator("li.engagement .them a.filter-link, li.engagement .orgs a.filter-link").first();
    const href = await link.getAttribute("href");
    const name = (await link.innerText()).trim();
    const slug = new URL(href, base).searchParams.get("counterpart");
    assert(slug, `the counterpart link ${href} carries no counterpart=`);
    counterpart = { slug, name };
    await Promise.all([page.waitForURL(/counterpart=/), link.click()]);
    const url = new URL(page.url());
    assert(url.searchParams.get("counterpart") === slug, `URL is ${page.url()}, wanted counterpart=${slug}`);
    const texts = await rowTexts(page);
    assert(texts.length >= 1, "the filtered timeline is empty");
    assert(
      texts.length < unfilteredRows || unfilteredRows < 50,
      `the filtered list (${texts.length} rows) is no shorter than the unfiltered one`,
    );
    const missing = texts.filter((t) => !t.includes(name));
    assert(missing.length === 0, `${missing.length} of ${texts.length} rows do not mention ${name}: ${missing[0]}`);
    const active = await page.locator(".active-filters").innerText();
    assert(active.includes(slug) || active.includes(name), `no active-filter chip for ${slug}: ${active}`);
    assert((await page.title()).includes(slug), `title "${await page.title()}" does not name the filter`);
  });

  await check("the counterpart's page shows who they are and their engagements", async () => {
    assert(counterpart, "no counterpart from the previous check");
    const res = await page.goto(`${base}/actors/${encodeURIComponent(counterpart.slug)}`);
    assert(res.status() === 200, `GET /actors/${counterpart.slug} answered ${res.status()}`);
    const heading = await page.locator("h1").innerText();
    assert(heading.includes(counterpart.name), `h1 "${heading}" is not ${counterpart.name}`);
    assert((await page.locator("li.engagement").count()) >= 1, "no engagements on the actor page");
  });

  await check("the filter form submits its state in the query string", async () => {
    await page.goto(`${base}/`);
    // With no filter set the form starts folded, so the rows come first.
    await page.locator("details.filters > summary").click();
    await page.locator("form.filter-form select[name=kind]").selectOption("call");
    await Promise.all([
      page.waitForURL(/kind=call/),
      page.locator("form.filter-form button[type=submit]").click(),
    ]);
    // textContent, not innerText: the stylesheet may upper-case the tag.
    const kinds = await page.locator("li.engagement .kind").allTextContents();
    assert(kinds.length >= 1, "no calls listed");
    const other = kinds.filter((k) => k.trim().toLowerCase() !== "call");
    assert(other.length === 0, `rows of another kind after kind=call: ${other.join(", ")}`);
    const selected = await page.locator("form.filter-form select[name=kind]").inputValue();
    assert(selected === "call", `the form forgot the filter (kind is "${selected}")`);
  });

  await check("an engagement permalink shows its sources and excerpts", async () => {
    await page.goto(`${base}/`);
    // Prefer the engagement with the most sources: it shows the merging.
    const links = await page.locator("li.engagement p.more a").evaluateAll((els) =>
      els.map((el) => ({ href: el.getAttribute("href"), text: el.textContent })),
    );
    assert(links.length > 0, "no details links");
    const sources = (l) => Number((l.text.match(/(\d+) sources?/) || [0, 0])[1]);
    const best = links.reduce((a, b) => (sources(b) > sources(a) ? b : a));
    const link = page.locator(`li.engagement p.more a[href="${best.href}"]`).first();
    await Promise.all([page.waitForURL(/\/engagements\//), link.click()]);
    assert(page.url().endsWith(best.href), `opened ${page.url()}, wanted ${best.href}`);
    const h1 = (await page.locator("h1").innerText()).trim();
    assert(h1.length > 0, "no heading");
    const items = page.locator("ol.sources li.source");
    const n = await items.count();
    assert(n === sources(best), `${n} sources listed, the timeline said ${sources(best)}`);
    const excerpts = await page.locator("ol.sources blockquote.excerpt").allInnerTexts();
    assert(excerpts.length === n && excerpts.every((e) => e.trim().length > 20), `short or missing excerpts: ${JSON.stringify(excerpts)}`);
    const description = await page.locator('meta[name="description"]').getAttribute("content");
    assert(description && description.length > 20, `meta description is "${description}"`);
    const ogTitle = await page.locator('meta[property="og:title"]').getAttribute("content");
    assert(ogTitle && ogTitle.length > 0, "no og:title");
    await page.screenshot({ path: join(shots, "engagement.png"), fullPage: true });
    // The source document opens, with this engagement among its findings.
    const id = best.href.split("/").pop();
    await Promise.all([page.waitForURL(/\/documents\//), page.locator("ol.sources li.source h3 a").first().click()]);
    const docLinks = await page.locator(`a[href$="/engagements/${id}"]`).count();
    assert(docLinks >= 1, `the source document does not link back to ${id}`);
  });

  await check("a malformed date is a 400 page that names `from`", async () => {
    const res = await page.goto(`${base}/?from=yesterday`);
    assert(res.status() === 400, `GET /?from=yesterday answered ${res.status()}`);
    const text = await page.locator("main").innerText();
    assert(/\bfrom\b/.test(text), `the error page does not name \`from\`: ${text}`);
    assert(text.includes("yesterday"), `the error page does not quote the value: ${text}`);
    assert((await page.locator("header.site-header a.brand").count()) === 1, "the error page is not in the site layout");
  });

  await check("an unknown engagement is a 404 page in the site layout", async () => {
    const res = await page.goto(`${base}/engagements/1999-01-01-nobody-nothing-call`);
    assert(res.status() === 404, `answered ${res.status()}`);
    assert((await page.locator("header.site-header a.brand").count()) === 1, "the 404 page is not in the site layout");
  });

  await check("the JSON API mirrors the counterpart filter", async () => {
    assert(counterpart, "no counterpart from an earlier check");
    const res = await fetch(`${base}/api/engagements?counterpart=${encodeURIComponent(counterpart.slug)}`);
    assert(res.status === 200, `answered ${res.status}`);
    const body = await res.json();
    assert(Array.isArray(body.engagements) && body.engagements.length >= 1, "no engagements");
    for (const e of body.engagements) {
      const slugs = [...e.participants.map((p) => p.actor.slug), ...e.organizations.map((o) => o.slug)];
      assert(slugs.includes(counterpart.slug), `${e.id} lacks ${counterpart.slug}`);
    }
  });

  // Issue 9, point by point, as a user does it.
  await check("1. typing UK as the country finds the British engagements and says so", async () => {
    await page.goto(`${base}/`);
    await page.locator("details.filters > summary").click();
    await page.locator("form.filter-form input[name=country]").fill("UK");
    await Promise.all([
      page.waitForURL(/country=UK/),
      page.locator("form.filter-form button[type=submit]").click(),
    ]);
    const rows = await page.locator("li.engagement").count();
    assert(rows >= 1, "no rows for country=UK");
    const chip = await page.locator(".active-filters").innerText();
    assert(/UK\s*→\s*United Kingdom/.test(chip), `the chip does not say what UK means: ${chip}`);
  });

  await check("1. a straight apostrophe finds the curly one, marked in the row", async () => {
    const res = await page.goto(`${base}/?q=${encodeURIComponent("Biden's")}`);
    assert(res.status() === 200, `answered ${res.status()}`);
    const rows = await page.locator("li.engagement").count();
    assert(rows >= 1, "q=Biden's found nothing");
    const marks = await page.locator("li.engagement .excerpt mark").count();
    assert(marks >= 1, "no <mark> in the excerpts");
    const unknown = await page.goto(`${base}/?contry=Ukraine`);
    assert(unknown.status() === 400, `/?contry= answered ${unknown.status()}`);
    assert((await page.locator("main").innerText()).includes("contry"), "the 400 does not name contry");
  });

  await check("2. show in document lands on the highlighted passage", async () => {
    await page.goto(`${base}/`);
    await page.locator("li.engagement p.more a").first().click();
    await page.waitForURL(/\/engagements\//);
    const link = page.locator("p.offsets a").first();
    const href = await link.getAttribute("href");
    assert(/#x-\d+-\d+$/.test(href), `no passage anchor: ${href}`);
    await Promise.all([page.waitForURL(/\/documents\//), link.click()]);
    const id = href.split("#")[1];
    const mark = page.locator(`[id="${id}"]`);
    assert((await mark.count()) === 1, `no passage #${id} in the document`);
    const target = await page.evaluate(() => document.querySelector(":target")?.id);
    assert(target === id, `the passage is not the target (${target})`);
    await page.screenshot({ path: join(shots, "document-passage.png") });
  });

  await check("3. the CSV download of a filtered view has the page's rows", async () => {
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.goto(`${base}/?kind=call&limit=500`);
    const ids = await page.locator("li.engagement p.more a").evaluateAll((els) =>
      els.map((el) => el.getAttribute("href").replace("/engagements/", "")),
    );
    const href = await page.locator(".exports a", { hasText: "CSV" }).getAttribute("href");
    const res = await fetch(`${base}${href}`);
    assert(res.status === 200, `the CSV answered ${res.status}`);
    assert(/filename="readout-kind-call\.csv"/.test(res.headers.get("content-disposition")), "no file name");
    const lines = (await res.text()).trim().split("\n").slice(1);
    const csvIds = lines.map((l) => l.split(",")[0]);
    assert(csvIds.length === ids.length, `CSV has ${csvIds.length} rows, the page ${ids.length}`);
    assert(csvIds.every((id, i) => decodeURIComponent(ids[i]) === id), "CSV rows differ from the page");
  });

  await check("4. clicking a histogram bar narrows the dates to its month or week", async () => {
    await page.goto(`${base}/`);
    const bars = page.locator(".histogram a.bar");
    assert((await bars.count()) >= 1, "no histogram bars");
    const last = bars.last();
    const href = await last.getAttribute("href");
    await page.goto(`${base}${href}`);
    assert(/from=\d{4}-\d{2}-\d{2}/.test(page.url()) && /to=\d{4}-\d{2}-\d{2}/.test(page.url()), `bar went to ${page.url()}`);
    assert((await page.locator("li.engagement").count()) >= 1, "the month has no rows");
  });

  await check("5. a name in a row narrows the current filter instead of replacing it", async () => {
    await page.goto(`${base}/?kind=call`);
    const link = page.locator("li.engagement .them a.filter-link").first();
    const href = await link.getAttribute("href");
    assert(href.includes("kind=call") && href.includes("counterpart="), `row link drops the filter: ${href}`);
    await page.goto(`${base}/?limit=20`);
    assert((await page.locator(".total").innerText()).includes("Showing 1–20"), "no 'showing' line");
    await page.locator("a[rel=next]").click();
    await page.waitForURL(/cursor=/);
    assert((await page.locator(".total").innerText()).includes("Showing 21–40"), "page 2 is not 21–40");
    assert((await page.locator("a[rel=prev]").count()) === 1, "no previous link");
  });

  await check("6. the skip link is the first tab stop and jumps to the content", async () => {
    await page.goto(`${base}/`);
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => document.activeElement?.className);
    assert(focused === "skip-link", `first tab stop is ${focused}`);
    await page.keyboard.press("Enter");
    assert(page.url().endsWith("#main"), `skip link went to ${page.url()}`);
  });

  // The rest of issue 9 as a user meets it: actor pages with their
  // exports, histogram and contacts; weekly bars; the table view; "show
  // all"; name suggestions; phone, keyboard and paper.
  let actorPath; // an actor page with several engagements
  let weekPath; // a timeline view short enough for weekly bars

  await check("3. an actor page downloads exactly its engagements as CSV, under the actor's name", async () => {
    await page.goto(`${base}/actors?side=us`);
    const first = page.locator("table.documents tbody tr td:first-child a").first();
    actorPath = new URL(await first.getAttribute("href"), base).pathname;
    await Promise.all([page.waitForURL(/\/actors\/[^?]+$/), first.click()]);
    await page.goto(`${base}${actorPath}?limit=500`);
    const ids = await page.locator("li.engagement p.more a").evaluateAll((els) =>
      els.map((el) => decodeURIComponent(el.getAttribute("href").replace("/engagements/", ""))),
    );
    assert(ids.length >= 2, `only ${ids.length} rows on ${actorPath}`);
    const total = await page.locator(".results-header .total").innerText();
    assert(total.startsWith(`${ids.length} engagement`), `the page says "${total}" but lists ${ids.length}`);
    const link = page.locator(".exports a", { hasText: "CSV" });
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    const name = download.suggestedFilename();
    const slug = actorPath.split("/").pop();
    assert(name === `readout-official-${slug}.csv`, `the download is named ${name}`);
    const saved = join(tmp, name);
    await download.saveAs(saved);
    const lines = readFileSync(saved, "utf8").trim().split("\n").slice(1);
    const csvIds = lines.map((l) => l.split(",")[0]);
    assert(
      JSON.stringify([...csvIds].sort()) === JSON.stringify([...ids].sort()),
      `the CSV's ${csvIds.length} rows are not the page's ${ids.length}`,
    );
    for (const format of ["JSON", "calendar (.ics)", "Atom feed"]) {
      const href = await page.locator(".exports a", { hasText: format }).getAttribute("href");
      const res = await fetch(`${base}${href}`);
      assert(res.status === 200, `${format} answered ${res.status}`);
    }
  });

  await check("2. actor, document and filtered pages carry absolute og:url and a description of what they show", async () => {
    assert(actorPath, "no actor page from the previous check");
    const og = async (property) =>
      page.locator(`meta[property="${property}"]`).getAttribute("content");
    await page.goto(`${base}${actorPath}`);
    assert((await og("og:url")) === `${base}${actorPath}`, `actor og:url is ${await og("og:url")}`);
    const name = (await page.locator("h1").innerText()).trim();
    const description = await og("og:description");
    assert(description.startsWith(name) && /\d+ engagements?/.test(description), `actor og:description: ${description}`);
    await page.goto(`${base}/documents`);
    const docHref = await page.locator("table.documents tbody a").first().getAttribute("href");
    await page.goto(`${base}${docHref}`);
    assert((await og("og:url")) === `${base}${docHref}`, `document og:url is ${await og("og:url")}`);
    assert(/engagements? found in it/.test(await og("og:description")), "document og:description");
    await page.goto(`${base}/?kind=call`);
    assert((await og("og:url")) === `${base}/?kind=call`, `timeline og:url is ${await og("og:url")}`);
    assert(/engagements?.*kind call$/.test(await og("og:description")), `timeline og:description: ${await og("og:description")}`);
  });

  await check("4. the actor page's histogram narrows the dates, and its counterparts show first and last contact", async () => {
    await page.goto(`${base}${actorPath}`);
    const bars = page.locator(".histogram a.bar");
    assert((await bars.count()) >= 1, "no histogram on the actor page");
    const spans = await page.locator(".contact-span").allInnerTexts();
    assert(spans.length >= 1, "no first and last contact beside the counterparts");
    assert(spans.every((t) => /\d{4}/.test(t)), `contact spans without dates: ${spans.join(" | ")}`);
    const months = await page.locator("h2.month-label .month-count").count();
    assert(months >= 1, "no counts on the actor page's month headings");
    await page.screenshot({ path: join(shots, "actor.png"), fullPage: true });
    // Pick the fullest bar: its view cannot be empty.
    const labels = await bars.evaluateAll((els) => els.map((el) => el.querySelector("title").textContent));
    const counts = labels.map((l) => Number((l.match(/: (\d+) engagements?/) || [0, 0])[1]));
    const best = counts.indexOf(Math.max(...counts));
    await Promise.all([page.waitForURL(/from=/), bars.nth(best).click()]);
    const url = new URL(page.url());
    const slug = actorPath.split("/").pop();
    assert(url.searchParams.get("official") === slug, `the bar dropped the actor: ${page.url()}`);
    const rows = await page.locator("li.engagement").count();
    assert(rows === counts[best], `the bar said ${counts[best]}, the timeline lists ${rows}`);
    // That range is short, so this page draws weeks.
    weekPath = `${url.pathname}${url.search}`;
  });

  await check("4. a short range is drawn by week, and a week's bar narrows to Monday–Sunday", async () => {
    assert(weekPath, "no short range from the previous check");
    await page.goto(`${base}${weekPath}`);
    assert((await page.locator("figure.histogram-week").count()) === 1, `no weekly bars on ${weekPath}`);
    const bars = page.locator(".histogram a.bar");
    const labels = await bars.evaluateAll((els) => els.map((el) => el.querySelector("title").textContent));
    const counts = labels.map((l) => Number((l.match(/: (\d+) engagements?/) || [0, 0])[1]));
    const best = counts.indexOf(Math.max(...counts));
    assert(/^Week of /.test(labels[best]), `the bar is labelled ${labels[best]}`);
    await bars.nth(best).click();
    await page.waitForURL(/from=\d{4}-\d{2}-\d{2}&to=/);
    const url = new URL(page.url());
    const from = new Date(`${url.searchParams.get("from")}T00:00:00Z`);
    const to = new Date(`${url.searchParams.get("to")}T00:00:00Z`);
    assert(from.getUTCDay() === 1, `the week starts on ${url.searchParams.get("from")}, not a Monday`);
    assert((to - from) / 86400000 === 6, `the week runs ${url.searchParams.get("from")} to ${url.searchParams.get("to")}`);
    const rows = await page.locator("li.engagement").count();
    assert(rows === counts[best], `the week's bar said ${counts[best]}, the timeline lists ${rows}`);
    await page.goto(`${base}${weekPath}`);
    await page.screenshot({ path: join(shots, "weekly.png") });
  });

  await check("5. the table view shows the same rows one a line, and its names narrow it", async () => {
    await page.goto(`${base}/?kind=call`);
    const listIds = await page.locator("li.engagement p.more a").evaluateAll((els) => els.map((el) => el.getAttribute("href")));
    await Promise.all([page.waitForURL(/view=table/), page.locator(".view-choice a", { hasText: "table" }).click()]);
    const tableIds = await page.locator("table.compact tr.engagement-row a.details").evaluateAll((els) => els.map((el) => el.getAttribute("href")));
    assert(JSON.stringify(tableIds) === JSON.stringify(listIds), `the table's ${tableIds.length} rows are not the list's ${listIds.length}`);
    const rowHeight = await page.locator("table.compact tr.engagement-row").first().evaluate((el) => el.getBoundingClientRect().height);
    assert(rowHeight <= 80, `a table row is ${rowHeight}px tall, no more compact than the list`);
    await page.screenshot({ path: join(shots, "table.png") });
    const name = page.locator("table.compact tr.engagement-row td:nth-child(4) a.filter-link").first();
    const full = await name.getAttribute("title");
    assert(full && full.length > 0, "a name in the table has no full name on hover");
    await Promise.all([page.waitForURL(/counterpart=/), name.click()]);
    const url = new URL(page.url());
    assert(url.searchParams.get("kind") === "call" && url.searchParams.get("view") === "table", `the name lost the view: ${page.url()}`);
    assert((await page.locator("table.compact tr.engagement-row").count()) >= 1, "the narrowed table is empty");
  });

  await check("5. show all lists every value of a facet, with full names, and each narrows the timeline", async () => {
    await page.goto(`${base}/`);
    const showAll = page.locator(".facets .show-all a").first();
    let path;
    if ((await showAll.count()) === 1) {
      await Promise.all([page.waitForURL(/\/facets\//), showAll.click()]);
      path = new URL(page.url()).pathname;
    } else {
      // The samples may have ten or fewer of each: the page still lists them.
      path = "/facets/country";
      await page.goto(`${base}${path}`);
    }
    const items = page.locator(".facet-page li > a:first-child");
    const n = await items.count();
    assert(n >= 1, `nothing on ${path}`);
    const untitled = await items.evaluateAll((els) => els.filter((el) => el.getAttribute("title") !== el.textContent).length);
    assert(untitled === 0, `${untitled} names on ${path} have no full name on hover`);
    const label = (await items.first().innerText()).trim();
    await Promise.all([page.waitForURL((u) => u.pathname === "/"), items.first().click()]);
    assert((await page.locator(".active-filters").innerText()).includes(label), `the facet page's ${label} did not filter`);
  });

  await check("6. the name fields suggest the database's names from a <datalist>", async () => {
    await page.goto(`${base}/`);
    for (const field of ["country", "counterpart", "official"]) {
      const list = await page.locator(`form.filter-form input[name=${field}]`).getAttribute("list");
      const options = await page.locator(`datalist[id="${list}"] option`).count();
      assert(options >= 1, `no suggestions for ${field}`);
    }
    const official = await page.locator("datalist#names-official option").first().getAttribute("value");
    await page.locator("details.filters > summary").click();
    await page.locator("form.filter-form input[name=official]").fill(official);
    await Promise.all([page.waitForURL(/official=/), page.locator("form.filter-form button[type=submit]").click()]);
    assert((await page.locator("li.engagement").count()) >= 1, `the suggested ${official} finds nothing`);
  });

  await check("6. on a phone the first row is on the first screen; keyboard reaches rows and bars; paper drops the controls", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/`);
    const top = await page.locator("li.engagement").first().evaluate((el) => el.getBoundingClientRect().top);
    assert(top < 844, `the first row starts at ${top}px, below the first phone screen`);
    assert(!(await page.locator("details.filters").evaluate((el) => el.open)), "the filters are open with no filter set");
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.goto(`${base}/`);
    // Skip link, then Tab: the first timeline link comes within a few stops.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    let reached = -1;
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press("Tab");
      const inRow = await page.evaluate(() => Boolean(document.activeElement?.closest("li.engagement")));
      if (inRow) {
        reached = i + 1;
        break;
      }
    }
    assert(reached > 0 && reached <= 40, `no timeline row within 40 tab stops after the skip link`);
    // A histogram bar is a link the keyboard can follow.
    await page.locator(".histogram a.bar").last().focus();
    await Promise.all([page.waitForURL(/from=/), page.keyboard.press("Enter")]);
    await page.goto(`${base}/`);
    await page.emulateMedia({ media: "print" });
    const hidden = await page.evaluate(() =>
      [".sidebar", ".histogram", ".exports", ".site-header"].map((s) => getComputedStyle(document.querySelector(s)).display),
    );
    await page.pdf({ path: join(shots, "timeline-print.pdf") }).catch(() => {});
    await page.emulateMedia({ media: "screen" });
    assert(hidden.every((d) => d === "none"), `on paper these still show: ${hidden.join(", ")}`);
  });

  await check("axe finds no WCAG 2.2 AA violation on any page type, desktop and phone", async () => {
    const detail = await page.locator("li.engagement p.more a").first().getAttribute("href");
    const doc = await page.locator("li.engagement p.more a").first().getAttribute("href");
    await page.goto(`${base}${doc}`);
    const documentHref = await page.locator(".source h3 a").first().getAttribute("href");
    const actorHref = await page.locator("a.profile-link").first().getAttribute("href");
    const paths = [
      "/", "/?country=UK&kind=call", "/?counterpart=zzzz", detail, documentHref, actorHref,
      actorPath, weekPath, "/?view=table", "/?view=table&kind=call&order=oldest", "/facets/country",
      "/facets/counterpart?kind=call", "/actors", "/actors?kind=country", "/documents", "/?from=yesterday",
    ].filter(Boolean);
    const problems = [];
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width > 500 ? 1000 : 844 });
      for (const path of paths) {
        await page.goto(`${base}${path}`);
        // Evaluated through DevTools, which the page's CSP (rightly) allows.
        await page.evaluate(axeSource);
        const violations = await page.evaluate(async () => {
          const result = await window.axe.run(document, {
            runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
          });
          return result.violations.map((v) => `${v.id} (${v.nodes.length}: ${v.nodes[0]?.target})`);
        });
        for (const v of violations) problems.push(`${width}px ${path}: ${v}`);
      }
    }
    await page.setViewportSize({ width: 1280, height: 1000 });
    assert(problems.length === 0, problems.join("\n"));
  });

  await check("no console error and no failed request on any page", async () => {
    assert(consoleErrors.length === 0, consoleErrors.join("\n"));
    assert(badResponses.length === 0, badResponses.join("\n"));
  });

  await check("a phone-width page (390 px) has no horizontal scroll", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const overflows = [];
    for (const path of ["/", `/?counterpart=${encodeURIComponent(counterpart?.slug ?? "")}`, "/documents"]) {
      await page.goto(`${base}${path}`);
      const over = await horizontalOverflow(page);
      if (over > 0) overflows.push(`${path} overflows by ${over}px`);
    }
    // And one permalink, whose excerpts and URLs are the longest text.
    await page.goto(`${base}/`);
    const first = await page.locator("li.engagement p.more a").first().getAttribute("href");
    await page.goto(`${base}${first}`);
    const over = await horizontalOverflow(page);
    if (over > 0) overflows.push(`${first} overflows by ${over}px`);
    await page.goto(`${base}/`);
    await page.screenshot({ path: join(shots, "timeline-phone.png") });
    assert(overflows.length === 0, overflows.join("; "));
  });
}

const deadline = setTimeout(async () => {
  console.log(`FAIL  the run took longer than ${DEADLINE_MS / 1000} s`);
  await cleanUp();
  console.log(`${results.filter((r) => r.ok).length} passed, ${results.filter((r) => !r.ok).length + 1} failed`);
  process.exit(1);
}, DEADLINE_MS);

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, async () => {
    await cleanUp();
    process.exit(1);
  });
}

let setupError;
try {
  await main();
} catch (err) {
  setupError = err;
  console.log(`FAIL  setup: ${err?.stack ?? err}`);
} finally {
  await cleanUp();
  clearTimeout(deadline);
}

const passed = results.filter((r) => r.ok).length;
const failed = results.filter((r) => !r.ok).length + (setupError ? 1 : 0);
console.log(`screenshots: ${shots}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
