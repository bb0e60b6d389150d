import {
  type Address,
  encodeFunctionData,
  type Hex,
  isAddressEqual,
  maxUint256,
  parseAbi,
  recoverTypedDataAddress,
} from "viem";
import { type Intent, intentForQuote, intentJson, intentTypes, settlementDomain } from "../chain/intent.js";
import {
  accessTypes,
  cancelOrderTypes,
  MAX_ACCESS_SECONDS,
  quoteRequestTypes,
  rfqBody,
  rfqDomain,
  signedQuoteMessage,
  signedQuoteTypes,
} from "../chain/rfq.js";
import { isTradeSide, SIDES, sideCode, type TradeSide } from "../domain/side.js";
import { ErrorCode } from "../errors.js";
import {
  Amount,
  ApiErrorBody,
  Health,
  type Order,
  OrderJson,
  type QuoteFields,
  QuoteResponse,
  type Series,
  SeriesJson,
  SeriesList,
} from "./schemas.js";
import type { TxRequest, WalletAdapter } from "./wallets.js";

/** Every code the SDK raises: the API's refusal codes (the ErrorCode union) and the SDK's own. */
export type SdkErrorCode = ErrorCode | "HTTP_ERROR" | "QUOTE_SIGNATURE_INVALID" | "TIMEOUT" | "WALLET_CANNOT_SEND";

/** An error the SDK raises: the API's machine-readable code, its message, and the HTTP status if any. */
export class SdkError extends Error {
  constructor(
    readonly code: SdkErrorCode,
    message: string,
    readonly status?: number,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "SdkError";
  }
}

/** A firm quote, verified to be signed by the solver. Field names as the API's; amounts' `raw` in base units. */
export type Quote = QuoteFields & { solver: Address; signature: Hex };

/** A signed order ready to submit. */
export interface SignedOrder {
  intent: Intent;
  signature: Hex;
}

/** How much to approve when a quote needs an allowance: what the fill needs (plus 1% for price moves), or all. */
export type ApproveMode = "needed" | "unlimited";

/** A transaction a decline asked for (the API's `details.approvals[]`). */
interface ApprovalTx {
  code: string;
  to: Address;
  data: Hex;
  call: string;
  spender: Address;
  needed?: { raw: string };
}

/**
 * A wallet's client for the RFQ API: ask for a firm quote, check the solver signed it, approve what the fill
 * needs, sign the order, submit it, and follow it to the fill; cancel orders and list them. Works with any
 * WalletAdapter: viem, ethers, a Safe, or another EIP-1271 wallet. Runs in Node and in browsers (fetch,
 * WebCrypto, no Node built-ins).
 *
 * @example
 *   const client = await InternalizerClient.connect("http://127.0.0.1:8787", viemWallet(walletClient));
 *   const quote = await client.requestQuote({ series: "ETH-7DEC26-3000-C", side: "buy", amount: 10n ** 18n });
 *   const filled = await client.execute(quote);
 */
export class InternalizerClient {
  #clockOffset: number;
  #access: { expiry: bigint; signature: Hex } | null = null;

  private constructor(
    readonly url: string,
    readonly wallet: WalletAdapter,
    readonly address: Address,
    readonly chainId: number,
    readonly settlement: Address,
    readonly solver: Address,
    chainTime: number,
    readonly fetchImpl: typeof fetch,
  ) {
    this.#clockOffset = chainTime - nowSeconds();
  }

