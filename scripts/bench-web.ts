/**
 * npm run bench:web [-- --api http://127.0.0.1:8787 --runs 5]
 *
 * The trader page's weight and first load. Weight: the JavaScript the trader page loads (the entry script and
 * what it preloads, not the lazily loaded operator, LP and report pages), raw and gzipped, from web/dist.
 * First load: Debian's Chromium opens `<api>/#/trade` in a fresh context (cold cache) `--runs` times, on
 * loopback; `loadMs` is the navigation's load event, `chainMs` the moment the option chain's table is on the
 * screen (the API's series answered and rendered). Without --api it starts its own devnet stack first.
 * Last line: {traderJs: {files, bytes, gzipBytes}, loadMs: {median, max}, chainMs: {median, max}, runs}.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { z } from "zod";
import { launch } from "../test/browser/browser.js";
import { percentile, round2 } from "./lib/load.js";
import { type Stack, startStack } from "./lib/stack.js";

const { values } = parseArgs({ options: { api: { type: "string" }, runs: { type: "string" } } });
const args = z
  .object({ api: z.url().optional(), runs: z.coerce.number().int().min(1).max(50).default(5) })
  .parse(values);

/** The scripts index.html loads at once: its entry module and the chunks it preloads. */
function traderJs(dist = join("web", "dist")) {
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  let bytes = 0;
  let gzipBytes = 0;
  for (const f of new Set(files)) {
    const body = readFileSync(join(dist, f));
    bytes += body.length;
    gzipBytes += gzipSync(body).length;
  }
  return { files: files.length, bytes, gzipBytes };
}

async function firstLoads(api: string, runs: number) {
  const browser = await launch();
  const load: number[] = [];
  const chain: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${api}/#/trade`, { waitUntil: "load" });
      await page.getByTestId("option-chain").waitFor({ timeout: 30_000 });
      const t = (await page.evaluate(`(() => {
        const nav = performance.getEntriesByType("navigation")[0];
        return { load: nav.loadEventEnd - nav.startTime, chain: performance.now() };
      })()`)) as { load: number; chain: number };
      load.push(t.load);
      chain.push(t.chain);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const stats = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return { median: round2(percentile(sorted, 50)), max: round2(sorted.at(-1)!) };
  };
  return { loadMs: stats(load), chainMs: stats(chain) };
}

let stack: Stack | null = null;
try {
  let api = args.api;
  if (!api) {
    console.error("starting a devnet stack (node, deployment, solver)…");
    stack = await startStack({ dir: mkdtempSync(join(tmpdir(), "bench-web-")) });
    api = stack.api;
  }
  const weight = traderJs();
  const loads = await firstLoads(api, args.runs);
  console.log(`trader page JS: ${weight.files} files, ${weight.bytes} bytes, ${weight.gzipBytes} gzipped`);
  console.log(
    `first load (${args.runs} cold runs): load event median ${loads.loadMs.median} ms, max ${loads.loadMs.max} ms`,
  );
  console.log(`option chain on screen: median ${loads.chainMs.median} ms, max ${loads.chainMs.max} ms`);
  console.log(JSON.stringify({ traderJs: weight, ...loads, runs: args.runs }));
} finally {
  await stack?.stop();
}
