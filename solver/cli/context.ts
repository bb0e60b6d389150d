import { existsSync, readFileSync } from "node:fs";
import type { Command } from "@commander-js/extra-typings";
import Table from "cli-table3";
import { createPublicClient, type Hex, http } from "viem";
import { z } from "zod";
import { chainFor, createClients } from "../chain/clients.js";
import { chainTimeText } from "../chain/revertText.js";
import { loadDeployment } from "../config/load.js";
import { roundDecimal } from "../domain/amount.js";
import { ErrorCode, InternalizerError } from "../errors.js";

/** Options every command shares; each falls back to an environment variable, then to the devnet's value. */
export interface GlobalOptions {
  api: string;
  token?: string;
  rpc: string;
  deployment: string;
  key?: string;
  json?: boolean;
}

/** A refusal of the CLI itself (bad argument, missing key, API error), with the API's code when it had one. */
export class CliError extends InternalizerError {}

export const DEFAULTS = {
  api: "http://127.0.0.1:8787",
  rpc: "http://127.0.0.1:8545",
  deployment: "deployments/localhost.json",
};

/** Where the admin token is looked for when neither --token nor $ADMIN_TOKEN gives it. */
export const TOKEN_FILES = ["data/admin.token", "data/devnet/admin.token"];

export function addGlobalOptions(program: Command): void {
  program
    .option("--api <url>", `the solver's API (env INTERNALIZER_API, default ${DEFAULTS.api})`)
    .option("--token <token>", `operator token for /v1/admin (env ADMIN_TOKEN, else ${TOKEN_FILES.join(" or ")})`)
    .option("--rpc <url>", `JSON-RPC URL of the chain (env RPC_URL, default ${DEFAULTS.rpc})`)
    .option("--deployment <file>", `deployment record (env DEPLOYMENT_FILE, default ${DEFAULTS.deployment})`)
    .option("--key <hex>", "private key that signs transactions and requests (env PRIVATE_KEY)")
    .option("--json", "print JSON for scripts instead of tables");
}

/** The global options of the program a subcommand belongs to, with environment and default fallbacks. */
export function globals(cmd: { optsWithGlobals(): unknown }): GlobalOptions {
  const o = cmd.optsWithGlobals() as Partial<GlobalOptions>;
  const env = process.env;
  return {
    api: (o.api ?? env.INTERNALIZER_API ?? DEFAULTS.api).replace(/\/+$/, ""),
    rpc: o.rpc ?? env.RPC_URL ?? DEFAULTS.rpc,
    deployment: o.deployment ?? env.DEPLOYMENT_FILE ?? DEFAULTS.deployment,
    ...(o.token ? { token: o.token } : {}),
    ...(o.key ? { key: o.key } : {}),
    ...(o.json ? { json: true } : {}),
  };
}

/** The operator token: --token, $ADMIN_TOKEN, or the file the solver writes beside its database. */
export function adminToken(g: GlobalOptions): string {
  const file = TOKEN_FILES.find((f) => existsSync(f));
  const token = g.token || process.env.ADMIN_TOKEN || (file ? readFileSync(file, "utf8").trim() : "");
  if (!token) {
    throw new CliError(
      ErrorCode.TokenMissing,
      `no admin token: pass --token, set ADMIN_TOKEN, or run from the project directory (${TOKEN_FILES.join(", ")})`,
    );
  }
  return token;
}

const ApiError = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/** Calls the solver's API (with the admin token for /v1/admin); refusals come back as CliError with its code. */
export async function api(
  g: GlobalOptions,
  method: "GET" | "POST" | "PUT",
  path: string,
  body?: unknown,
): Promise<unknown> {
  const headers: Record<string, string> = path.startsWith("/v1/admin")
    ? { authorization: `Bearer ${adminToken(g)}` }
    : {};
  if (body !== undefined) headers["content-type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(`${g.api}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (cause) {
    throw new CliError(ErrorCode.ApiUnavailable, `cannot reach the solver's API at ${g.api}`, { cause });
  }
  const data: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const parsed = ApiError.safeParse(data);
    if (!parsed.success) throw new CliError(ErrorCode.Internal, `the API answered HTTP ${res.status}`);
    const { code, message, details } = parsed.data.error;
    throw new CliError(code as ErrorCode, message, details ? { details: details as Record<string, unknown> } : {});
  }
  return data;
}

/** The operator endpoints: `api` under /v1/admin. */
export const admin = (g: GlobalOptions, method: "GET" | "POST" | "PUT", path: string, body?: unknown) =>
  api(g, method, path, body);

