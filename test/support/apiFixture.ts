import type { FastifyInstance } from "fastify";
import type { network } from "hardhat";
import {
  type Address,
  createPublicClient,
  createWalletClient,
  custom,
  type Hex,
  type PublicClient,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { devKey } from "../../scripts/lib/accounts.js";
import { type DevnetSeed, deployDevnet } from "../../scripts/lib/devnet.js";
import { engineFor } from "../../scripts/lib/engineHarness.js";
import { Metrics } from "../../solver/api/metrics.js";
import { buildServer } from "../../solver/api/server.js";
import { chainFor } from "../../solver/chain/clients.js";
import type { ConfigInput } from "../../solver/config/schema.js";
import type { Engine } from "../../solver/engine/engine.js";
import { silentLogger } from "../../solver/log.js";

export const ADMIN_TOKEN = "test-admin-token-0123456789";

/** The devnet on an in-process chain, an engine on it, and its API listening on loopback, ticking. */
export interface ApiFixture {
  seed: DevnetSeed;
  engine: Engine;
  app: FastifyInstance;
  url: string;
  publicClient: PublicClient;
  /** A wallet client for a devnet account, over the in-process chain. */
  walletFor(index: number): WalletClient & { account: { address: Address } };
  /** The chain's latest timestamp. */
  chainNow(): Promise<number>;
  close(): Promise<void>;
}

export async function apiFixture(
  connection: Awaited<ReturnType<typeof network.create>>,
  config: Partial<ConfigInput> = {},
  opts: { tick?: boolean } = {},
): Promise<ApiFixture> {
  const seed = await deployDevnet(connection);
  const engine = await engineFor(seed.system, { config: { api: { adminToken: ADMIN_TOKEN }, ...config } });
  const reader = createPublicClient({ transport: custom(connection.provider) }) as PublicClient;
  const app = await buildServer({ engine, reader, metrics: new Metrics(engine), log: silentLogger() });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  // The solver process ticks the engine (which flushes the submitter and runs the keeper); so does this.
  const ticker = setInterval(() => {
    if (opts.tick !== false) void engine.tick().catch(() => {});
  }, 100);
  const chain = chainFor(seed.deployment.chainId);
  const transport = custom(connection.provider);
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 50 }) as PublicClient;
  return {
    seed,
    engine,
    app,
    url,
    publicClient,
    walletFor: (index: number) =>
      createWalletClient({ chain, transport, account: privateKeyToAccount(devKey(index) as Hex) }) as never,
    chainNow: async () => Number((await publicClient.getBlock()).timestamp),
    async close() {
      clearInterval(ticker);
      await app.close();
      await engine.submitter.flush();
    },
  };
}
