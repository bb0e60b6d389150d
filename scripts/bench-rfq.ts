/**
 * npm run bench:rfq [-- --rate 500 --duration 10 --connections 32 --requesters 32 --amount 0.1]
 *
 * Load test of firm, signed quotes over HTTP on loopback. Starts the devnet as processes (a Hardhat node,
 * the Ignition deployment, the solver with its API), pre-signs one EIP-712 QuoteRequest per request (each
 * with its own nonce, so no request is a replay), warms up, then drives POST /v1/rfq open-loop at a fixed,
 * evenly spaced rate (scripts/lib/load.ts). Latency runs from each request's scheduled send time to the
 * last byte of its answer. An error is anything but a 200 with a firm, signed quote: transport errors,
 * timeouts, non-2xx and declines. `rps` is firm quotes per second of wall time. Prints one JSON object on
 * its last line: {rps, p50Ms, p99Ms, errors}.
 *
 * `--url` benches a solver that is already running (e.g. `npm run demo -- --keep`) instead; its wallets are
 * funded on `--rpc` from `--deployment` (the devnet's by default). The bench's wallets are funded and given
 * every approval first: the solver declines firm quotes that could not settle.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Address, Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { z } from "zod";
import { signDigest } from "../solver/chain/ecdsa.js";
import { typedDigester } from "../solver/chain/eip712.js";
import { type QuoteRequestMessage, quoteRequestTypes, rfqBody, rfqDomain } from "../solver/chain/rfq.js";
import { loadDeployment } from "../solver/config/load.js";
import { DeploymentSchema } from "../solver/config/schema.js";
import { QUOTE_STEPS } from "../solver/engine/stepClock.js";
import { fundTraders } from "./lib/fundWallets.js";
import { openLoop, percentile, round2 } from "./lib/load.js";
import { rpc } from "./lib/processes.js";
import { type Stack, startStack } from "./lib/stack.js";
import { diffSteps, parseSteps, stepTable } from "./lib/stepReport.js";

const Args = z.object({
  rate: z.coerce.number().int().min(1).max(20_000).default(500),
  duration: z.coerce.number().min(1).max(240).default(10),
  connections: z.coerce.number().int().min(1).max(1024).default(32),
  requesters: z.coerce.number().int().min(1).max(10_000).default(32),
  amount: z.coerce.number().positive().max(50).default(0.1),
  warmup: z.coerce.number().int().min(0).max(100_000).default(1000),
  url: z.url().optional(),
  /** With --url: the chain and deployment the running solver serves, to fund the bench's wallets on. */
  rpc: z.url().default("http://127.0.0.1:8545"),
  deployment: z.string().default("deployments/localhost.json"),
});
const { values } = parseArgs({
  options: Object.fromEntries(Object.keys(Args.shape).map((k) => [k, { type: "string" as const }])),
});
const parsed = Args.safeParse(values);
if (!parsed.success) {
  console.error(`invalid arguments:\n${z.prettifyError(parsed.error)}`);
  process.exit(2);
}
const args = parsed.data;
const log = (msg: string) => process.stderr.write(`${msg}\n`);

