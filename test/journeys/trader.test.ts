import { expect } from "chai";
import { createWalletClient, http, parseUnits } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { devKey } from "../../scripts/lib/accounts.js";
import { UNAPPROVED_TRADER } from "../../scripts/lib/devnet.js";
import type { Stack } from "../../scripts/lib/stack.js";
import { erc20Abi, optionLedgerAbi } from "../../solver/chain/abis.js";
import { chainFor } from "../../solver/chain/clients.js";
import { quoteRequestTypes, rfqBody, rfqDomain } from "../../solver/chain/rfq.js";
import { decodeSeriesId } from "../../solver/domain/seriesId.js";
import { ErrorCode } from "../../solver/errors.js";
import {
  InternalizerClient,
  type Order,
  type SdkError,
  StreamClient,
  safeWallet,
  viemWallet,
} from "../../solver/sdk/index.js";
import { createSafe, deploySafeInfrastructure } from "../support/safe.js";
import {
  cli,
  cliJson,
  deploymentOf,
  devnet,
  eventually,
  freshMarket,
  key,
  now,
  reader,
  trader,
  travelTo,
} from "./devnet.js";

/** Trader journeys (../shared/USER_JOURNEYS.md), each against the devnet as processes. */
describe("journeys: trader", function () {
  this.timeout(300_000);
  let stack: Stack;
  before(async () => {
    stack = await devnet();
  });
  /** The first expiry's at-the-money call, by its instrument name. */
  const atmCall = () => {
    const id = stack.series.find((s) => {
      const t = decodeSeriesId(s);
      return t.isCall && t.strike === 3000n * 10n ** 6n;
    })!;
    return id;
  };
  const optionsHeld = (who: `0x${string}`, id: bigint) =>
    reader(stack).readContract({
      address: deploymentOf(stack).contracts.ledger,
      abi: optionLedgerAbi,
      functionName: "balanceOf",
      args: [who, id],
    });

  it("Trader 1: lists the live series, each with the solver's indicative bid/ask and the AMM's beside it", async () => {
    const client = await trader(stack, 4);
    const series = await client.series();
    expect(series.length).to.equal(30);
    for (const s of series) {
      expect(s.bid.raw < s.ask.raw, s.instrument).to.equal(true);
      expect(s.ammBid && s.ammAsk, s.instrument).to.not.equal(null);
    }
    // Over plain HTTP too, as curl shows it.
    const body = (await (await fetch(`${stack.api}/v1/series`)).json()) as { series: Array<{ instrument: string }> };
    expect(body.series.map((s) => s.instrument)).to.deep.equal(series.map((s) => s.instrument));
  });

  it("Trader 2: signs a request for 5 of an instrument by name and gets a firm signed quote with its AMM reference", async () => {
    const client = await trader(stack, 4);
    const name = (await client.seriesInfo(atmCall())).instrument;
    const quote = await client.requestQuote({ series: name, side: "buy", amount: parseUnits("5", 18) });
    expect(quote.instrument).to.equal(name);
    expect(quote.solver).to.equal(client.solver);
    expect(quote.validUntil).to.be.greaterThan(await now(stack));
    expect(["internal", "amm", "split"]).to.include(quote.route);
    expect(quote.premium.raw <= quote.ammReferencePremium.raw).to.equal(true);
    expect(quote.improvement.raw).to.equal(quote.ammReferencePremium.raw - quote.premium.raw);
  });

  it("Trader 3: signs the order, sees it accepted, submitted (tx hash) and filled on the stream, and holds the options", async () => {
    const client = await trader(stack, 5);
    const seen: Order[] = [];
    const stream = new StreamClient(stack.api, { onOrder: (o) => seen.push(o) });
    stream.subscribe({ channel: "account", auth: await client.accessProof() });
    await eventually(async () => (stream.connected ? true : undefined));
    const before = await optionsHeld(client.address, atmCall());
    const quote = await client.requestQuote({ series: atmCall(), side: "buy", amount: parseUnits("2", 18) });
    const filled = await client.execute(quote);
    expect(filled.txHash).to.match(/^0x[0-9a-f]{64}$/);
    await eventually(async () => (seen.some((o) => o.status === "filled") ? true : undefined));
    const statuses = seen.filter((o) => o.orderHash === filled.orderHash).map((o) => o.status);
    expect(statuses).to.include.members(["accepted", "submitted", "filled"]);
    stream.close();
    expect((await optionsHeld(client.address, atmCall())) - before).to.equal(parseUnits("2", 18));
  });

  it("Trader 3b: after the devnet has been idle longer than a quote's validity, buys through the SDK and the CLI fill", async () => {
    // No transactions for 35 s (a quote lives 30 s): blocks keep coming, so chain time keeps pace.
    await new Promise((r) => setTimeout(r, 35_000));
    const client = await trader(stack, 4);
    const quote = await client.requestQuote({ series: atmCall(), side: "buy", amount: parseUnits("0.5", 18) });
    expect(quote.validUntil - (await now(stack))).to.be.greaterThan(25);
    expect((await client.execute(quote)).status).to.equal("filled");
    const r = await cliJson<{ fill: { status: string } }>(
      stack,
      ["rfq", "--series", quote.instrument, "--side", "buy", "--amount", "0.5", "--execute"],
      { PRIVATE_KEY: key(4) },
    );
    expect(r.fill.status).to.equal("filled");
  });

  it("Trader 4: sells to close what it holds, and writes (sells to open) with collateral", async () => {
    const client = await trader(stack, 5);
    const close = await client.execute(
      await client.requestQuote({ series: atmCall(), side: "sellToClose", amount: parseUnits("1", 18) }),
    );
    expect(close.status).to.equal("filled");
    const open = await client.execute(
      await client.requestQuote({ series: atmCall(), side: "sellToOpen", amount: parseUnits("1", 18) }),
    );
    expect(open.status).to.equal("filled");
    const shorts = await reader(stack).readContract({
      address: deploymentOf(stack).contracts.ledger,
      abi: optionLedgerAbi,
      functionName: "shortBalanceOf",
      args: [client.address, atmCall()],
    });
    expect(shorts).to.equal(parseUnits("1", 18));
  });

  it("Trader 6: cancels an outstanding signed order by invalidating its nonce", async () => {
    const client = await trader(stack, 6);
    const quote = await client.requestQuote({ series: atmCall(), side: "buy", amount: parseUnits("1", 18) });
    const signed = await client.signOrder(quote);
    // The nonce is invalidated on chain before the order reaches the solver: it can never fill.
    const tx = await client.invalidateNonce(signed.intent.nonce);
    expect(tx).to.match(/^0x[0-9a-f]{64}$/);
    const refused = await client.submitOrder(signed).catch((e: unknown) => e);
    expect((refused as SdkError).code).to.equal(ErrorCode.NonceUsed);
    // And an order already accepted: cancel asks the solver and invalidates on chain.
    const other = await client.requestQuote({ series: atmCall(), side: "buy", amount: parseUnits("1", 18) });
    const hash = await client.submitOrder(await client.signOrder(other));
    const cancelled = await client.cancel(hash).catch((e: unknown) => e);
    const final = await eventually(async () => {
      const o = await client.order(hash);
      return o.status === "accepted" || o.status === "submitted" ? undefined : o;
    });
    // Either the solver took it back (cancelled) or it was already on its way: then the chain refused it, or
    // it filled before the cancel and the SDK says so with ORDER_NOT_CANCELLABLE.
    if (final.status === "filled") expect((cancelled as SdkError).code).to.equal(ErrorCode.OrderNotCancellable);
    else {
      expect(final.status === "cancelled" || final.error?.code === ErrorCode.NonceUsed).to.equal(true);
      expect((cancelled as { txHash: string }).txHash).to.match(/^0x/);
    }
  });

  it("Trader 7: every refusal says why, with a code the SDK exposes", async () => {
    const client = await trader(stack, 7);
    const code = async (p: Promise<unknown>) => ((await p.catch((e: unknown) => e)) as SdkError).code;
    // Series unknown.
    expect(await code(client.requestQuote({ series: "ETH-1JAN20-3000-C", side: "buy", amount: 1n }))).to.equal(
      ErrorCode.SeriesUnknown,
    );
    // Limit too tight: an order signing less than the quoted premium.
    const quote = await client.requestQuote({ series: atmCall(), side: "buy", amount: parseUnits("1", 18) });
    const tight = await client.signOrder({
      ...quote,
      limitPremium: { ...quote.limitPremium, raw: quote.premium.raw - 1n },
    });
    expect(await code(client.submitOrder(tight))).to.equal(ErrorCode.QuoteMismatch);
    // Expired quote: the chain moves past its validity.
    const stale = await client.requestQuote({ series: atmCall(), side: "buy", amount: parseUnits("1", 18) });
    await travelTo(stack, stale.validUntil + 1);
    expect(await code(client.submitOrder(await client.signOrder(stale)))).to.equal(ErrorCode.QuoteExpired);
    // Balance and approvals missing.
    const poor = await trader(stack, UNAPPROVED_TRADER);
    expect(await code(poor.requestQuote({ series: atmCall(), side: "buy", amount: parseUnits("1", 18) }))).to.equal(
      ErrorCode.AllowanceMissing,
    );
    expect(
      await code(poor.requestQuote({ series: atmCall(), side: "sellToClose", amount: parseUnits("1", 18) })),
    ).to.equal(ErrorCode.InsufficientBalance);
    // Solver paused.
    await cli(stack, ["pause"]);
    expect(await code(client.requestQuote({ series: atmCall(), side: "buy", amount: parseUnits("1", 18) }))).to.equal(
      ErrorCode.SolverPaused,
    );
    await cli(stack, ["resume"]);
    // Rate limited: more than the per-requester burst (200) at once, signed ahead and sent together.
    const account = privateKeyToAccount(key(7));
    const d = deploymentOf(stack);
    const chainTime = await now(stack);
    const bodies = await Promise.all(
      Array.from({ length: 260 }, async (_, i) => {
        const message = {
          requester: account.address,
          seriesId: atmCall(),
          side: 0,
          amount: 10n ** 17n,
          nonce: 10_000n + BigInt(i),
          expiry: BigInt(chainTime + 60),
        } as const;
        const signature = await account.signTypedData({
          domain: rfqDomain(d.chainId, d.contracts.settlement),
          types: quoteRequestTypes,
          primaryType: "QuoteRequest",
          message,
        });
        return JSON.stringify(rfqBody(d.chainId, message, signature));
      }),
    );
    const answers = await Promise.all(
      bodies.map(async (body) => {
        const res = await fetch(`${stack.api}/v1/rfq`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
        return ((await res.json()) as { error?: { code: string } }).error?.code;
      }),
    );
    expect(answers).to.include(ErrorCode.RateLimited);
  });

  it("Trader 9: names instruments the way traders do and reads amounts in units with their symbol", async () => {
    const client = await trader(stack, 4);
    const name = (await client.seriesInfo(atmCall())).instrument;
    expect(name).to.match(/^ETH-\d{1,2}[A-Z]{3}\d{2}-3000-C$/);
    await new Promise((r) => setTimeout(r, 1_100));
    const r = await cli(stack, ["rfq", "--series", name, "--side", "buy", "--amount", "1.5"], { PRIVATE_KEY: key(4) });
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.include(name);
    expect(r.out).to.match(/premium\s*│\s*0\.\d+ WETH/);
    expect(r.out).to.match(/AMM would charge\s*│\s*0\.\d+ WETH/);
    expect(r.out).to.not.match(/\d{15,}/);
  });

  it("Trader 10: trades from a Safe (2-of-3) with the same SDK calls", async () => {
    const d = deploymentOf(stack);
    const chain = chainFor(d.chainId);
    const deployer = createWalletClient({
      account: privateKeyToAccount(key(0)),
      chain,
      transport: http(stack.node.url),
    });
    const client = reader(stack);
    const infra = await deploySafeInfrastructure(deployer, client);
    const owners = [10, 11, 12].map((i) => privateKeyToAccount(devKey(i)));
    const safe = await createSafe(
      deployer,
      client,
      infra,
      owners.map((o) => o.address),
      2,
    );
    // Funded before it asks: the faucet's transaction mined, so the solver's view of the Safe's balance
    // (followed block by block) has it; without the wait the quote could see 0 WETH.
    await client.waitForTransactionReceipt({
      hash: await deployer.writeContract({
        address: d.contracts.weth,
        abi: erc20Abi,
        functionName: "faucet",
        args: [safe, parseUnits("5", 18)],
      }),
    });
    const wallet = safeWallet({
      safe,
      owners: [owners[2]!, owners[0]!].map((o) =>
        viemWallet(createWalletClient({ account: o, chain, transport: http(stack.node.url) })),
      ),
      chainId: d.chainId,
      publicClient: client,
    });
    const sdk = await InternalizerClient.connect(stack.api, wallet);
    const quote = await sdk.requestQuote({
      series: atmCall(),
      side: "buy",
      amount: parseUnits("0.5", 18),
      approve: "needed",
    });
    expect((await sdk.execute(quote)).status).to.equal("filled");
    expect(await optionsHeld(safe, atmCall())).to.equal(parseUnits("0.5", 18));
    // The Safe proves itself with an EIP-1271 Access signature to list its orders.
    const orders = await sdk.orders();
    expect(orders[0]!.user).to.equal(safe);
  });

  after(async () => {
    // Trader 7 moved the clock; leave a market the next journeys can trade.
    await freshMarket(stack);
  });
});
