import { expect } from "chai";
import { network } from "hardhat";
import { type Address, custom, getAbiItem, toEventSelector } from "viem";
import { devKey } from "../../../scripts/lib/accounts.js";
import { deploymentOf } from "../../../scripts/lib/engineHarness.js";
import { fundTrader } from "../../../scripts/lib/orders.js";
import { createSeries, deploySystem, ETH, seedVaults, setVol, USDC, usd8, WAD } from "../../../scripts/lib/system.js";
import { optionLedgerAbi } from "../../../solver/chain/abis.js";
import { createClients } from "../../../solver/chain/clients.js";
import { decodeSeriesId } from "../../../solver/domain/seriesId.js";
import { MarketData } from "../../../solver/market/marketData.js";

const connection = await network.create();
const SERIES_CREATED = toEventSelector(getAbiItem({ abi: optionLedgerAbi, name: "SeriesCreated" }));
const { networkHelpers } = connection;

async function fixture() {
  const s = await deploySystem(connection);
  await seedVaults(s);
  const call = await createSeries(s, 3000n, 30, true);
  await setVol(s, decodeSeriesId(call).expiry);
  for (const who of [s.alice, s.bob]) await fundTrader(s, who, 0n, 1_000n * USDC);
  return { s, call, deployment: await deploymentOf(s) };
}

/** MarketData on a live-chain setting (a polling interval, so new blocks are warmed), counting eth_calls. */
async function followed() {
  const { s, call, deployment } = await networkHelpers.loadFixture(fixture);
  const calls: Array<{ to: string; data: string }> = [];
  const seriesScans: unknown[] = [];
  const transport = custom({
    request: async ({ method, params }: { method: string; params?: unknown }) => {
      if (method === "eth_call") {
        const tx = (params as [{ to: string; data: string }])[0];
        calls.push({ to: tx.to.toLowerCase(), data: tx.data.toLowerCase() });
      }
      if (method === "eth_getLogs") {
        const filter = (params as [{ topics?: unknown[] }])[0];
        if (JSON.stringify(filter.topics ?? []).includes(SERIES_CREATED)) seriesScans.push(filter);
      }
      return s.connection.provider.request({ method, params: params as unknown[] });
    },
  });
  const clients = createClients({ chainId: deployment.chainId, key: devKey(2), transport, pollingInterval: 1 });
  const market = new MarketData(clients, deployment);
  const c = deployment.contracts;
  /** eth_calls that asked about `who` on `token` since the last `clear`. */
  const readsOf = (token: Address, who: string) =>
    calls.filter((call) => call.to === token.toLowerCase() && call.data.includes(who.slice(2).toLowerCase())).length;
  /** The vault's own quote view at the latest block, as an eth_call would answer it. */
  const chainQuote = async (amount: bigint) => (await s.callVault.quote(call, amount, true)).premium;
  const vaultCalls = () => calls.filter((x) => x.to === c.callVault.toLowerCase()).length;
  return { s, call, market, c, readsOf, chainQuote, vaultCalls, seriesScans, clear: () => calls.splice(0) };
}

