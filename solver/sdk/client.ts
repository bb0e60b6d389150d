import { randomBytes } from "node:crypto";
import { type Address, getAddress, type Hex, recoverTypedDataAddress, zeroAddress } from "viem";
import { z } from "zod";
import { type Intent, intentTypes, Side, settlementDomain } from "../chain/intent.js";
import { quoteRequestTypes, ROUTE_CODE, rfqBody, rfqDomain, signedQuoteTypes } from "../chain/rfq.js";
import { SIDE_CODE, type TradeSide } from "../types.js";
import type { WalletAdapter } from "./wallets.js";

/** An error the SDK raises: the API's machine-readable code, its message, and the HTTP status if any. */
export class SdkError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "SdkError";
  }
}

/** A firm quote, verified to be signed by the solver. Amounts in base units. */
export interface Quote {
  quoteId: Hex;
  seriesId: bigint;
  side: TradeSide;
  amount: bigint;
  premiumAsset: Address;
  premium: bigint;
  /** What to sign as the limit: the premium plus the AMM leg's slippage bound. */
  limitPremium: bigint;
  route: "internal" | "amm" | "split";
  reason: string;
  validUntil: number;
  /** What the AMM would charge (buys) or pay (sells) for the same order. */
  ammReferencePremium: bigint;
  solver: Address;
  signature: Hex;
}

export interface OrderStatus {
  orderHash: Hex;
  status: "accepted" | "submitted" | "filled" | "failed";
  txHash: Hex | null;
  error: string | null;
}

const big = z.string().regex(/^\d+$/).transform(BigInt);
const hex = z
  .string()
  .regex(/^0x[0-9a-fA-F]*$/)
  .transform((v) => v as Hex);
const addr = z.string().transform((v) => getAddress(v));
const Health = z.object({ chainId: z.number(), settlement: addr, solver: addr, status: z.string() });
const QuoteResponse = z.discriminatedUnion("status", [
  z.object({
    status: z.literal("quoted"),
    solver: addr,
    signature: hex,
    quote: z.object({
      quoteId: hex,
      seriesId: big,
      side: z.enum(["buy", "sellToClose", "sellToOpen"]),
      amount: big,
      premiumAsset: addr,
      premium: big,
      limitPremium: big,
      route: z.enum(["internal", "amm", "split"]),
      reason: z.string(),
      validUntil: z.number(),
      ammReferencePremium: big,
    }),
  }),
  z.object({ status: z.literal("declined"), code: z.string(), message: z.string() }),
]);
const Order = z.object({
  orderHash: hex,
  status: z.enum(["accepted", "submitted", "filled", "failed"]),
  txHash: hex.nullable(),
  error: z.string().nullable(),
});
const ApiErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/**
 * A wallet's client for the RFQ API: ask for a firm quote, check the solver signed it, sign the intent,
 * submit it, and wait for the fill. Works with any WalletAdapter (viem, ethers, an EIP-1271 wallet).
 *
 * @example
 *   const client = await InternalizerClient.connect("http://127.0.0.1:8787", viemWallet(walletClient));
 *   const quote = await client.requestQuote({ seriesId, side: "buy", amount: 10n ** 18n });
 *   const filled = await client.execute(quote);
 */
export class InternalizerClient {
  private constructor(
    readonly url: string,
    readonly wallet: WalletAdapter,
    readonly chainId: number,
    readonly settlement: Address,
    readonly solver: Address,
    readonly fetchImpl: typeof fetch,
  ) {}

  static async connect(
    url: string,
    wallet: WalletAdapter,
    fetchImpl: typeof fetch = fetch,
  ): Promise<InternalizerClient> {
    const health = Health.parse(await json(fetchImpl, `${url}/v1/health`));
    return new InternalizerClient(url, wallet, health.chainId, health.settlement, health.solver, fetchImpl);
  }

  /** Live series with the solver's and the AMM's indicative prices for one option. */
  async series(): Promise<unknown> {
    return json(this.fetchImpl, `${this.url}/v1/series`);
  }

