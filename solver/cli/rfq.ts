import type { Command } from "@commander-js/extra-typings";
import { createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { ErrorCode } from "../errors.js";
import { InternalizerClient, SdkError, viemWallet } from "../sdk/index.js";
import type { TradeSide } from "../types.js";
import { CliError, emit, globals, pairs, parseAmount, parseSeriesId, progress, signingKey } from "./context.js";

const SIDES: readonly TradeSide[] = ["buy", "sellToClose", "sellToOpen"];

/** `rfq`: a wallet-signed quote request sent as a user's wallet would, optionally executed. */
export function registerRfq(program: Command): void {
  program
    .command("rfq")
    .description("sign a quote request with --key as a trader would; --execute signs the order and waits for the fill")
    .requiredOption("--series <id>", "series id (decimal or hex)")
    .requiredOption("--side <side>", "buy, sellToClose or sellToOpen")
    .requiredOption("--amount <options>", "number of options, e.g. 1.5")
    .option("--execute", "accept the quote: sign the intent, submit it and wait for the settlement")
    .action(async (o, cmd) => {
      const g = globals(cmd);
      const key = signingKey(g);
      if (!SIDES.includes(o.side as TradeSide)) {
        throw new CliError(ErrorCode.InvalidRequest, `side must be one of ${SIDES.join(", ")}`);
      }
      const seriesId = parseSeriesId(o.series);
      const amount = parseAmount(o.amount, 18);
      const account = privateKeyToAccount(key);
      const wallet = viemWallet(createWalletClient({ account, transport: http(g.rpc) }));
      try {
        const client = await InternalizerClient.connect(g.api, wallet);
        progress(g, `requesting a quote for ${o.amount} options (${o.side})`);
        const quote = await client.requestQuote({ seriesId, side: o.side as TradeSide, amount });
        if (o.execute) progress(g, `signing and submitting the order for quote ${quote.quoteId}`);
        const fill = o.execute ? await client.execute(quote) : null;
        emit(g, { quote, fill }, () =>
          pairs([
            ["quote", quote.quoteId],
            ["route", `${quote.route} (${quote.reason})`],
            ["premium", `${quote.premium} (base units of ${quote.premiumAsset})`],
            ["AMM reference", String(quote.ammReferencePremium)],
            ["limit signed", String(quote.limitPremium)],
            ["valid until", new Date(quote.validUntil * 1000).toISOString()],
            ...(fill ? ([["fill", `${fill.status} in ${fill.txHash}`]] as Array<[string, unknown]>) : []),
          ]),
        );
      } catch (error) {
        if (error instanceof SdkError) throw new CliError(error.code as ErrorCode, error.message, { cause: error });
        throw error;
      }
    });
}
