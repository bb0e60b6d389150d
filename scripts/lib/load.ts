import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";

export interface OpenLoopOptions {
  /** Base URL, e.g. http://127.0.0.1:8787. */
  url: string;
  path: string;
  /** Requests per second, evenly spaced. */
  rate: number;
  durationS: number;
  /** Keep-alive sockets; requests beyond them queue (and that queueing counts as latency). */
  connections: number;
  timeoutMs: number;
  body: () => string;
  /** Classifies a 2xx answer; false counts it as an error (e.g. a declined quote). */
  accept: (body: string) => boolean;
  /** Called with each non-2xx answer. */
  refused?: (status: number, body: string) => void;
}

export interface OpenLoopResult {
  sent: number;
  /** Latency of every 2xx answer, ms, from its scheduled send time to the last byte. */
  latencies: number[];
  rejected: number;
  non2xx: number;
  transportErrors: number;
  timeouts: number;
  elapsedS: number;
  /** How late the generator itself sent its latest request, ms: large values mean the client was the limit. */
  maxSendLagMs: number;
}

/**
 * An open-loop load generator: request i is due at start + i/rate whether or not earlier ones have been
 * answered, and latency is measured from that due time (as wrk2 does), so a slow server cannot hide its
 * queueing by slowing the client down (coordinated omission). autocannon's `overallRate` sends each
 * second's quota in a burst at the top of the second, which measures burst queueing instead.
 */
export function openLoop(o: OpenLoopOptions): Promise<OpenLoopResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: o.connections, maxFreeSockets: o.connections });
  const target = new URL(o.path, o.url);
  const total = Math.round(o.rate * o.durationS);
  const interval = 1000 / o.rate;
  const result: OpenLoopResult = {
    sent: 0,
    latencies: [],
    rejected: 0,
    non2xx: 0,
    transportErrors: 0,
    timeouts: 0,
    elapsedS: 0,
    maxSendLagMs: 0,
  };
  return new Promise((resolve) => {
    let finished = 0;
    const start = performance.now();
    const done = () => {
      if (++finished < total) return;
      result.elapsedS = (performance.now() - start) / 1000;
      agent.destroy();
      resolve(result);
    };
    const fire = (due: number) => {
      const body = o.body();
      result.sent++;
      result.maxSendLagMs = Math.max(result.maxSendLagMs, performance.now() - due);
      const req = request(
        target,
        {
          method: "POST",
          agent,
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
          timeout: o.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              result.latencies.push(performance.now() - due);
              if (!o.accept(Buffer.concat(chunks).toString("utf8"))) result.rejected++;
            } else {
              result.non2xx++;
              o.refused?.(status, Buffer.concat(chunks).toString("utf8"));
            }
            done();
          });
          res.on("error", () => {
            result.transportErrors++;
            done();
          });
        },
      );
      req.on("timeout", () => {
        result.timeouts++;
        req.destroy(new Error("timeout"));
      });
      req.on("error", (e) => {
        if (e.message !== "timeout") result.transportErrors++;
        done();
      });
      req.end(body);
    };
    let next = 0;
    const tick = () => {
      const now = performance.now();
      while (next < total && start + next * interval <= now) fire(start + next++ * interval);
      if (next < total) setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
    };
    tick();
  });
}

/** The p-th percentile (nearest rank) of ascending `sorted` latencies; 0 when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/** Rounds to 2 decimals, as the benchmarks report. */
export const round2 = (x: number): number => Math.round(x * 100) / 100;