describe("MarketData: account reads followed by logs from block to block", () => {
  it("reads again only the accounts a block's logs name, and carries the others over", async () => {
    const { s, market, c, readsOf, clear } = await followed();
    const [alice, bob] = [s.alice.address as Address, s.bob.address as Address];
    expect(await market.accounts.erc20Balance(c.usdc, alice)).to.equal(1_000n * USDC);
    expect(await market.accounts.erc20Balance(c.usdc, bob)).to.equal(1_000n * USDC);
    clear();
    await s.usdc.connect(s.alice).transfer(s.carol.address, 5n * USDC);
    expect(await market.refresh()).to.equal(true);
    expect(readsOf(c.usdc, alice)).to.equal(1);
    expect(readsOf(c.usdc, bob)).to.equal(0);
    expect(await market.accounts.erc20Balance(c.usdc, alice)).to.equal(995n * USDC);
    expect(await market.accounts.erc20Balance(c.usdc, bob)).to.equal(1_000n * USDC);
  });

  it("sees an allowance spent by transferFrom, which emits no Approval, through the owner's Transfer", async () => {
    const { s, market, c } = await followed();
    const [bob, carol] = [s.bob.address as Address, s.carol.address as Address];
    await s.usdc.connect(s.bob).approve(carol, 100n * USDC);
    await market.refresh();
    expect(await market.accounts.allowance(c.usdc, bob, carol)).to.equal(100n * USDC);
    await s.usdc.connect(s.carol).transferFrom(bob, carol, 30n * USDC);
    await market.refresh();
    expect(await market.accounts.allowance(c.usdc, bob, carol)).to.equal(70n * USDC);
  });

  it("sees an operator approval given in the last block", async () => {
    const { s, market, c } = await followed();
    const carol = s.carol.address as Address;
    expect(await market.accounts.operatorApproved(carol, c.settlement)).to.equal(false);
    await s.ledger.connect(s.carol).setApprovalForAll(c.settlement, true);
    await market.refresh();
    expect(await market.accounts.operatorApproved(carol, c.settlement)).to.equal(true);
  });

  it("reads everything again when more blocks passed than it follows by logs", async () => {
    const { s, market, c, readsOf, clear } = await followed();
    const bob = s.bob.address as Address;
    await market.accounts.erc20Balance(c.usdc, bob);
    clear();
    await networkHelpers.mine(150);
    await market.refresh();
    expect(readsOf(c.usdc, bob)).to.equal(1);
  });
});

describe("MarketData: vault state followed by logs", () => {
  it("carries a vault's state over empty blocks (no vault reads) and still prices to the wei at the new time", async () => {
    const { call, market, chainQuote, vaultCalls, clear } = await followed();
    await market.vaultQuote(call, ETH, true);
    clear();
    await networkHelpers.mine(3, { interval: 600 });
    await market.refresh();
    expect(vaultCalls()).to.equal(0);
    expect((await market.vaultQuote(call, ETH, true)).premium).to.equal(await chainQuote(ETH));
  });

  it("reads the state again after the vault logs (a vol slice set) or the oracle's round moves", async () => {
    const { s, call, market, chainQuote, vaultCalls, clear } = await followed();
    await market.vaultQuote(call, ETH, true);
    await setVol(s, decodeSeriesId(call).expiry, (WAD * 9n) / 10n);
    clear();
    await market.refresh();
    expect(vaultCalls()).to.be.greaterThan(0);
    expect((await market.vaultQuote(call, ETH, true)).premium).to.equal(await chainQuote(ETH));
    await s.oracle.pushAnswer(usd8(3100));
    clear();
    await market.refresh();
    expect(vaultCalls()).to.be.greaterThan(0);
    expect((await market.vaultQuote(call, ETH, true)).premium).to.equal(await chainQuote(ETH));
  });

  it("reads the state again after a trade on the vault", async () => {
    const { s, call, market, chainQuote, clear, vaultCalls } = await followed();
    await market.vaultQuote(call, ETH, true);
    await fundTrader(s, s.carol, 10n * ETH, 0n);
    const deadline = (await networkHelpers.time.latest()) + 600;
    await s.weth.connect(s.carol).approve(s.callVault, 10n * ETH);
    await s.callVault.connect(s.carol).buy(call, ETH, 10n * ETH, deadline, s.carol.address);
    clear();
    await market.refresh();
    expect(vaultCalls()).to.be.greaterThan(0);
    expect((await market.vaultQuote(call, ETH, true)).premium).to.equal(await chainQuote(ETH));
  });
});

describe("MarketData: the series list", () => {
  it("scans a new block's series with the block, once, however many quotes ask at the same time", async () => {
    const { s, market, seriesScans } = await followed();
    await market.listSeries();
    const first = seriesScans.length;
    const id = await createSeries(s, 3200n, 14, true);
    await market.refresh();
    // The new series came with the block's logs (the one eth_getLogs that follows accounts and vaults).
    expect(seriesScans.length - first).to.equal(0);
    expect((await market.listSeries()).has(id)).to.equal(true);
    // A block with no ledger or vault log: the vaults' state is carried over, the series list still moves.
    await s.usdc.connect(s.alice).transfer(s.carol.address, 1n);
    await market.refresh();
    const before = seriesScans.length;
    const lists = await Promise.all(Array.from({ length: 8 }, () => market.listSeries()));
    expect(seriesScans.length - before).to.equal(0);
    for (const l of lists) expect(l.has(id)).to.equal(true);
  });
});
