// e2e.mjs: the web page of `tidings serve` in a real browser. Starts the
// server on a temporary store and a port the kernel picks, posts the sample
// corpus (and the copied quake text), then drives Debian's headless Chromium
// with playwright-core: the list, the search box (full-text: a word of an
// article text, Cyrillic in capitals), a story with its summary,
// timeline and copies, at laptop and phone widths. Screenshots go to
// $BUILD/screenshots/. Prints "N passed, N failed"; the server is always
// killed, and the whole run is bounded (RUN_LIMIT_MS).
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const BUILD = resolve(ROOT, process.env.BUILD || "build");
const TIDINGS = join(BUILD, "tidings");
const SHOTS = join(BUILD, "screenshots");
const CHROMIUM = "/usr/bin/chromium";
const RUN_LIMIT_MS = 55000;
const STEP_MS = 8000;

let serverChild = null;   /* killed on every way out */
let passed = 0;
let failed = 0;
function check(what, ok, detail) {
  if (ok) passed++;
  else {
    failed++;
    console.error("FAIL: " + what + (detail ? " (" + detail + ")" : ""));
  }
}
// Runs one step; an exception fails it and the run goes on.
async function step(what, fn) {
  try {
    check(what, (await fn()) !== false);
  } catch (err) {
    check(what, false, String(err.message || err).split("\n")[0]);
  }
}

