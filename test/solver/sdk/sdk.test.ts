import { expect } from "chai";
import { build } from "esbuild";
import { Wallet } from "ethers";
import { network } from "hardhat";
import { type Address, createWalletClient, custom, decodeFunctionData, parseUnits } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { devKey } from "../../../scripts/lib/accounts.js";
import { UNAPPROVED_TRADER } from "../../../scripts/lib/devnet.js";
import { erc20Abi, optionLedgerAbi, optionSettlementAbi } from "../../../solver/chain/abis.js";
import { chainFor } from "../../../solver/chain/clients.js";
import { cancelOrderTypes, rfqDomain } from "../../../solver/chain/rfq.js";
import { ErrorCode } from "../../../solver/errors.js";
import {
  contractWallet,
  ethersWallet,
  InternalizerClient,
  SdkError,
  safeWallet,
  viemWallet,
  type WalletAdapter,
} from "../../../solver/sdk/index.js";
import { type ApiFixture, apiFixture } from "../../support/apiFixture.js";
import { createSafe, deploySafeInfrastructure, type SafeDeployment } from "../../support/safe.js";

const connection = await network.create();

describe("SDK", function () {
  this.timeout(300_000);
  let f: ApiFixture;
  let safes: SafeDeployment;
  before(async () => {
    f = await apiFixture(connection);
    safes = await deploySafeInfrastructure(f.walletFor(0), f.publicClient);
  });
  after(() => f.close());

  const series = () => f.seed.series[4]!;
  const optionsOf = (who: Address, id = series()) =>
    f.publicClient.readContract({
      address: f.seed.deployment.contracts.ledger,
      abi: optionLedgerAbi,
      functionName: "balanceOf",
      args: [who, id],
    });
  const ownerAdapter = (index: number) => viemWallet(f.walletFor(index));

  async function safeTrader(owners: number[], threshold: number, signers: number[]) {
    const safe = await createSafe(
      f.walletFor(0),
      f.publicClient,
      safes,
      owners.map((i) => privateKeyToAccount(devKey(i)).address),
      threshold,
    );
    // The Safe holds WETH; it gives its approvals through the SDK itself.
    const weth = f.seed.deployment.contracts.weth;
    await f.walletFor(0).writeContract({
      address: weth,
      abi: erc20Abi,
      functionName: "faucet",
      args: [safe, parseUnits("10", 18)],
      chain: null,
    } as never);
    const wallet = safeWallet({
      safe,
      owners: signers.map(ownerAdapter),
      chainId: f.seed.deployment.chainId,
      publicClient: f.publicClient,
    });
    return { safe, wallet };
  }

  for (const [name, owners, threshold, signers] of [
    ["a 1-of-1 Safe 1.4.1", [10], 1, [10]],
    ["a 2-of-3 Safe 1.4.1", [11, 12, 13], 2, [13, 11]],
  ] as Array<[string, number[], number, number[]]>) {
    it(`trades from ${name} with the SDK alone: approves, requests, signs, fills, and holds the option`, async () => {
      const { safe, wallet } = await safeTrader(owners, threshold, signers);
      const client = await InternalizerClient.connect(f.url, wallet);
      expect(client.address).to.equal(safe);
      // No allowance yet: the decline names the approval, the SDK sends it through the Safe, and asks again.
      const refused = await client
        .requestQuote({ series: series(), side: "buy", amount: 10n ** 17n })
        .catch((e: unknown) => e);
      expect((refused as SdkError).code).to.equal(ErrorCode.AllowanceMissing);
      const quote = await client.requestQuote({ series: series(), side: "buy", amount: 10n ** 17n, approve: "needed" });
      const filled = await client.execute(quote);
      expect(filled.status).to.equal("filled");
      expect(await optionsOf(safe)).to.equal(10n ** 17n);
    });
  }

  it("refuses a Safe signature made by too few owners", async () => {
    const { wallet } = await safeTrader([14, 15, 16], 2, [14]);
    const client = await InternalizerClient.connect(f.url, wallet);
    const error = await client
      .requestQuote({ series: series(), side: "buy", amount: 10n ** 17n })
      .catch((e: unknown) => e);
    expect((error as SdkError).code).to.equal(ErrorCode.SignatureInvalid);
  });

  it("approves what a decline asks for from a wallet that has given no approval, then fills", async () => {
    const client = await InternalizerClient.connect(f.url, ownerAdapter(UNAPPROVED_TRADER));
    const sent: Array<{ call: string; txHash: string }> = [];
    const quote = await client.requestQuote({
      series: series(),
      side: "buy",
      amount: 10n ** 17n,
      approve: "needed",
      onApproval: (a) => sent.push(a),
    });
    // onApproval reports the call as sent: the allowance in the transaction's calldata.
    const tx = await f.publicClient.getTransaction({ hash: sent[0]!.txHash as `0x${string}` });
    const { args } = decodeFunctionData({ abi: erc20Abi, data: tx.input });
    expect(sent[0]!.call).to.equal(`approve(${f.seed.deployment.contracts.settlement}, ${args![1]})`);
    expect((await client.execute(quote)).status).to.equal("filled");
    const allowance = await f.publicClient.readContract({
      address: f.seed.deployment.contracts.weth,
      abi: erc20Abi,
      functionName: "allowance",
      args: [client.address, f.seed.deployment.contracts.settlement],
    });
    // It approved what the fill needed plus 1%, not an unlimited allowance: what is left is under 2% of it.
    expect(allowance * 50n).to.be.lessThan(quote.limitPremium.raw);
  });

  it("names the quoting solver as the order's exclusive solver, and signs the quote's validity as its deadline", async () => {
    const client = await InternalizerClient.connect(f.url, ownerAdapter(5));
    const quote = await client.requestQuote({ series: series(), side: "buy", amount: 10n ** 17n });
    const { intent } = await client.signOrder(quote);
    expect(intent.exclusiveSolver).to.equal(f.engine.solver);
    expect(intent.deadline).to.equal(BigInt(quote.validUntil));
  });

  it("takes an ethers Signer without an await, and lists the wallet's orders with an Access signature", async () => {
    const client = await InternalizerClient.connect(f.url, ethersWallet(new Wallet(devKey(6))));
    const quote = await client.requestQuote({
      series: series(),
      side: "buy",
      amount: 10n ** 17n,
    });
    const filled = await client.execute(quote);
    const orders = await client.orders();
    expect(orders.map((o) => o.orderHash)).to.include(filled.orderHash);
    expect(orders.every((o) => o.user === client.address)).to.equal(true);
  });

  it("types series() and takes instrument names wherever it takes ids", async () => {
    const client = await InternalizerClient.connect(f.url, ownerAdapter(7));
    const list = await client.series();
    const one = list.find((s) => s.seriesId === series())!;
    expect(one.instrument).to.match(/^ETH-\d{1,2}[A-Z]{3}\d{2}-3000-C$/);
    expect(typeof one.ask.raw).to.equal("bigint");
    const byName = await client.requestQuote({ series: one.instrument, side: "buy", amount: 10n ** 17n });
    expect(byName.seriesId).to.equal(series());
    const unknown = await client
      .requestQuote({ series: "ETH-1JAN20-3000-C", side: "buy", amount: 1n })
      .catch((e: unknown) => e);
    expect((unknown as SdkError).code).to.equal(ErrorCode.SeriesUnknown);
  });

  it("exports the error codes, and every SdkError's code is one of them or the SDK's own", async () => {
    const { ErrorCode: exported } = await import("../../../solver/sdk/index.js");
    expect(exported.QuoteExpired).to.equal("QUOTE_EXPIRED");
    const client = await InternalizerClient.connect(f.url, ownerAdapter(7));
    const error = await client.order(`0x${"ab".repeat(32)}`).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(SdkError);
    expect((error as SdkError).code).to.equal(exported.OrderUnknown);
  });

  it("refuses an amount that is not positive (SIZE_INVALID) or an unknown side (INVALID_REQUEST) before signing", async () => {
    let signed = 0;
    const wallet = viemWallet(f.walletFor(9));
    const counting = {
      ...wallet,
      signTypedData: (r: Parameters<typeof wallet.signTypedData>[0]) => {
        signed++;
        return wallet.signTypedData(r);
      },
    };
    const client = await InternalizerClient.connect(f.url, counting);
    const series = f.seed.series[4]!;
    const codeOf = (p: Promise<unknown>) =>
      p.then(
        () => "resolved",
        (e: SdkError) => [e.constructor.name, e.code],
      );
    expect(await codeOf(client.requestQuote({ series, side: "buy", amount: -1n }))).to.deep.equal([
      "SdkError",
      ErrorCode.SizeInvalid,
    ]);
    expect(await codeOf(client.requestQuote({ series, side: "buy", amount: 0n }))).to.deep.equal([
      "SdkError",
      ErrorCode.SizeInvalid,
    ]);
    expect(await codeOf(client.requestQuote({ series, side: "short" as never, amount: 1n }))).to.deep.equal([
      "SdkError",
      ErrorCode.InvalidRequest,
    ]);
    expect(signed).to.equal(0);
  });

  describe("cancelling", () => {
    let quiet: ApiFixture;
    before(async () => {
      quiet = await apiFixture(await network.create(), {}, { tick: false });
    });
    after(() => quiet.close());

    it("cancels an order the solver has not sent: the solver drops it and the nonce is invalidated on chain", async () => {
      const wallet = viemWallet(quiet.walletFor(4));
      const client = await InternalizerClient.connect(quiet.url, wallet);
      const quote = await client.requestQuote({ series: quiet.seed.series[4]!, side: "buy", amount: 10n ** 17n });
      const signed = await client.signOrder(quote);
      const orderHash = await client.submitOrder(signed);
      const { solver, txHash } = await client.cancel(orderHash);
      expect(solver instanceof SdkError ? solver.code : solver.status).to.equal("cancelled");
      expect(txHash).to.match(/^0x[0-9a-f]{64}$/);
      const used = await quiet.publicClient.readContract({
        address: quiet.seed.deployment.contracts.settlement,
        abi: optionSettlementAbi,
        functionName: "isNonceUsed",
        args: [client.address, signed.intent.nonce],
      });
      expect(used).to.equal(true);
      await quiet.engine.tick();
      const order = await client.order(orderHash);
      expect([order.status, order.error?.code]).to.deep.equal(["cancelled", ErrorCode.OrderCancelled]);
      expect(order.trail!.map((e) => e.status)).to.deep.equal(["accepted", "cancelled"]);
    });

    it("refuses a cancel not signed by the order's user, in the SDK and in the API", async () => {
      const client = await InternalizerClient.connect(quiet.url, viemWallet(quiet.walletFor(5)));
      const quote = await client.requestQuote({ series: quiet.seed.series[4]!, side: "buy", amount: 10n ** 17n });
      const orderHash = await client.submitOrder(await client.signOrder(quote));
      const intruder = await InternalizerClient.connect(quiet.url, viemWallet(quiet.walletFor(6)));
      const refused = await intruder.cancel(orderHash).catch((e: unknown) => e);
      expect((refused as SdkError).code).to.equal(ErrorCode.SignatureInvalid);
      // Straight to the API, signed by the intruder: refused too.
      const d = quiet.seed.deployment;
      const signature = await privateKeyToAccount(devKey(6)).signTypedData({
        domain: rfqDomain(d.chainId, d.contracts.settlement),
        types: cancelOrderTypes,
        primaryType: "CancelOrder",
        message: { orderHash },
      });
      const res = await fetch(`${quiet.url}/v1/orders/${orderHash}/cancel`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ signature }),
      });
      expect([res.status, ((await res.json()) as { error: { code: string } }).error.code]).to.deep.equal([
        401,
        ErrorCode.SignatureInvalid,
      ]);
      expect((await client.order(orderHash)).status).to.equal("accepted");
    });

    it("never resolves a cancel for an order that fills meanwhile: ORDER_NOT_CANCELLABLE, with the fill's transaction", async () => {
      const wallet = viemWallet(quiet.walletFor(8));
      // The solver sends (and the chain fills) the order while the cancel is on its way to it.
      const racing: typeof fetch = async (input, init) => {
        if (String(input).endsWith("/cancel")) await quiet.engine.tick();
        return fetch(input, init);
      };
      const client = await InternalizerClient.connect(quiet.url, wallet, racing);
      const quote = await client.requestQuote({ series: quiet.seed.series[4]!, side: "buy", amount: 10n ** 17n });
      const orderHash = await client.submitOrder(await client.signOrder(quote));
      const refused = (await client.cancel(orderHash).catch((e: unknown) => e)) as SdkError;
      expect([refused.code, refused.message]).to.deep.equal([
        ErrorCode.OrderNotCancellable,
        "the order filled before the cancel took effect",
      ]);
      const details = refused.details as { status: string; txHash: string; invalidationTxHash: string | null };
      expect(details.status).to.equal("filled");
      expect(details.txHash).to.match(/^0x[0-9a-f]{64}$/);
      expect(details.invalidationTxHash).to.equal(null);
    });

    it("refuses to call back an order already sent, and a failed nonce shows as NONCE_USED", async () => {
      const client = await InternalizerClient.connect(quiet.url, viemWallet(quiet.walletFor(7)));
      const quote = await client.requestQuote({ series: quiet.seed.series[4]!, side: "buy", amount: 10n ** 17n });
      const signed = await client.signOrder(quote);
      const orderHash = await client.submitOrder(signed);
      // The user invalidates the nonce on chain only: the solver checks before it sends, and spends no gas.
      await client.invalidateNonce(signed.intent.nonce);
      await quiet.engine.tick();
      const order = await client.order(orderHash);
      expect([order.status, order.error?.code]).to.deep.equal(["failed", ErrorCode.NonceUsed]);
      const refused = await client.cancel(orderHash).catch((e: unknown) => e);
      expect((refused as SdkError).code).to.equal(ErrorCode.OrderNotCancellable);
    });
  });

  it("trades from a plain EIP-1271 contract wallet whose owner signs the digest", async () => {
    const owner = privateKeyToAccount(devKey(8));
    const wallet = await connection.viem.deployContract("MockERC1271Wallet", [owner.address]);
    await f.walletFor(0).writeContract({
      address: f.seed.deployment.contracts.weth,
      abi: erc20Abi,
      functionName: "faucet",
      args: [wallet.address, parseUnits("1", 18)],
      chain: null,
    } as never);
    const client = await InternalizerClient.connect(f.url, contractWallet(wallet.address, ownerAdapter(8)));
    const quote = await client.requestQuote({
      series: series(),
      side: "buy",
      amount: 10n ** 17n,
      approve: "unlimited",
    });
    expect((await client.execute(quote)).status).to.equal("filled");
    expect(await optionsOf(wallet.address)).to.equal(10n ** 17n);
  });

  it("trades from an EOA with an EIP-7702 delegation: its plain ECDSA signature is accepted, by the API and on chain", async () => {
    const eoa = privateKeyToAccount(devKey(8));
    // Delegated to a contract whose isValidSignature would refuse the EOA's own signature (its owner is another key).
    const delegate = await connection.viem.deployContract("MockERC1271Wallet", [
      privateKeyToAccount(devKey(3)).address,
    ]);
    const eoaWallet = f.walletFor(8);
    const authorization = await eoaWallet.signAuthorization({
      account: eoa,
      contractAddress: delegate.address,
      executor: "self",
    });
    await eoaWallet.sendTransaction({
      account: eoa,
      chain: null,
      to: privateKeyToAccount(devKey(0)).address,
      authorizationList: [authorization],
    } as never);
    const code = await f.publicClient.getCode({ address: eoa.address });
    expect(code?.startsWith("0xef0100")).to.equal(true);
    const client = await InternalizerClient.connect(f.url, viemWallet(eoaWallet));
    const quote = await client.requestQuote({ series: series(), side: "buy", amount: 10n ** 17n });
    expect((await client.execute(quote)).status).to.equal("filled");
  });

  it("bundles for the browser: no Node built-ins, one ES module", async () => {
    const out = await build({
      entryPoints: ["solver/sdk/index.ts"],
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      minify: true,
      logLevel: "silent",
    });
    const code = out.outputFiles[0]!.text;
    expect(code).to.not.match(/from\s*"node:|require\("node:/);
    expect(code.length).to.be.greaterThan(1000);
  });

  it("surfaces an unreachable API as API_UNAVAILABLE", async () => {
    const unused: WalletAdapter = viemWallet(
      createWalletClient({
        account: privateKeyToAccount(devKey(4)),
        chain: chainFor(31337),
        transport: custom({ request: async () => null }),
      }),
    );
    const error = await InternalizerClient.connect("http://127.0.0.1:1", unused).catch((e: unknown) => e);
    expect((error as SdkError).code).to.equal(ErrorCode.ApiUnavailable);
  });
});
