import type { Command } from "@commander-js/extra-typings";
import { createWalletClient, type Hex, http, parseUnits } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { ErrorCode } from "../errors.js";
import { InternalizerClient, SdkError, viemWallet } from "../sdk/index.js";
import type { TradeSide } from "../types.js";
import { CliError, emit, globals, pairs, progress } from "./context.js";

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
      const key = g.key ?? process.env.PRIVATE_KEY;
      if (!key || !/^0x[0-9a-fA-F]{64}$/.test(key)) {
        throw new CliError(
          ErrorCode.ConfigInvalid,
          "a 32-byte hex private key is needed: pass --key or set PRIVATE_KEY",
        );
      }
      if (!SIDES.includes(o.side as TradeSide)) {
        throw new CliError(ErrorCode.InvalidRequest, `side must be one of ${SIDES.join(", ")}`);
      }
      if (!/^(0x[0-9a-fA-F]+|\d+)$/.test(o.series))
        throw new CliError(ErrorCode.SeriesUnknown, `"${o.series}" is not a series id`);
      if (!/^\d+(\.\d{1,18})?$/.test(o.amount))
        throw new CliError(ErrorCode.SizeInvalid, `"${o.amount}" is not a positive amount`);
      const amount = parseUnits(o.amount, 18);
      if (amount === 0n) throw new CliError(ErrorCode.SizeInvalid, "the amount must be positive");
      const account = privateKeyToAccount(key as Hex);
      const wallet = viemWallet(createWalletClient({ account, transport: http(g.rpc) }));
      try {
        const client = await InternalizerClient.connect(g.api, wallet);
        progress(g, `requesting a quote for ${o.amount} options (${o.side})`);
        const quote = await client.requestQuote({ seriesId: BigInt(o.series), side: o.side as TradeSide, amount });
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
