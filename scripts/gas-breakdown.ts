/**
 * npm run bench:gas:breakdown
 *
 * Where the gas of an internal fill goes: traces a first and a repeat internal buy on an in-process chain
 * (debug_traceTransaction) and prints the gas of each external call the settlement makes, and the rest.
 */
import { network } from "hardhat";
import { decodeSeriesId } from "../solver/domain/seriesId.js";
import { fillParams, fundTrader, makeIntent, signIntent } from "./lib/orders.js";
import { createSeries, deploySystem, ETH, seedVaults, setVol } from "./lib/system.js";

interface StructLog {
  op: string;
  gas: number;
  depth: number;
  stack?: string[];
}

const connection = await network.create();
const s = await deploySystem(connection);
await seedVaults(s);
const id = await createSeries(s, 3100n, 30, true);
await setVol(s, decodeSeriesId(id).expiry);
await fundTrader(s, s.solver, 200n * ETH, 0n);
await s.ledger.connect(s.solver).mint(id, 100n * ETH, s.solver.address, s.solver.address);
await fundTrader(s, s.alice, 10n * ETH, 0n);

const names = new Map<string, string>([["0x0000000000000000000000000000000000000001", "ecrecover"]]);
const labels = {
  "ledger (ERC-1155 delivery)": s.ledger,
  "vault (asset, referencePremium)": s.callVault,
  "WETH (premium)": s.weth,
};
for (const [label, c] of Object.entries(labels)) names.set((await c.getAddress()).toLowerCase(), label);

for (const label of ["first (new holder, fresh nonce word)", "repeat"]) {
  const intent = await makeIntent(s, s.alice, { seriesId: id });
  const tx = await s.settlement
    .connect(s.solver)
    .fill(
      intent,
      await signIntent(s, s.alice, intent),
      fillParams({ internalAmount: ETH, internalPremium: 10n ** 15n }),
    );
  const receipt = await tx.wait();
  const trace = (await s.ethers.provider.send("debug_traceTransaction", [
    tx.hash,
    { disableStorage: true, disableMemory: true },
  ])) as {
    structLogs: StructLog[];
  };
  const logs = trace.structLogs;
  const parts = new Map<string, number>();
  let inCalls = 0;
  for (let i = 0; i < logs.length; i++) {
    const l = logs[i]!;
    if (l.depth !== 1 || (l.op !== "CALL" && l.op !== "STATICCALL")) continue;
    const to = `0x${BigInt(l.stack!.at(-2)!).toString(16).padStart(40, "0").slice(-40)}`;
    let j = i + 1;
    while (j < logs.length && logs[j]!.depth > 1) j++;
    const gas = l.gas - logs[j]!.gas;
    const name = names.get(to) ?? to;
    parts.set(name, (parts.get(name) ?? 0) + gas);
    inCalls += gas;
  }
  const execution = logs[0]!.gas - logs.at(-1)!.gas;
  const gasUsed = Number(receipt!.gasUsed);
  console.log(`internal fill, ${label}: ${gasUsed} gas`);
  console.log(`  transaction base + calldata: ${gasUsed - execution}`);
  for (const [name, gas] of parts) console.log(`  ${name}: ${gas}`);
  console.log(`  settlement itself (signature, nonce, allowlist, config, vault lookup, event): ${execution - inCalls}`);
}