  /** Connects a wallet (an adapter, or a promise of one) to a solver's API. */
  static async connect(
    url: string,
    wallet: WalletAdapter | Promise<WalletAdapter>,
    fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis),
  ): Promise<InternalizerClient> {
    const base = url.replace(/\/+$/, "");
    const w = await wallet;
    const health = Health.parse(await json(fetchImpl, `${base}/v1/health`));
    return new InternalizerClient(
      base,
      w,
      await w.getAddress(),
      health.chainId,
      health.settlement,
      health.solver,
      health.chainTime,
      fetchImpl,
    );
  }

  /** The chain's time as the solver last reported it, advanced by this machine's clock. */
  chainNow(): number {
    return nowSeconds() + this.#clockOffset;
  }

  /** Live series with the solver's and the AMM's indicative prices for one option. */
  async series(): Promise<Series[]> {
    const list = SeriesList.parse(await json(this.fetchImpl, `${this.url}/v1/series`));
    this.#clockOffset = list.chainTime - nowSeconds();
    return list.series;
  }

  /** One series by instrument name (ETH-7DEC26-3000-C) or id. */
  async seriesInfo(series: string | bigint): Promise<Series> {
    const body = (await json(this.fetchImpl, `${this.url}/v1/series/${encodeURIComponent(String(series))}`)) as {
      series: unknown;
    };
    return SeriesJson.parse(body.series);
  }

  /**
   * Asks for a firm quote; throws SdkError with the decline's code if the solver declines. With `approve`, a
   * decline for a missing allowance or approval is answered by sending what it asks for (the wallet must be
   * able to send) and asking once more.
   */
  async requestQuote(req: {
    series: string | bigint;
    side: TradeSide;
    amount: bigint;
    expiresIn?: number;
    approve?: ApproveMode;
    /** Told of each approval transaction `approve` sent, once mined. */
    onApproval?: (sent: { call: string; txHash: Hex }) => void;
  }): Promise<Quote> {
    try {
      return await this.#requestQuote(req);
    } catch (error) {
      const approvals = approvalsOf(error);
      if (!req.approve || !approvals) throw error;
      const hashes = await this.approve(approvals, req.approve);
      const mode = req.approve;
      for (const [i, txHash] of hashes.entries()) req.onApproval?.({ call: sentCall(approvals[i]!, mode), txHash });
      return this.#requestQuote(req);
    }
  }

  async #requestQuote(req: { series: string | bigint; side: TradeSide; amount: bigint; expiresIn?: number }) {
    checkRequest(req);
    const seriesId = typeof req.series === "bigint" ? req.series : (await this.seriesInfo(req.series)).seriesId;
    const attempt = async () => {
      const message = {
        requester: this.address,
        seriesId,
        side: sideCode(req.side),
        amount: req.amount,
        nonce: randomNonce(),
        expiry: BigInt(this.chainNow() + (req.expiresIn ?? 60)),
      };
      const signature = await this.wallet.signTypedData({
        domain: rfqDomain(this.chainId, this.settlement),
        types: quoteRequestTypes,
        primaryType: "QuoteRequest",
        message,
      });
      return QuoteResponse.parse(
        await json(this.fetchImpl, `${this.url}/v1/rfq`, rfqBody(this.chainId, message, signature)),
      );
    };
    let answer: Awaited<ReturnType<typeof attempt>>;
    try {
      answer = await attempt();
    } catch (error) {
      // The chain's clock may have moved (a devnet's time travel): adopt the solver's and ask once more.
      const chainTime = (error as SdkError).details as { chainTime?: number } | undefined;
      if (!(error instanceof SdkError) || typeof chainTime?.chainTime !== "number") throw error;
      this.#clockOffset = chainTime.chainTime - nowSeconds();
      answer = await attempt();
    }
    if (answer.status === "declined") throw new SdkError(answer.code as ErrorCode, answer.message, 200, answer.details);
    const q = answer.quote;
    await this.#checkSolverSignature(q, answer.solver, answer.signature);
    return { ...q, solver: answer.solver, signature: answer.signature };
  }

  /** The quote must be signed by this client's solver, over exactly what it promises. */
  async #checkSolverSignature(q: QuoteFields, solver: Address, signature: Hex): Promise<void> {
    const signer = await recoverTypedDataAddress({
      domain: rfqDomain(this.chainId, this.settlement),
      types: signedQuoteTypes,
      primaryType: "Quote",
      message: signedQuoteMessage({
        ...q,
        requester: this.address,
        amount: q.amount.raw,
        premium: q.premium.raw,
        limitPremium: q.limitPremium.raw,
        ammReferencePremium: q.ammReferencePremium.raw,
      }),
      signature,
    });
    if (!isAddressEqual(signer, this.solver) || !isAddressEqual(solver, this.solver)) {
      throw new SdkError("QUOTE_SIGNATURE_INVALID", "the quote is not signed by the solver");
    }
  }

  /**
   * Sends the approvals a decline asked for (its `details.approvals`), and waits for each. `needed` approves
   * what the fill needs plus 1%; `unlimited` approves the maximum.
   */
  async approve(approvals: readonly ApprovalTx[], mode: ApproveMode = "needed"): Promise<Hex[]> {
    const hashes: Hex[] = [];
    for (const a of approvals) {
      const amount = allowanceToSend(a, mode);
      const data =
        amount === null
          ? a.data
          : encodeFunctionData({ abi: APPROVE_ABI, functionName: "approve", args: [a.spender, amount] });
      hashes.push(await this.#send({ to: a.to, data }));
    }
    return hashes;
  }

  /** Signs the order that accepts `quote`: its limit, a fresh nonce, valid until the quote is, for its solver. */
  async signOrder(quote: Quote, opts: { recipient?: Address; nonce?: bigint } = {}): Promise<SignedOrder> {
    const intent = intentForQuote(
      { ...quote, amount: quote.amount.raw, limitPremium: quote.limitPremium.raw },
      {
        user: this.address,
        recipient: opts.recipient ?? this.address,
        nonce: opts.nonce ?? randomNonce(),
        solver: quote.solver,
      },
    );
    const signature = await this.wallet.signTypedData({
      domain: settlementDomain(this.chainId, this.settlement),
      types: intentTypes,
      primaryType: "Intent",
      message: intent,
    });
    return { intent, signature };
  }

  /** Submits a signed order; returns its order hash. */
  async submitOrder(signed: SignedOrder): Promise<Hex> {
    const body = { intent: intentJson(signed.intent), signature: signed.signature };
    const answer = (await json(this.fetchImpl, `${this.url}/v1/orders`, body)) as { orderHash: Hex };
    return answer.orderHash;
  }

  /** An order's status and audit trail (quote → accepted → submitted → filled or failed, in chain time). */
  async order(orderHash: Hex): Promise<Order> {
    return OrderJson.parse(await json(this.fetchImpl, `${this.url}/v1/orders/${orderHash}`));
  }

  /** The wallet's orders, newest first (signs an Access message once a day). */
  async orders(limit = 100): Promise<Order[]> {
    const access = await this.#accessProof();
    const body = (await json(this.fetchImpl, `${this.url}/v1/orders?user=${this.address}&limit=${limit}`, undefined, {
      authorization: `Access ${this.address}:${access.expiry}:${access.signature}`,
    })) as { orders: unknown[] };
    return body.orders.map((o) => OrderJson.parse(o));
  }

  /** The wallet's Access proof for the stream's account channel (signed once, reused until near expiry). */
  async accessProof(): Promise<{ account: Address; expiry: string; signature: Hex }> {
    const p = await this.#accessProof();
    return { account: this.address, expiry: p.expiry.toString(), signature: p.signature };
  }

  async #accessProof(): Promise<{ expiry: bigint; signature: Hex }> {
    if (this.#access && this.#access.expiry > BigInt(this.chainNow() + 60)) return this.#access;
    const expiry = BigInt(this.chainNow() + MAX_ACCESS_SECONDS - 300);
    const signature = await this.wallet.signTypedData({
      domain: rfqDomain(this.chainId, this.settlement),
      types: accessTypes,
      primaryType: "Access",
      message: { account: this.address, expiry },
    });
    this.#access = { expiry, signature };
    return this.#access;
  }

  /** Polls until the order is filled (returned) or failed or cancelled (thrown, with the reason's code). */
  async waitForFill(orderHash: Hex, opts: { timeoutMs?: number; pollMs?: number } = {}): Promise<Order> {
    const o = await this.#settled(orderHash, opts.timeoutMs ?? 60_000, opts.pollMs);
    if (o.status === "filled") return o;
    if (o.status === "failed" || o.status === "cancelled") {
      throw new SdkError(
        (o.error?.code ?? ErrorCode.SettlementFailed) as ErrorCode,
        o.error?.reason ?? o.status,
        undefined,
        o,
      );
    }
    throw new SdkError("TIMEOUT", `order ${orderHash} not settled in time`, undefined, o);
  }

  /** Signs, submits and waits for a quote's fill. */
  async execute(quote: Quote, opts: { recipient?: Address; timeoutMs?: number } = {}): Promise<Order> {
    const orderHash = await this.submitOrder(await this.signOrder(quote, opts));
    return this.waitForFill(orderHash, opts);
  }

  /**
   * Cancels an order: asks the solver not to send it (a signed CancelOrder), and, unless `onChain: false`,
   * invalidates its nonce on chain when the wallet can send, so that no one can fill it. Resolves only when
   * the order will not fill: the solver dropped it, or the invalidation landed and the order ended failed or
   * cancelled. Throws SdkError `ORDER_NOT_CANCELLABLE` when the order filled first (also when its settlement
   * transaction was already on its way), `SIGNATURE_INVALID` for another wallet's order. Returns the order as
   * it ended, the solver's answer (the order, or its refusal) and the invalidation's tx hash.
   */
  async cancel(
    orderHash: Hex,
    opts: { onChain?: boolean; timeoutMs?: number } = {},
  ): Promise<{ order: Order; solver: Order | SdkError; txHash: Hex | null }> {
    const order = await this.order(orderHash);
    if (order.user !== this.address) {
      throw new SdkError(ErrorCode.SignatureInvalid, "the order is another wallet's; only its user can cancel it");
    }
    const solver = await this.#askSolverToCancel(orderHash);
    if (!(solver instanceof SdkError) && solver.status === "cancelled") {
      const txHash =
        opts.onChain !== false && this.wallet.sendTransaction ? await this.invalidateNonce(order.nonce) : null;
      return { order: solver, solver, txHash };
    }
    // The solver's refusal carries the order's status as it refused: newer than the read above.
    const now = solver instanceof SdkError ? refusedOrder(solver, order) : solver;
    if (now.status === "filled") throw notCancellable(now, null);
    const open = now.status === "accepted" || now.status === "submitted";
    if (opts.onChain === false || !open || !this.wallet.sendTransaction) {
      throw solver instanceof SdkError ? solver : notCancellable(solver, null);
    }
    // The solver is already sending it: the nonce on chain decides which lands first.
    const txHash = await this.invalidateNonce(order.nonce);
    const ended = await this.#settled(orderHash, opts.timeoutMs ?? 30_000);
    if (ended.status === "filled") throw notCancellable(ended, txHash);
    return { order: ended, solver, txHash };
  }

  async #askSolverToCancel(orderHash: Hex): Promise<Order | SdkError> {
    const signature = await this.wallet.signTypedData({
      domain: rfqDomain(this.chainId, this.settlement),
      types: cancelOrderTypes,
      primaryType: "CancelOrder",
      message: { orderHash },
    });
    try {
      return OrderJson.parse(await json(this.fetchImpl, `${this.url}/v1/orders/${orderHash}/cancel`, { signature }));
    } catch (error) {
      if (!(error instanceof SdkError)) throw error;
      return error;
    }
  }

  /** The order once it is filled, failed or cancelled (or as it is when `timeoutMs` runs out). */
  async #settled(orderHash: Hex, timeoutMs: number, pollMs = 250): Promise<Order> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const o = await this.order(orderHash);
      if (o.status === "filled" || o.status === "failed" || o.status === "cancelled" || Date.now() > deadline) return o;
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  /** Invalidates one of the wallet's order nonces on chain (the settlement's Permit2-style bitmap). */
  async invalidateNonce(nonce: bigint): Promise<Hex> {
    return this.#send({
      to: this.settlement,
      data: encodeFunctionData({
        abi: INVALIDATE_ABI,
        functionName: "invalidateNonces",
        args: [nonce >> 8n, 1n << (nonce & 255n)],
      }),
    });
  }

  async #send(tx: TxRequest): Promise<Hex> {
    if (!this.wallet.sendTransaction) {
      throw new SdkError("WALLET_CANNOT_SEND", "this wallet adapter cannot send transactions", undefined, tx);
    }
    const hash = await this.wallet.sendTransaction(tx);
    await this.wallet.waitForTransaction?.(hash);
    return hash;
  }
}