/** The signing key from --key or $PRIVATE_KEY. */
export function signingKey(g: GlobalOptions): Hex {
  const key = g.key ?? process.env.PRIVATE_KEY;
  if (!key || !/^0x[0-9a-fA-F]{64}$/.test(key)) {
    throw new CliError(ErrorCode.ConfigInvalid, "a 32-byte hex private key is needed: pass --key or set PRIVATE_KEY");
  }
  return key as Hex;
}

/** Chain access for commands that send transactions: the deployment and clients for `--key`. */
export function chain(g: GlobalOptions) {
  const key = signingKey(g);
  const deployment = loadDeployment(g.deployment);
  const clients = createClients({ chainId: deployment.chainId, key, rpcUrl: g.rpc, pollingInterval: 100 });
  return { deployment, ...clients };
}

/** Read-only chain access: no key needed. */
export function reader(g: GlobalOptions) {
  const deployment = loadDeployment(g.deployment);
  const publicClient = createPublicClient({
    chain: chainFor(deployment.chainId, g.rpc),
    transport: http(g.rpc, { timeout: 10_000, retryCount: 0 }),
  });
  return { deployment, publicClient };
}

/** A positive decimal amount in base units of `decimals`; refuses signs, exponents and excess decimals. */
export function parseAmount(text: string, decimals: number): bigint {
  const [whole, fraction = ""] = text.split(".");
  if (!/^\d+(\.\d+)?$/.test(text) || fraction.length > decimals) {
    throw new CliError(
      ErrorCode.SizeInvalid,
      `"${text}" is not a positive decimal amount with at most ${decimals} decimals`,
    );
  }
  const amount = BigInt(whole! + fraction.padEnd(decimals, "0"));
  if (amount === 0n) throw new CliError(ErrorCode.SizeInvalid, "the amount must be positive");
  return amount;
}

/** Prints `data` as JSON (bigint as decimal strings) with --json, else what `human` renders. */
export function emit(g: GlobalOptions, data: unknown, human: () => string): void {
  if (g.json)
    process.stdout.write(`${JSON.stringify(data, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`);
  else process.stdout.write(`${human()}\n`);
}

/** A table for people: a header row and string cells. */
export function table(head: string[], rows: Array<Array<string | number>>): string {
  const t = new Table({ head, style: { head: [], border: [] } });
  for (const row of rows) t.push(row.map(String));
  return t.toString();
}

/** Key-value pairs as a two-column table. */
export function pairs(entries: Array<[string, unknown]>): string {
  return table(
    ["field", "value"],
    entries.map(([k, v]) => [k, typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)]),
  );
}

/** Progress of a long step, on stderr so that --json output stays clean. */
export function progress(g: GlobalOptions, line: string): void {
  if (!g.json || process.env.INTERNALIZER_PROGRESS === "1") process.stderr.write(`… ${line}\n`);
}

export const fmtUsd = (x: number) =>
  `$${x.toLocaleString("en-US", { maximumFractionDigits: 2, minimumFractionDigits: 2 })}`;

/** An API amount ({raw, formatted, symbol}) for people: "0.1384 WETH". */
export function units(a: unknown, digits = 6): string {
  const amount = a as { formatted?: string; symbol?: string } | null;
  if (!amount || typeof amount.formatted !== "string") return "-";
  return `${roundDecimal(amount.formatted, digits)} ${amount.symbol ?? ""}`.trim();
}

/** A chain timestamp for people. */
export const when = (seconds: unknown) => (typeof seconds === "number" ? chainTimeText(seconds) : "-");

export const short = (h: unknown) =>
  typeof h === "string" && h.length > 14 ? `${h.slice(0, 10)}…${h.slice(-4)}` : String(h ?? "-");

/**
 * A refusal's details for people, one `key: value` line each: amounts in units, chain times as ISO, lists
 * item by item (an approval by the call it names), the rest as compact JSON. `--json` prints them as they are.
 */
export function detailsText(details: Record<string, unknown>): string {
  const value = (key: string, v: unknown): string => {
    if (v && typeof v === "object" && "formatted" in v && "symbol" in v) return units(v, 18);
    if (typeof v === "number" && v > 1e9 && /(until|since|time|at|expiry|deadline)$/i.test(key)) return when(v);
    if (Array.isArray(v))
      return v.map((x) => (x && typeof x === "object" && "call" in x ? String(x.call) : JSON.stringify(x))).join("; ");
    return typeof v === "object" && v !== null ? JSON.stringify(v) : String(v);
  };
  return Object.entries(details)
    .map(([k, v]) => `  ${k}: ${value(k, v)}\n`)
    .join("");
}
