import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { type Address, createPublicClient, createWalletClient, type Hex, http, parseEventLogs } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { devKey } from "../../scripts/lib/accounts.js";
import { freePort, kill, rpc, runTool, spawnTs, startNode, waitFor } from "../../scripts/lib/processes.js";
import { erc20Abi, optionLedgerAbi, optionSettlementAbi } from "../../solver/chain/abis.js";
import { chainFor } from "../../solver/chain/clients.js";
import { type Deployment, DeploymentSchema } from "../../solver/config/schema.js";
import { InternalizerClient, viemWallet } from "../../solver/sdk/index.js";

const ADMIN_TOKEN = "recovery-test-admin-token-0123456789";
type OrderView = {
  orderHash: string;
  status: string;
  txHash: string | null;
  error: { code: string; reason: string } | null;
};

describe("solver crash recovery (a real node, the solver as a process, SIGKILL mid-flow)", function () {
  this.timeout(180_000);
  let node: Awaited<ReturnType<typeof startNode>>;
  let solver: ChildProcess & { output: string[] };
  let deployment: Deployment;
  let series: bigint[];
  let api: string;
  let env: Record<string, string>;
  const dir = mkdtempSync(join(tmpdir(), "internalizer-recovery-"));
  const solverAddress = privateKeyToAccount(devKey(2)).address;

  before(async () => {
    node = await startNode(await freePort());
    const deploymentFile = join(dir, "deployment.json");
    await runTool("tsx", ["scripts/devnet-deploy.ts", "--out", deploymentFile], { DEVNET_RPC_URL: node.url });
    deployment = DeploymentSchema.parse(JSON.parse(readFileSync(deploymentFile, "utf8")));
    series = (await runSeries(node.url, deployment.contracts.ledger)).slice(0, 6);
    const apiPort = await freePort();
    api = `http://127.0.0.1:${apiPort}`;
    env = {
      SOLVER_PRIVATE_KEY: devKey(2),
      RPC_URL: node.url,
      DEPLOYMENT_FILE: deploymentFile,
      DB_PATH: join(dir, "solver.db"),
      API_PORT: String(apiPort),
      ADMIN_TOKEN,
      LOG_LEVEL: "warn",
    };
    await startSolverProcess();
  });

  after(async () => {
    if (solver) await kill(solver);
    if (node) await kill(node);
  });

  async function startSolverProcess() {
    solver = spawnTs("solver/cli.ts", ["start"], env);
    await waitFor(async () => ((await fetch(`${api}/v1/health`)).ok ? true : undefined), 60_000);
  }

  const view = async (h: Hex) => (await (await fetch(`${api}/v1/orders/${h}`)).json()) as OrderView;

  /** Six wallet-signed buys through the SDK, accepted while blocks come every `intervalMs`. */
  async function placeOrders(intervalMs: number): Promise<Hex[]> {
    await rpc(node.url, "evm_setAutomine", [false]);
    await rpc(node.url, "evm_setIntervalMining", [intervalMs]);
    const chain = chainFor(deployment.chainId, node.url);
    const orders: Hex[] = [];
    for (const [i, seriesId] of series.entries()) {
      const account = privateKeyToAccount(devKey(4 + (i % 4)));
      const wallet = viemWallet(createWalletClient({ chain, transport: http(node.url), account }));
      const client = await InternalizerClient.connect(api, wallet);
      const quote = await client.requestQuote({ series: seriesId, side: "buy", amount: 10n ** 18n });
      orders.push(await client.submitOrder(await client.signOrder(quote)));
    }
    return orders;
  }

  /** SIGKILLs the solver as soon as one settlement transaction is in flight; returns what was in flight. */
  async function killMidFlight(orders: Hex[]): Promise<OrderView[]> {
    const inFlight = await waitFor(
      async () => {
        const submitted = (await Promise.all(orders.map(view))).filter((o) => o.status === "submitted");
        return submitted.length > 0 ? submitted : undefined;
      },
      30_000,
      50,
    );
    await kill(solver);
    const down = await fetch(`${api}/v1/health`).then(
      () => false,
      () => true,
    );
    expect(down, "the solver still answers after SIGKILL").to.equal(true);
    return inFlight;
  }

  async function expectSettledOnce(orders: Hex[], inFlight: OrderView[]) {
    const final = await waitFor(
      async () => {
        const all = await Promise.all(orders.map(view));
        return all.every((o) => o.status === "filled" || o.status === "failed") ? all : undefined;
      },
      60_000,
      250,
    );
    expect(final.map((o) => [o.status, o.error])).to.deep.equal(orders.map(() => ["filled", null]));
    // What was in flight at the crash was recognised on chain (the same transaction), not sent again.
    for (const o of inFlight) expect((await view(o.orderHash as Hex)).txHash).to.equal(o.txHash);
  }

  it("recognises a settlement transaction that landed while it was down, and its book equals the chain", async () => {
    const orders = await placeOrders(2000);
    const inFlight = await killMidFlight(orders);
    // The pending transaction lands while the solver is down.
    await new Promise((r) => setTimeout(r, 3_000));
    await rpc(node.url, "evm_setAutomine", [true]);
    await startSolverProcess();
    await expectSettledOnce(orders, inFlight);
    await expectLedgerEqualsChain();
  });

  it("follows a settlement transaction still pending at restart to its receipt, and fills nothing twice", async () => {
    // Blocks every 8 s: the transaction sent before the crash is still in the mempool when the solver is back.
    const orders = await placeOrders(8000);
    const inFlight = await killMidFlight(orders);
    await startSolverProcess();
    const pending = (await rpc(node.url, "eth_getTransactionByHash", [inFlight[0]!.txHash])) as {
      blockNumber: string | null;
    };
    expect(pending.blockNumber, "the transaction should still be pending at restart").to.equal(null);
    await rpc(node.url, "evm_setAutomine", [true]);
    await expectSettledOnce(orders, inFlight);
    await expectLedgerEqualsChain();
  });

  /** Every Filled event is unique, every one is in the solver's fills, and its positions and cash are the chain's. */
  async function expectLedgerEqualsChain() {
    const chain = chainFor(deployment.chainId, node.url);
    const publicClient = createPublicClient({ chain, transport: http(node.url) });
    const logs = await publicClient.getLogs({ address: deployment.contracts.settlement, fromBlock: 0n });
    const filled = parseEventLogs({ abi: optionSettlementAbi, logs, eventName: "Filled" });
    const hashes = filled.map((e) => e.args.orderHash.toLowerCase());
    expect(new Set(hashes).size).to.equal(hashes.length);

    const get = async (path: string) =>
      (await fetch(`${api}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json();
    const fills = (await get("/v1/admin/fills?limit=100")) as { fills: Array<{ orderHash: string }> };
    expect(fills.fills.map((f) => f.orderHash.toLowerCase()).sort()).to.deep.equal(hashes.sort());
    const inventory = (await get("/v1/admin/inventory")) as {
      cash: { weth: { raw: string }; usdc: { raw: string } };
      positions: Array<{ seriesId: string; longs: { raw: string }; shorts: { raw: string } }>;
    };
    expect(inventory.positions.length).to.be.greaterThan(0);
    for (const p of inventory.positions) {
      const read = (functionName: "balanceOf" | "shortBalanceOf") =>
        publicClient.readContract({
          address: deployment.contracts.ledger,
          abi: optionLedgerAbi,
          functionName,
          args: [solverAddress, BigInt(p.seriesId)],
        });
      const [longs, shorts] = await Promise.all([read("balanceOf"), read("shortBalanceOf")]);
      expect([p.seriesId, p.longs.raw, p.shorts.raw]).to.deep.equal([p.seriesId, longs.toString(), shorts.toString()]);
    }
    for (const [asset, address] of [
      ["weth", deployment.contracts.weth],
      ["usdc", deployment.contracts.usdc],
    ] as const) {
      const balance = await publicClient.readContract({
        address: address as Address,
        abi: erc20Abi,
        functionName: "balanceOf",
        args: [solverAddress],
      });
      expect(inventory.cash[asset].raw).to.equal(balance.toString());
    }
  }
});

/** The ledger's series, oldest first. */
async function runSeries(url: string, ledger: Address): Promise<bigint[]> {
  const client = createPublicClient({ transport: http(url) });
  const events = await client.getContractEvents({
    address: ledger,
    abi: optionLedgerAbi,
    eventName: "SeriesCreated",
    fromBlock: 0n,
  });
  return events.map((e) => e.args.seriesId!);
}