/** The allowance `approve` sends for an ALLOWANCE_MISSING approval (null: the decline's own call is sent). */
function allowanceToSend(a: ApprovalTx, mode: ApproveMode): bigint | null {
  return a.code === ErrorCode.AllowanceMissing && a.needed ? approvalAmount(BigInt(a.needed.raw), mode) : null;
}

/** The call `approve` sends, readable as the decline's `call` is: what `onApproval` reports. */
function sentCall(a: ApprovalTx, mode: ApproveMode): string {
  const amount = allowanceToSend(a, mode);
  return amount === null ? a.call : `approve(${a.spender}, ${amount})`;
}

/** What `approve` allows for an allowance a fill needs: that plus 1% for price moves (rounded up), or all. */
export function approvalAmount(needed: bigint, mode: ApproveMode): bigint {
  return mode === "unlimited" ? maxUint256 : (needed * 101n) / 100n + 1n;
}

/** Refuses, before anything is signed, a request the solver would refuse: a side or an amount that is not one. */
function checkRequest(req: { side: unknown; amount: unknown }): void {
  if (!isTradeSide(req.side)) {
    throw new SdkError(ErrorCode.InvalidRequest, `side must be one of ${SIDES.join(", ")}`, undefined, {
      side: req.side,
    });
  }
  if (typeof req.amount !== "bigint" || req.amount <= 0n || req.amount > maxUint256) {
    throw new SdkError(
      ErrorCode.SizeInvalid,
      "amount must be a positive bigint of option base units (18 decimals)",
      undefined,
      {
        amount: String(req.amount),
      },
    );
  }
}

