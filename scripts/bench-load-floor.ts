/**
 * npm run bench:rfq:floor [-- --rate 500 --duration 10]
 *
 * The load generator of bench:rfq against a server that does nothing (a fixed JSON answer from node:http in
 * the same process): the latency this machine adds with no solver at all. Last line: {rps, p50Ms, p99Ms, errors}.
 */
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { z } from "zod";
import { openLoop, percentile, round2 } from "./lib/load.js";

const { values } = parseArgs({ options: { rate: { type: "string" }, duration: { type: "string" } } });
const args = z
  .object({
    rate: z.coerce.number().int().min(1).max(20_000).default(500),
    duration: z.coerce.number().min(1).max(240).default(10),
  })
  .parse(values);
const answer = JSON.stringify({ status: "quoted", quote: { padding: "x".repeat(600) } });
const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end(answer));
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address() as { port: number };
const r = await openLoop({
  url: `http://127.0.0.1:${port}`,
  path: "/v1/rfq",
  rate: args.rate,
  durationS: args.duration,
  connections: 32,
  timeoutMs: 10_000,
  body: () => '{"request":{}}',
  accept: () => true,
});
server.close();
const l = r.latencies.sort((a, b) => a - b);
process.stderr.write(`max ${round2(l.at(-1) ?? 0)} ms; generator's worst send lag ${round2(r.maxSendLagMs)} ms\n`);
console.log(
  JSON.stringify({
    rps: round2(l.length / r.elapsedS),
    p50Ms: round2(percentile(l, 50)),
    p99Ms: round2(percentile(l, 99)),
    errors: r.non2xx + r.transportErrors + r.timeouts,
  }),
);
