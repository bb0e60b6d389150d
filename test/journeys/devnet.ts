import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPublicClient, createWalletClient, type Hex, http, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { DEVNET_ACCOUNTS } from "../../scripts/lib/accounts.js";
import { chainNow, devnetClients, latestPrice, pushPrice, refreshMarket } from "../../scripts/lib/keeper.js";
import { rpc, setIntervalMining } from "../../scripts/lib/processes.js";
import { type Stack, startStack } from "../../scripts/lib/stack.js";
import { aggregatorAbi } from "../../solver/chain/abis.js";
import { chainFor } from "../../solver/chain/clients.js";
import { type Deployment, DeploymentSchema } from "../../solver/config/schema.js";
import { InternalizerClient, viemWallet } from "../../solver/sdk/index.js";

/**
 * The journeys' devnet: one Hardhat node (mining a block a second), the Ignition deployment, the solver and
 * its API, all as processes, shared by every journey and stopped after the last. Journeys drive it the way
 * their users do: the CLI as a subprocess, the SDK, HTTP and the WebSocket stream.
 */
let started: Promise<Stack> | undefined;

export function devnet(): Promise<Stack> {
  // A per-requester rate a single client can reach (the default, 100/s, is more than one client sends here).
  started ??= startStack({
    dir: mkdtempSync(join(tmpdir(), "internalizer-journeys-")),
    config: { api: { ratePerSecond: 20, rateBurst: 40 } },
  });
  return started;
}

after(async () => {
  if (started) await (await started).stop();
});

export function deploymentOf(stack: Stack): Deployment {
  return DeploymentSchema.parse(stack.deployment);
}

export function reader(stack: Stack): PublicClient {
  return createPublicClient({
    chain: chainFor(stack.deployment.chainId),
    transport: http(stack.node.url),
  }) as PublicClient;
}

/** A devnet account's SDK client, as a trader's app makes one. */
export async function trader(stack: Stack, index: number): Promise<InternalizerClient> {
  const account = privateKeyToAccount(DEVNET_ACCOUNTS[index]!.key);
  const wallet = createWalletClient({
    account,
    chain: chainFor(stack.deployment.chainId),
    transport: http(stack.node.url),
  });
  return InternalizerClient.connect(stack.api, viemWallet(wallet));
}

export const key = (index: number): Hex => DEVNET_ACCOUNTS[index]!.key;

/** Runs the CLI as the README shows it (bin/internalizer.mjs, what `npx internalizer` runs). */
export function cli(
  stack: Stack,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        "bin/internalizer.mjs",
        "--api",
        stack.api,
        "--rpc",
        stack.node.url,
        "--deployment",
        stack.deploymentFile,
        ...args,
      ],
      { env: { ...process.env, ADMIN_TOKEN: stack.adminToken, ...env } },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (err += d));
    child.on("exit", (code) => resolve({ code: code ?? 1, out, err }));
  });
}

/** The CLI with --json; throws with its stderr unless it exits 0. */
export async function cliJson<T = Record<string, unknown>>(
  stack: Stack,
  args: string[],
  env: Record<string, string> = {},
): Promise<T> {
  const r = await cli(stack, [...args, "--json"], env);
  if (r.code !== 0) throw new Error(`internalizer ${args.join(" ")} exited ${r.code}: ${r.err}${r.out}`);
  return JSON.parse(r.out) as T;
}

/**
 * Moves the devnet's clock to `timestamp` (a block is mined there). With `price`, the oracle's last round
 * before that moment is set `60` seconds earlier, as a feed would have published it.
 */
export async function travelTo(stack: Stack, timestamp: number, price?: bigint): Promise<void> {
  const d = deploymentOf(stack);
  if (price !== undefined) {
    const admin = devnetClients(d, stack.node.url, 0);
    // The round must land at least 60 s before `timestamp` (callers put an expiry there): an idle block or
    // the solver's own transaction can take the timestamp set for it, so interval mining stops meanwhile
    // and the round aims 120 s early, leaving room for 60 such blocks. Landing after an expiry, the round
    // could not settle it, and the previous one is too old to (StaleSettlementRound): the series would
    // stay unsettled for good.
    await setIntervalMining(stack.node.url, 0);
    try {
      await rpc(stack.node.url, "evm_setNextBlockTimestamp", [timestamp - 120]);
      await pushPrice(admin, d, price);
    } finally {
      await setIntervalMining(stack.node.url, 1_000);
    }
    const [, , , updatedAt] = await admin.publicClient.readContract({
      address: d.contracts.oracle,
      abi: aggregatorAbi,
      functionName: "latestRoundData",
    });
    if (Number(updatedAt) > timestamp - 60)
      throw new Error(`the round landed at ${updatedAt}, after ${timestamp - 60}`);
  }
  await rpc(stack.node.url, "evm_setNextBlockTimestamp", [timestamp]);
  await rpc(stack.node.url, "evm_mine");
}

/** After a clock jump: a fresh oracle round and vols for the live expiries, and quoting resumed. */
export async function freshMarket(stack: Stack): Promise<void> {
  const d = deploymentOf(stack);
  await refreshMarket(d, stack.node.url, stack.series, await latestPrice(devnetClients(d, stack.node.url, 0), d));
  await cli(stack, ["resume"]);
}

export async function now(stack: Stack): Promise<number> {
  return chainNow(devnetClients(deploymentOf(stack), stack.node.url, 0));
}

/** Polls `check` until it returns something other than undefined. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 200));
  }
}
