import { existsSync, readFileSync } from "node:fs";
import type { Command } from "@commander-js/extra-typings";
import Table from "cli-table3";
import type { Hex } from "viem";
import { z } from "zod";
import { createClients } from "../chain/clients.js";
import { loadDeployment } from "../config/load.js";
import { ErrorCode, InternalizerError } from "../errors.js";

/** Options every command shares; each falls back to an environment variable. */
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

export function addGlobalOptions(program: Command): void {
  program
    .option(
      "--api <url>",
      "the solver's API (env INTERNALIZER_API)",
      process.env.INTERNALIZER_API ?? "http://127.0.0.1:8787",
    )
    .option("--token <token>", "operator token for /v1/admin (env ADMIN_TOKEN, else data/admin.token)")
    .option("--rpc <url>", "JSON-RPC URL of the chain (env RPC_URL)", process.env.RPC_URL ?? "http://127.0.0.1:8545")
    .option(
      "--deployment <file>",
      "deployment record (env DEPLOYMENT_FILE)",
      process.env.DEPLOYMENT_FILE ?? "deployments/localhost.json",
    )
    .option("--key <hex>", "private key that signs transactions and requests (env PRIVATE_KEY)")
    .option("--json", "print JSON for scripts instead of tables");
}

/** The global options of the program a subcommand belongs to. */
export function globals(cmd: { optsWithGlobals(): unknown }): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

function adminToken(g: GlobalOptions): string {
  const token =
    g.token ??
    process.env.ADMIN_TOKEN ??
    (existsSync("data/admin.token") ? readFileSync("data/admin.token", "utf8").trim() : "");
  if (!token)
    throw new CliError(
      ErrorCode.Unauthorized,
      "no admin token: pass --token, set ADMIN_TOKEN or run from the solver's directory",
    );
  return token;
}

const ApiError = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** Calls an operator endpoint; API refusals come back as CliError with the API's code. */
export async function admin(g: GlobalOptions, method: "GET" | "POST", path: string): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(`${g.api}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken(g)}` },
      signal: AbortSignal.timeout(10_000),
    });
  } catch (cause) {
    throw new CliError(ErrorCode.ApiUnavailable, `cannot reach the solver's API at ${g.api}`, { cause });
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const parsed = ApiError.safeParse(body);
    const code = (parsed.success ? parsed.data.error.code : ErrorCode.Internal) as ErrorCode;
    throw new CliError(code, parsed.success ? parsed.data.error.message : `HTTP ${res.status}`);
  }
  return body;
}

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

/** A series id, decimal or hex. */
export function parseSeriesId(text: string): bigint {
  if (!/^(0x[0-9a-fA-F]+|\d+)$/.test(text)) throw new CliError(ErrorCode.SeriesUnknown, `"${text}" is not a series id`);
  return BigInt(text);
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

export const fmtUsd = (x: number) => x.toLocaleString("en-US", { maximumFractionDigits: 2, minimumFractionDigits: 2 });