// Starts the server and resolves with its base URL once it prints its port.
function startServer(db) {
  const child = spawn(TIDINGS, ["serve", "--db", db, "--port", "0"],
                      { stdio: ["ignore", "ignore", "pipe"] });
  const url = new Promise((resolveUrl, reject) => {
    let log = "";
    const timer = setTimeout(() => reject(new Error("no port after 10 s: " + log)), 10000);
    child.stderr.on("data", (chunk) => {
      log += chunk;
      const m = log.match(/listening on (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error("server exited with " + code + ": " + log));
    });
    child.on("error", reject);
  });
  serverChild = child;
  return { child, url };
}

async function post(base, type, body) {
  const resp = await fetch(base + "/v1/articles", {
    method: "POST", headers: { "Content-Type": type }, body,
    signal: AbortSignal.timeout(STEP_MS),
  });
  return { status: resp.status, body: await resp.json() };
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), "tidings-browser-"));
  const profile = join(work, "profile");
  mkdirSync(profile);
  mkdirSync(SHOTS, { recursive: true });
  let server = null;
  let context = null;
  try {
    server = startServer(join(work, "t.db"));
    const base = await server.url;
    check("the server starts", true);

    const corpus = readFileSync(join(ROOT, "samples/corpus/news.jsonl"));
    const n = corpus.toString().split("\n").filter((l) => l.trim()).length;
    let r = await post(base, "application/x-ndjson", corpus);
    check("POST the corpus: 202, all stored", r.status === 202 && r.body.stored === n,
          r.status + ", " + r.body.stored + " of " + n);
    const farm = readFileSync(join(ROOT, "samples/corpus/txt/quake-farm-copy.txt"), "utf8");
    r = await post(base, "application/json",
                   JSON.stringify({ id: "quake-farm-copy.txt", text: farm }));
    check("POST the copied quake text", r.status === 202 && r.body.stored === 1);

    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      timeout: 15000,
      viewport: { width: 1280, height: 800 },
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync"],
    });
    context.setDefaultTimeout(STEP_MS);
    const page = context.pages()[0] || await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error" && !/^Failed to load resource/.test(m.text()))
        errors.push(m.text());
    });
    /* Only the unknown story is expected to fail (and a favicon, which the
       page does not have). */
    page.on("response", (resp) => {
      const u = resp.url();
      if (resp.status() >= 400 && !/\/favicon\.ico$|\/v1\/stories\/99999$/.test(u))
        errors.push(resp.status() + " " + u);
    });
    const stories = page.locator("#stories > li");

    let all = 0;
    await step("the list loads with the stories, newest first", async () => {
      await page.goto(base + "/");
      await stories.first().waitFor();
      all = await stories.count();
      const api = await (await fetch(base + "/v1/stories?limit=20")).json();
      const ids = await stories.evaluateAll((li) => li.map((x) => Number(x.dataset.id)));
      return all >= 5 && JSON.stringify(ids) === JSON.stringify(api.stories.map((s) => s.id));
    });
    await page.screenshot({ path: join(SHOTS, "list.png"), fullPage: true });

    await step("typing in the search box filters the list", async () => {
      await page.locator("#q").pressSequentially("Lyon", { delay: 30 });
      await page.waitForFunction((before) => {
        const li = document.querySelectorAll("#stories > li");
        return li.length > 0 && li.length < before;
      }, all);
      const titles = await stories.locator("a.title").allTextContents();
      return titles.length >= 1 && titles.some((t) => /Lyon/.test(t)) &&
             /q=Lyon/.test(page.url());
    });

    await step("clearing the search shows every story again", async () => {
      await page.locator("#q").fill("");
      await page.locator("#q").press("Enter");
      await page.waitForFunction((n) =>
        document.querySelectorAll("#stories > li").length === n, all);
    });

    await step("the search finds a story by a word of an article's text", async () => {
      /* "rubble" is in one article's text only, in no title: full-text
         search (FTS5), not a filter over the shown titles. */
      await page.locator("#q").fill("");
      await page.locator("#q").pressSequentially("rubble", { delay: 30 });
      await page.waitForFunction(() => /q=rubble/.test(location.hash) &&
        document.querySelectorAll("#stories > li").length === 1);
      const titles = await stories.locator("a.title").allTextContents();
      const api = await (await fetch(base + "/v1/stories?q=rubble")).json();
      return titles.length === 1 && /Adıyaman/.test(titles[0]) &&
             !/rubble/i.test(titles[0]) && api.total === 1 &&
             Number(await stories.first().getAttribute("data-id")) === api.stories[0].id;
    });

    await step("the search works in Cyrillic, case and prefix ignored", async () => {
      await page.locator("#q").fill("ЗЕМЛЕТРЯС");
      await page.locator("#q").press("Enter");
      await page.waitForFunction(() =>
        /q=%D0%97|q=ЗЕМЛЕТРЯС/.test(location.hash) &&
        document.querySelectorAll("#stories > li").length === 1);
      const titles = await stories.locator("a.title").allTextContents();
      return titles.length === 1 && /Adıyaman/.test(titles[0]);
    });
    await page.screenshot({ path: join(SHOTS, "search.png"), fullPage: true });

    await step("clearing it again lists every story", async () => {
      await page.locator("#q").fill("");
      await page.locator("#q").press("Enter");
      await page.waitForFunction((n) =>
        document.querySelectorAll("#stories > li").length === n, all);
    });

    await step("a story opens from the list", async () => {
      await stories.locator("a.title", { hasText: "Adıyaman" }).first().click();
      await page.locator("#story-title").waitFor();
      return /#\/story\/\d+$/.test(page.url()) &&
             /Adıyaman/.test(await page.locator("#story-title").textContent());
    });
    const storyUrl = page.url();

    await step("the story shows its timeline as SVG bars", async () => {
      const bars = page.locator("#timeline svg rect.bar");
      await bars.first().waitFor();
      return (await bars.count()) >= 2;
    });
    await step("the story shows its summary", async () =>
      (await page.locator("#summary p").count()) >= 2);
    await step("the story shows its copy group and origin", async () => {
      const text = await page.locator("#copies").textContent();
      return /quake-farm-copy\.txt/.test(text) && /Origin/.test(text) &&
             /independent source/.test(text);
    });
    await step("the story shows quotes and entities", async () =>
      (await page.locator("#quotes blockquote").count()) >= 1 &&
      (await page.locator("#entities .chip").count()) >= 3);
    await page.screenshot({ path: join(SHOTS, "story.png"), fullPage: true });

    await step("an entity chip opens the stories naming it", async () => {
      const link = page.locator("#entities .chip a").first();
      await link.click();
      await page.locator("#entity-stories li.story a.title").first().waitFor();
      const ok = (await page.locator("#entity-stories li.story").count()) >= 1;
      await page.goBack();
      await page.locator("#entities .chip").first().waitFor();
      return ok;
    });

    await step("a related story link opens that story", async () => {
      const link = page.locator("#related a.title").first();
      if (!(await link.count())) return true;   /* none for this story */
      const title = await link.textContent();
      await link.click();
      await page.waitForFunction((t) =>
        document.getElementById("story-title")?.textContent === t, title);
    });

    await step("at phone width the story fits without sideways scrolling", async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(storyUrl);
      await page.locator("#timeline svg rect.bar").first().waitFor();
      await page.screenshot({ path: join(SHOTS, "story-phone.png"), fullPage: true });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      return width <= 390 || Promise.reject(new Error("scrollWidth " + width));
    });

    await step("a related story shows its back-reference", async () => {
      const two = readFileSync(join(ROOT, "tests/e2e/backref.jsonl"));
      const p = await post(base, "application/x-ndjson", two);
      if (p.status !== 202) throw new Error("POST " + p.status);
      const art = await (await fetch(base + "/v1/articles/bridge-en-1")).json();
      await page.goto(base + "/#/story/" + art.article.story);
      const br = page.locator("#related .backref").first();
      await br.waitFor();
      return /refers back to this story: “July”/.test(await br.textContent());
    });

    await step("an unknown story shows an error, not a blank page", async () => {
      await page.goto(base + "/#/story/99999");
      await page.locator(".error").waitFor();
    });
    check("no script errors in the page", errors.length === 0, errors.join("; "));
  } catch (err) {
    check("the run completes", false, String(err.message || err).split("\n")[0]);
  } finally {
    if (context) await context.close().catch(() => {});
    if (server) server.child.kill("SIGKILL");
    rmSync(work, { recursive: true, force: true });
  }
}

const limit = setTimeout(() => {
  console.error("FAIL: the run took over " + RUN_LIMIT_MS / 1000 + " s");
  if (serverChild) serverChild.kill("SIGKILL");
  console.log(passed + " passed, " + (failed + 1) + " failed");
  process.exit(1);
}, RUN_LIMIT_MS);
await main();
clearTimeout(limit);
console.log(passed + " passed, " + failed + " failed");
process.exit(failed ? 1 : 0);