/** The order as a refusal describes it (`details.status`, `details.txHash`), else as last read. */
function refusedOrder(refusal: SdkError, order: Order): Order {
  const d = (refusal.details ?? {}) as { status?: Order["status"]; txHash?: Hex | null };
  return { ...order, status: d.status ?? order.status, txHash: d.txHash ?? order.txHash };
}

/** The refusal of a cancel that came too late: the order filled (its settlement tx in `details`). */
function notCancellable(order: Order, invalidation: Hex | null): SdkError {
  return new SdkError(
    ErrorCode.OrderNotCancellable,
    order.status === "filled" ? "the order filled before the cancel took effect" : `the order is ${order.status}`,
    undefined,
    { status: order.status, txHash: order.txHash, invalidationTxHash: invalidation },
  );
}

const INVALIDATE_ABI = parseAbi(["function invalidateNonces(uint256 wordPos, uint256 mask)"]);

const APPROVE_ABI = parseAbi(["function approve(address spender, uint256 amount) returns (bool)"]);

function approvalsOf(error: unknown): ApprovalTx[] | null {
  if (!(error instanceof SdkError)) return null;
  if (error.code !== ErrorCode.AllowanceMissing && error.code !== ErrorCode.ApprovalMissing) return null;
  const approvals = (error.details as { approvals?: ApprovalTx[] } | undefined)?.approvals;
  return Array.isArray(approvals) && approvals.length > 0 ? approvals : null;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** A random 64-bit nonce (WebCrypto): unordered nonces only need to be unique per wallet. */
export function randomNonce(): bigint {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return bytes.reduce((n, b) => (n << 8n) | BigInt(b), 0n);
}

async function json(
  fetchImpl: typeof fetch,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<unknown> {
  let res: Response;
  try {
    res = await fetchImpl(
      url,
      body === undefined
        ? { headers }
        : { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) },
    );
  } catch (cause) {
    throw new SdkError(ErrorCode.ApiUnavailable, `cannot reach ${url}`, undefined, undefined, { cause });
  }
  const data: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const parsed = ApiErrorBody.safeParse(data);
    if (parsed.success)
      throw new SdkError(
        parsed.data.error.code as ErrorCode,
        parsed.data.error.message,
        res.status,
        parsed.data.error.details,
      );
    throw new SdkError("HTTP_ERROR", `HTTP ${res.status}`, res.status);
  }
  return data;
}

export { Amount };