let stack: Stack | null = null;
try {
  let api = args.url;
  if (!api) {
    stack = await startStack({ dir: mkdtempSync(join(tmpdir(), "internalizer-bench-")), onStep: log });
    api = stack.api;
  }
  const health = (await (await fetch(`${api}/v1/health`)).json()) as {
    chainId: number;
    settlement: Address;
    chainTime: number;
  };
  // The liquid strip: far wings (|delta| < 0.15) are declined on one side by design, which would count as
  // errors here without saying anything about the quote path's speed.
  const listed = (await (await fetch(`${api}/v1/series`)).json()) as {
    series: Array<{ seriesId: string; delta: number }>;
  };
  const series = listed.series
    .filter((s) => Math.abs(s.delta) >= 0.15 && Math.abs(s.delta) <= 0.85)
    .map((s) => BigInt(s.seriesId))
    .slice(0, 30);
  if (series.length === 0) throw new Error("the solver lists no live series");

  const total = args.warmup + Math.ceil(args.rate * args.duration * 1.25) + args.connections * 2;
  const wallets = Array.from({ length: args.requesters }, () => generatePrivateKey());
  // Firm quotes need wallets that could settle them: fund and approve the fresh ones.
  log(`funding and approving ${wallets.length} wallets`);
  await fundTraders(
    stack ? DeploymentSchema.parse(stack.deployment) : loadDeployment(args.deployment),
    stack ? stack.node.url : args.rpc,
    wallets,
  );
  // Funding mined a block per transaction, each at least a second after the last, faster than the solver
  // polls (it may answer from a block up to a second old): read chain time from the node itself.
  const chainTime = await nodeTime(stack ? stack.node.url : args.rpc);
  log(`signing ${total} quote requests from ${args.requesters} wallets`);
  const bodies = await signRequests(total, series, { ...health, chainTime }, wallets);
  const bodiesExpiry = requestExpiry(chainTime);

  let next = 0;
  const take = () => bodies[next++ % bodies.length]!;
  log(`warming up with ${args.warmup} requests`);
  for (let i = 0; i < args.warmup; i++) {
    const res = await fetch(`${api}/v1/rfq`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: take(),
    });
    await res.arrayBuffer();
  }

  const page = async () => (await fetch(`${api}/metrics`)).text();
  const clock = async () => ({
    chain: ((await (await fetch(`${api}/v1/health`)).json()) as { chainTime: number }).chainTime,
    wall: Date.now() / 1000,
  });
  const startClock = await clock();
  const stepsBefore = parseSteps(await page());
  log(`driving ${args.rate} requests/s for ${args.duration} s over ${args.connections} connections`);
  const declines = new Map<string, number>();
  const r = await openLoop({
    url: api,
    path: "/v1/rfq",
    rate: args.rate,
    durationS: args.duration,
    connections: args.connections,
    timeoutMs: 10_000,
    body: take,
    refused: (status, text) => {
      const code = `${status} ${/"code":"([A-Z_]+)"/.exec(text)?.[1] ?? "UNKNOWN"}`;
      declines.set(code, (declines.get(code) ?? 0) + 1);
    },
    accept: (text) => {
      if (text.startsWith('{"status":"quoted"')) return true;
      const code = /"code":"([A-Z_]+)"/.exec(text)?.[1] ?? "UNKNOWN";
      declines.set(code, (declines.get(code) ?? 0) + 1);
      return false;
    },
  });
  const endClock = await clock();
  log(
    `chain time moved ${endClock.chain - startClock.chain} s in ${(endClock.wall - startClock.wall).toFixed(1)} s of ` +
      `wall time; requests expire ${Number(bodiesExpiry) - endClock.chain} s after the chain's time at the end`,
  );
  const latencies = r.latencies.sort((a, b) => a - b);
  const pct = (p: number) => percentile(latencies, p);
  const ok = latencies.length - r.rejected;
  const errors = r.transportErrors + r.non2xx + r.rejected + r.timeouts;
  log(
    `${r.sent} sent, ${latencies.length} 2xx (${r.rejected} declined), ${r.non2xx} non-2xx, ` +
      `${r.transportErrors} transport errors, ${r.timeouts} timeouts in ${r.elapsedS.toFixed(1)} s; ` +
      `p90 ${pct(90).toFixed(2)} ms, p99.9 ${pct(99.9).toFixed(2)} ms, max ${(latencies.at(-1) ?? 0).toFixed(2)} ms; ` +
      `generator's worst send lag ${r.maxSendLagMs.toFixed(2)} ms` +
      (declines.size ? `; declines ${JSON.stringify(Object.fromEntries(declines))}` : ""),
  );
  // Where the firm quotes' time went inside the solver, step by step (its own histogram, this run only).
  const after = await page();
  const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(after)?.[1] ?? Number.NaN);
  log(
    `inside the solver, per step (firm quotes of this run):\n${stepTable(diffSteps(parseSteps(after), stepsBefore), QUOTE_STEPS)}\n` +
      `the solver's event loop: delay p99 ${(gauge("nodejs_eventloop_lag_p99_seconds") * 1000).toFixed(2)} ms, ` +
      `max ${(gauge("nodejs_eventloop_lag_max_seconds") * 1000).toFixed(2)} ms`,
  );
  console.log(JSON.stringify({ rps: round2(ok / r.elapsedS), p50Ms: round2(pct(50)), p99Ms: round2(pct(99)), errors }));
} finally {
  await stack?.stop();
}

/** The latest block's timestamp, from the node. */
async function nodeTime(rpcUrl: string): Promise<number> {
  const block = (await rpc(rpcUrl, "eth_getBlockByNumber", ["latest", false])) as { timestamp: string };
  return Number(block.timestamp);
}

/** When the bench's requests expire, chain time: the run must fit. */
function requestExpiry(chainTime: number): bigint {
  return BigInt(chainTime + 120 + Math.ceil(args.duration * 1.5));
}

/** JSON bodies of signed quote requests: round-robin over series and wallets, buys and sells alternating. */
async function signRequests(
  count: number,
  series: bigint[],
  { chainId, settlement, chainTime }: { chainId: number; settlement: Address; chainTime: number },
  keys: readonly Hex[],
): Promise<string[]> {
  const digest = typedDigester<QuoteRequestMessage>(
    rfqDomain(chainId, settlement),
    "QuoteRequest",
    quoteRequestTypes.QuoteRequest,
  );
  const wallets = keys.map((key) => ({ key, address: privateKeyToAccount(key).address }));
  const amount = BigInt(Math.round(args.amount * 1e6)) * 10n ** 12n;
  const expiry = requestExpiry(chainTime);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const { key, address: requester } = wallets[i % wallets.length]!;
    const seriesId = series[i % series.length]!;
    // Buys and sells alternate per series, as two-sided flow does, so reservations do not pile up on one
    // side until a risk limit declines them.
    const sell = Math.floor(i / series.length) % 2 === 1;
    const message: QuoteRequestMessage = { requester, seriesId, side: sell ? 2 : 0, amount, nonce: BigInt(i), expiry };
    out.push(JSON.stringify(rfqBody(chainId, message, await signDigest(digest(message), key))));
  }
  return out;
}