  /** Asks for a firm quote; throws SdkError with the decline's reason code if the solver declines. */
  async requestQuote(req: { seriesId: bigint; side: TradeSide; amount: bigint; expiresIn?: number }): Promise<Quote> {
    const expiry = BigInt(Math.floor(Date.now() / 1000) + (req.expiresIn ?? 60));
    const nonce = randomNonce();
    const message = {
      requester: this.wallet.address,
      seriesId: req.seriesId,
      side: SIDE_CODE[req.side],
      amount: req.amount,
      nonce,
      expiry,
    };
    const signature = await this.wallet.signTypedData({
      domain: rfqDomain(this.chainId, this.settlement),
      types: quoteRequestTypes,
      primaryType: "QuoteRequest",
      message,
    });
    const body = rfqBody(this.chainId, message, signature);
    const answer = QuoteResponse.parse(await json(this.fetchImpl, `${this.url}/v1/rfq`, body));
    if (answer.status === "declined") throw new SdkError(answer.code, answer.message);
    const q = answer.quote;
    const signer = await recoverTypedDataAddress({
      domain: rfqDomain(this.chainId, this.settlement),
      types: signedQuoteTypes,
      primaryType: "Quote",
      message: {
        quoteId: q.quoteId,
        requester: this.wallet.address,
        seriesId: q.seriesId,
        side: SIDE_CODE[q.side],
        amount: q.amount,
        premium: q.premium,
        limitPremium: q.limitPremium,
        route: ROUTE_CODE[q.route],
        validUntil: BigInt(q.validUntil),
        ammReferencePremium: q.ammReferencePremium,
      },
      signature: answer.signature,
    });
    if (signer !== this.solver) throw new SdkError("QUOTE_SIGNATURE_INVALID", "the quote is not signed by the solver");
    return { ...q, solver: answer.solver, signature: answer.signature };
  }

  /** Signs the intent that accepts `quote`: the quote's limit, a fresh nonce, valid until the quote is. */
  async signOrder(
    quote: Quote,
    opts: { recipient?: Address; nonce?: bigint } = {},
  ): Promise<{ intent: Intent; signature: Hex }> {
    const intent: Intent = {
      user: this.wallet.address,
      seriesId: quote.seriesId,
      side: { buy: Side.Buy, sellToClose: Side.SellToClose, sellToOpen: Side.SellToOpen }[quote.side],
      amount: quote.amount,
      limitPremium: quote.limitPremium,
      deadline: BigInt(quote.validUntil),
      nonce: opts.nonce ?? randomNonce(),
      recipient: opts.recipient ?? this.wallet.address,
      exclusiveSolver: zeroAddress,
      quoteId: quote.quoteId,
    };
    const signature = await this.wallet.signTypedData({
      domain: settlementDomain(this.chainId, this.settlement),
      types: intentTypes,
      primaryType: "Intent",
      message: intent,
    });
    return { intent, signature };
  }

  /** Submits a signed intent; returns its order hash. */
  async submitOrder(signed: { intent: Intent; signature: Hex }): Promise<Hex> {
    const i = signed.intent;
    const body = {
      intent: {
        ...Object.fromEntries(Object.entries(i).map(([k, v]) => [k, typeof v === "bigint" ? String(v) : v])),
        side: (["buy", "sellToClose", "sellToOpen"] as const)[i.side],
      },
      signature: signed.signature,
    };
    const answer = z.object({ orderHash: hex }).parse(await json(this.fetchImpl, `${this.url}/v1/orders`, body));
    return answer.orderHash;
  }

  async order(orderHash: Hex): Promise<OrderStatus> {
    return Order.parse(await json(this.fetchImpl, `${this.url}/v1/orders/${orderHash}`));
  }

  /** Polls until the order is filled (returned) or failed (thrown, with the reason code). */
  async waitForFill(orderHash: Hex, opts: { timeoutMs?: number; pollMs?: number } = {}): Promise<OrderStatus> {
    const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
    for (;;) {
      const o = await this.order(orderHash);
      if (o.status === "filled") return o;
      if (o.status === "failed")
        throw new SdkError(o.error?.split(":")[0] ?? "ORDER_FAILED", o.error ?? "order failed", undefined, o);
      if (Date.now() > deadline) throw new SdkError("TIMEOUT", `order ${orderHash} not settled in time`, undefined, o);
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 250));
    }
  }

  /** Signs, submits and waits for a quote's fill. */
  async execute(quote: Quote, opts: { recipient?: Address; timeoutMs?: number } = {}): Promise<OrderStatus> {
    const orderHash = await this.submitOrder(await this.signOrder(quote, opts));
    return this.waitForFill(orderHash, opts);
  }
}

/** A random 64-bit nonce: unordered nonces only need to be unique per wallet. */
export function randomNonce(): bigint {
  return BigInt(`0x${randomBytes(8).toString("hex")}`);
}

async function json(fetchImpl: typeof fetch, url: string, body?: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetchImpl(
      url,
      body === undefined
        ? {}
        : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
    );
  } catch (cause) {
    throw new SdkError("UNREACHABLE", `cannot reach ${url}: ${String(cause)}`);
  }
  const data: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const parsed = ApiErrorBody.safeParse(data);
    if (parsed.success)
      throw new SdkError(parsed.data.error.code, parsed.data.error.message, res.status, parsed.data.error.details);
    throw new SdkError("HTTP_ERROR", `HTTP ${res.status}`, res.status);
  }
  return data;
}
