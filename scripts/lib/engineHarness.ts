import { custom } from "viem";
import { createClients } from "../../solver/chain/clients.js";
import { type ConfigInput, ConfigSchema, type Deployment } from "../../solver/config/schema.js";
import { buildEngine, type EngineOptions } from "../../solver/engine/build.js";
import type { Engine } from "../../solver/engine/engine.js";
import { type Logger, silentLogger } from "../../solver/log.js";
import { STRATEGIES, type StrategyName } from "../../solver/router/strategies.js";
import { Store } from "../../solver/store/db.js";
import { devKey } from "./accounts.js";
import type { Connection, System } from "./system.js";

/** The deployment record of a system deployed by `deploySystem`. */
export async function deploymentOf(s: System): Promise<Deployment> {
  const address = async (c: { getAddress(): Promise<string> }) => (await c.getAddress()) as `0x${string}`;
  return {
    network: "hardhat",
    chainId: Number((await s.ethers.provider.getNetwork()).chainId),
    block: 0,
    pairId: s.pairId,
    contracts: {
      weth: await address(s.weth),
      usdc: await address(s.usdc),
      oracle: await address(s.oracle),
      ledger: await address(s.ledger),
      callVault: await address(s.callVault),
      putVault: await address(s.putVault),
      settlement: await address(s.settlement),
    },
  };
}

/** Clients for devnet account `index` on an in-process chain (`provider`), reading on demand. */
export function inProcessClients(
  provider: Connection["provider"],
  index: number,
  chainId = 31337,
  pollingInterval = 0,
) {
  // No retries: a revert on the in-process chain is an answer, not a network failure.
  return createClients({
    chainId,
    key: devKey(index),
    transport: custom(provider, { retryCount: 0 }),
    pollingInterval,
  });
}

/**
 * An engine on the in-process chain of `s`, signing with the devnet solver key (account 2), with the
 * given config overrides and store (a fresh in-memory one by default).
 */
export async function engineFor(
  s: System,
  opts: {
    config?: Partial<ConfigInput>;
    store?: Store;
    strategy?: StrategyName;
    log?: Logger;
    init?: boolean;
    /** How stale cached block data may be (0: always read); a real node's solver uses 250 ms. */
    pollingInterval?: number;
    /** The deployment record (default: the system's, without a spot venue). */
    deployment?: Deployment;
    /** Passed to `buildEngine`: the reference feed and the flow model. */
    build?: Pick<EngineOptions, "referenceFeed" | "flowModel">;
  } = {},
): Promise<Engine> {
  const deployment = opts.deployment ?? (await deploymentOf(s));
  const config = ConfigSchema.parse({ solverKey: devKey(2), ...opts.config });
  const clients = inProcessClients(s.connection.provider, 2, deployment.chainId, opts.pollingInterval ?? 0);
  const engine = await buildEngine({
    config,
    deployment,
    clients,
    store: opts.store ?? new Store(":memory:"),
    log: opts.log ?? silentLogger(),
    ...(opts.strategy ? { strategy: STRATEGIES[opts.strategy] } : {}),
    ...opts.build,
  });
  if (opts.init !== false) await engine.init();
  return engine;
}
