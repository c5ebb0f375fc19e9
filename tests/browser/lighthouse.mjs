// Runs Lighthouse (mobile) on each page given, RUNS times with one Chromium, and prints one
// JSON line per page: the median score of each category and the audits that fell short.
// Usage: node lighthouse.mjs TOOLS_DIR RUNS '[{"url": ..., "headers": {...}}, ...]'
import { pathToFileURL } from "node:url";
import path from "node:path";

const [toolsDir, runsArg, pagesArg] = process.argv.slice(2);
const modules = path.join(toolsDir, "node_modules");
const load = (name, file) => import(pathToFileURL(path.join(modules, name, file)).href);
const lighthouse = (await load("lighthouse", "core/index.js")).default;
const chromeLauncher = await load("chrome-launcher", "dist/index.js");

const runs = Number(runsArg);
const pages = JSON.parse(pagesArg);
const categories = ["performance", "accessibility", "best-practices", "seo"];
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH,
  chromeFlags: ["--no-sandbox", "--disable-gpu", "--headless=new"],
});
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
// A run whose trace Lighthouse itself failed to record (NO_NAVSTART, NO_FCP and the like) gives
// no scores at all; Lighthouse's own message asks to run it again, so such a run is repeated, at
// most ATTEMPTS times, and any other outcome counts.
const ATTEMPTS = 3;
const measure = async (page) => {
  let lhr;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const result = await lighthouse(
      page.url,
      { port: chrome.port, output: "json", logLevel: "error", extraHeaders: page.headers || {} },
      { extends: "lighthouse:default", settings: { onlyCategories: categories, formFactor: "mobile" } },
    );
    lhr = result.lhr;
    if (!lhr.runtimeError) return lhr;
    console.error(`${page.url}: attempt ${attempt}: ${lhr.runtimeError.code}`);
  }
  throw new Error(`${page.url}: ${lhr.runtimeError.message}`);
};
try {
  for (const page of pages) {
    const scores = Object.fromEntries(categories.map((c) => [c, []]));
    const failing = {};
    for (let run = 0; run < runs; run++) {
      const lhr = await measure(page);
      for (const category of categories) {
        const found = lhr.categories[category];
        scores[category].push(Math.round(found.score * 100));
        for (const ref of found.auditRefs) {
          const audit = lhr.audits[ref.id];
          if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
            failing[`${category}:${ref.id}`] = audit.title;
          }
        }
      }
    }
    const medians = Object.fromEntries(categories.map((c) => [c, median(scores[c])]));
    console.log(JSON.stringify({ url: page.url, scores: medians, runs: scores, failing }));
  }
} finally {
  await chrome.kill();
}
