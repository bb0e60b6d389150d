import type { Command } from "@commander-js/extra-typings";
import { createWalletClient, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { chainFor } from "../chain/clients.js";
import { loadDeployment } from "../config/load.js";
import { isTradeSide, SIDES, type TradeSide } from "../domain/side.js";
import { ErrorCode, InternalizerError } from "../errors.js";
import { InternalizerClient, type Order, SdkError, viemWallet } from "../sdk/index.js";
import {
  CliError,
  emit,
  type GlobalOptions,
  globals,
  pairs,
  parseAmount,
  progress,
  short,
  signingKey,
  table,
  units,
  when,
} from "./context.js";

/** The SDK client for `--key`, as a trader's wallet would connect. */
async function traderClient(g: GlobalOptions): Promise<InternalizerClient> {
  const account = privateKeyToAccount(signingKey(g));
  const chain = chainFor(loadDeployment(g.deployment).chainId, g.rpc);
  const wallet = viemWallet(createWalletClient({ account, chain, transport: http(g.rpc) }));
  return InternalizerClient.connect(g.api, wallet);
}

/** SDK errors become the CLI's typed refusals (exit 2), with the API's details. */
async function sdk<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof SdkError) {
      const details =
        error.details && typeof error.details === "object" ? (error.details as Record<string, unknown>) : undefined;
      throw new CliError(error.code as ErrorCode, error.message, { cause: error, ...(details ? { details } : {}) });
    }
    if (error instanceof InternalizerError) throw error;
    throw new CliError(
      ErrorCode.ChainUnavailable,
      `the chain did not answer: ${String((error as Error).message).split("\n")[0]}`,
      {
        cause: error,
      },
    );
  }
}

/** A missing approval or allowance is a refusal the trader can fix: say how. */
function approvalHint(error: unknown): never {
  if (
    error instanceof CliError &&
    (error.code === ErrorCode.AllowanceMissing || error.code === ErrorCode.ApprovalMissing)
  ) {
    throw new CliError(error.code, `${error.message}; run again with --approve to send it`, {
      cause: error,
      ...(error.details ? { details: error.details } : {}),
    });
  }
  throw error;
}

function orderRows(o: Order): Array<[string, unknown]> {
  return [
    ["order", o.orderHash],
    ["status", o.status + (o.error ? ` (${o.error.code}: ${o.error.reason})` : "")],
    ["tx", o.txHash ?? "-"],
    ...(o.trail ?? []).map((e) => [`  ${e.status}`, when(e.at)] as [string, unknown]),
  ];
}

/** The trader's commands, signed with --key as a wallet would: rfq, orders, cancel. */
export function registerRfq(program: Command): void {
  rfqCommand(program);
  ordersCommand(program);
  cancelCommand(program);
}

function rfqCommand(program: Command): void {
  program
    .command("rfq")
    .description("sign a quote request with --key as a trader would; --execute signs the order and waits for the fill")
    .requiredOption("--series <series>", "instrument name (ETH-7DEC26-3000-C) or series id")
    .requiredOption("--side <side>", SIDES.join(", "))
    .requiredOption("--amount <options>", "number of options, e.g. 1.5")
    .option("--execute", "accept the quote: sign the order, submit it and wait for the settlement")
    .option("--submit", "accept the quote: sign and submit the order, print its hash and return without waiting")
    .option("--approve", "send the approvals a decline asks for (exactly what the fill needs, plus 1%), then ask again")
    .action(async (o, cmd) => {
      const g = globals(cmd);
      if (!isTradeSide(o.side)) throw new CliError(ErrorCode.InvalidRequest, `side must be one of ${SIDES.join(", ")}`);
      if (o.execute && o.submit) throw new CliError(ErrorCode.InvalidRequest, "pass --execute or --submit, not both");
      const amount = parseAmount(o.amount, 18);
      const client = await sdk(() => traderClient(g));
      progress(g, `requesting a quote for ${o.amount} ${o.series} (${o.side})`);
      const quote = await sdk(() =>
        client.requestQuote({
          series: o.series,
          side: o.side as TradeSide,
          amount,
          ...(o.approve
            ? {
                approve: "needed" as const,
                onApproval: ({ txHash }) => progress(g, `approval sent: ${txHash}`),
              }
            : {}),
        }),
      ).catch(approvalHint);
      if (o.execute || o.submit) progress(g, `signing and submitting the order for quote ${short(quote.quoteId)}`);
      const submitted = o.submit ? await sdk(async () => client.submitOrder(await client.signOrder(quote))) : null;
      const fill = o.execute ? await sdk(() => client.execute(quote)) : null;
      emit(g, { quote, fill, ...(submitted ? { orderHash: submitted } : {}) }, () =>
        pairs([
          ["instrument", quote.instrument],
          ["quote", quote.quoteId],
          ["route", `${quote.route} (${quote.reason})`],
          ["premium", units(quote.premium)],
          [o.side === "buy" ? "AMM would charge" : "AMM would pay", units(quote.ammReferencePremium)],
          ["improvement", `${units(quote.improvement)} (${quote.improvementBps.toFixed(1)} bps)`],
          ["limit to sign", units(quote.limitPremium)],
          ["valid until", when(quote.validUntil)],
          ...(fill ? orderRows(fill) : []),
          ...(submitted ? [["order", `${submitted} (submitted; follow it with \`orders\`)`] as [string, unknown]] : []),
        ]),
      );
    });
}

function ordersCommand(program: Command): void {
  program
    .command("orders")
    .description("your orders (the --key wallet), newest first")
    .option("--limit <n>", "how many", "20")
    .action(async (o, cmd) => {
      const g = globals(cmd);
      const client = await sdk(() => traderClient(g));
      const orders = await sdk(() => client.orders(Number(o.limit)));
      emit(g, { orders }, () =>
        table(
          ["order", "instrument", "side", "amount", "limit", "status", "tx", "updated"],
          orders.map((x) => [
            x.orderHash,
            x.instrument,
            x.side,
            x.amount.formatted,
            units(x.limitPremium),
            x.status + (x.error ? ` (${x.error.code})` : ""),
            short(x.txHash),
            when(x.updatedAt),
          ]),
        ),
      );
    });
}

function cancelCommand(program: Command): void {
  program
    .command("cancel")
    .description("cancel an order: the solver will not send it, and its nonce is invalidated on chain")
    .argument("<orderHash>", "the order hash")
    .option("--off-chain-only", "only ask the solver; do not send the nonce invalidation")
    .action(async (hash, o, cmd) => {
      const g = globals(cmd);
      if (!/^0x[0-9a-fA-F]{64}$/.test(hash))
        throw new CliError(ErrorCode.InvalidRequest, "an order hash is 32 bytes of hex");
      const client = await sdk(() => traderClient(g));
      const r = await sdk(() => client.cancel(hash as Hex, { onChain: !o.offChainOnly }));
      const solver = r.solver instanceof SdkError ? { code: r.solver.code, message: r.solver.message } : r.solver;
      emit(g, { order: r.order.status, solver, txHash: r.txHash }, () =>
        pairs([
          ["order", `${r.order.status}${r.order.error ? ` (${r.order.error.code})` : ""}: it will not fill`],
          [
            "solver",
            r.solver instanceof SdkError ? `${r.solver.code}: ${r.solver.message}` : `order ${r.solver.status}`,
          ],
          ["nonce invalidated on chain", r.txHash ?? "no (--off-chain-only)"],
        ]),
      );
    });
}
