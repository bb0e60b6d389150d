import type { Command } from "@commander-js/extra-typings";
import { type Abi, type Address, formatUnits, isAddress, type Log, type PublicClient, parseEventLogs } from "viem";
import { erc20Abi, optionLedgerAbi, optionVaultAbi } from "../chain/abis.js";
import { decodeRevert } from "../chain/revert.js";
import { describeRevert } from "../chain/revertText.js";
import { settlementRound } from "../chain/settlementRound.js";
import type { Deployment } from "../config/schema.js";
import { type AssetUnits, amountJson, formatAmount } from "../domain/amount.js";
import { instrumentName } from "../domain/instrument.js";
import { resolveSeries } from "../domain/series.js";
import { decodeSeriesId, type SeriesTerms } from "../domain/seriesId.js";
import { withdrawBlock } from "../domain/withdrawal.js";
import { ErrorCode, InternalizerError } from "../errors.js";
import { decimalToFixed } from "../math/wad.js";
import {
  CliError,
  chain,
  emit,
  type GlobalOptions,
  globals,
  pairs,
  parseAmount,
  progress,
  reader,
  table,
  when,
} from "./context.js";
import { expiryOf } from "./ops.js";

type Chain = ReturnType<typeof chain>;

/** Turns any chain failure into a typed refusal: a decoded custom error, or the chain being unreachable. */
export function chainFailure(what: string, error: unknown, asset?: AssetUnits): InternalizerError {
  if (error instanceof InternalizerError) return error;
  const revert = decodeRevert(error);
  if (revert) {
    return new CliError(
      ErrorCode.ContractReverted,
      `${what} reverted: ${describeRevert(revert, asset ? { asset } : {})}`,
      {
        cause: error,
        details: { error: revert.name },
      },
    );
  }
  return new CliError(ErrorCode.ChainUnavailable, `${what} failed: the chain did not answer (${firstLine(error)})`, {
    cause: error,
  });
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error)
    .split("\n")[0]!
    .slice(0, 160);
}

/** Runs a read, mapping failures to typed refusals. */
async function read<T>(what: string, fn: () => Promise<T>, asset?: AssetUnits): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw chainFailure(what, error, asset);
  }
}

/** Simulates, sends and waits for one contract call; a revert becomes a CliError naming the custom error. */
async function send(
  c: Chain,
  g: GlobalOptions,
  call: { address: Address; abi: Abi; functionName: string; args: readonly unknown[] },
  asset?: AssetUnits,
): Promise<{ hash: `0x${string}`; gasUsed: bigint; result: unknown; logs: Log[] }> {
  progress(g, `${call.functionName}(${call.args.map(String).join(", ")})`);
  try {
    const { request, result } = await c.publicClient.simulateContract({ ...call, account: c.account });
    const hash = await c.walletClient.writeContract(request);
    const receipt = await c.publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new CliError(ErrorCode.ContractReverted, `${call.functionName} reverted`);
    return { hash, gasUsed: receipt.gasUsed, result, logs: receipt.logs };
  } catch (error) {
    throw chainFailure(call.functionName, error, asset);
  }
}

function vaultOf(d: Deployment, kind: string) {
  if (kind !== "call" && kind !== "put")
    throw new CliError(ErrorCode.InvalidRequest, `vault must be "call" or "put", not "${kind}"`);
  const call = kind === "call";
  return {
    vault: call ? d.contracts.callVault : d.contracts.putVault,
    asset: call ? d.contracts.weth : d.contracts.usdc,
    units: call ? { symbol: "WETH", decimals: 18 } : { symbol: "USDC", decimals: 6 },
  };
}

/** A vault's own figures: NAV, free and locked assets, utilisation, the price of one share. */
async function vaultFigures(client: PublicClient, v: ReturnType<typeof vaultOf>) {
  const call = vaultReader(client, v);
  const [totalAssets, totalSupply, free, locked, utilisation, decimals] = await read("read the vault", () =>
    Promise.all([
      call("totalAssets"),
      call("totalSupply"),
      call("freeAssets"),
      call("lockedAssets"),
      call("utilisation"),
      call("decimals") as unknown as Promise<number>,
    ]),
  );
  const oneShare = await read("read the vault", () => call("convertToAssets", [10n ** BigInt(decimals)]));
  return {
    vault: v.vault,
    totalAssets,
    totalSupply,
    freeAssets: free,
    lockedAssets: locked,
    utilisation,
    sharePrice: oneShare,
    shareDecimals: Number(decimals),
  };
}

/** A vault's figures and `owner`'s: shares, their worth, what is withdrawable now, the lock-up. */
async function vaultState(client: PublicClient, v: ReturnType<typeof vaultOf>, owner: Address) {
  const call = vaultReader(client, v);
  const [figures, [shares, lockedUntil, maxWithdraw]] = await Promise.all([
    vaultFigures(client, v),
    read("read the vault", () =>
      Promise.all([call("balanceOf", [owner]), call("lockedUntil", [owner]), call("maxWithdraw", [owner])]),
    ),
  ]);
  const assets = shares === 0n ? 0n : await read("read the vault", () => call("convertToAssets", [shares]));
  return { ...figures, owner, shares, assets, lockedUntil: Number(lockedUntil), maxWithdraw };
}

function vaultReader(client: PublicClient, v: ReturnType<typeof vaultOf>) {
  return (functionName: string, args: readonly unknown[] = []) =>
    client.readContract({ address: v.vault, abi: optionVaultAbi as Abi, functionName, args }) as Promise<bigint>;
}

function vaultRows(f: Awaited<ReturnType<typeof vaultFigures>>, u: AssetUnits): Array<[string, unknown]> {
  return [
    ["NAV (total assets)", formatAmount(f.totalAssets, u)],
    ["free / locked", `${formatAmount(f.freeAssets, u)} / ${formatAmount(f.lockedAssets, u)}`],
    ["utilisation", `${(Number(f.utilisation) / 1e16).toFixed(2)}%`],
    ["share price", `${formatAmount(f.sharePrice, u)} per share`],
  ];
}

function ownerRows(state: Awaited<ReturnType<typeof vaultState>>, u: AssetUnits): Array<[string, unknown]> {
  return [
    ...vaultRows(state, u),
    ["your shares", formatUnits(state.shares, state.shareDecimals)],
    ["worth", formatAmount(state.assets, u)],
    ["withdrawable now", formatAmount(state.maxWithdraw, u)],
    ["locked until", state.lockedUntil > 0 ? when(state.lockedUntil) : "-"],
  ];
}

function registerVault(program: Command): void {
  const vault = program.command("vault").description("LP actions on the AMM options vaults (ERC-4626)");
  vaultStatusCommand(vault);
  vaultDepositCommand(vault);
  vaultWithdrawCommand(vault);
  vaultVolCommand(vault);
}

function vaultStatusCommand(vault: Command): void {
  vault
    .command("status")
    .description("a vault's NAV, utilisation and share price, and your shares, their value and lock-up")
    .argument("<vault>", "call or put")
    .option("--owner <address>", "whose shares (default: the --key account)")
    .action(async (kind, o, cmd) => {
      const g = globals(cmd);
      const { deployment, publicClient } = reader(g);
      const v = vaultOf(deployment, kind);
      const owner =
        o.owner !== undefined
          ? address(o.owner, "--owner")
          : g.key || process.env.PRIVATE_KEY
            ? chain(g).account.address
            : undefined;
      if (!owner) {
        // The vault's own figures need no account; an account's shares need one.
        const figures = await vaultFigures(publicClient, v);
        emit(g, figures, () =>
          pairs([
            ...vaultRows(figures, v.units),
            ["your shares", "pass --key (or PRIVATE_KEY) for yours, or --owner ADDRESS for an account's"],
          ]),
        );
        return;
      }
      const state = await vaultState(publicClient, v, owner);
      emit(g, state, () => pairs(ownerRows(state, v.units)));
    });
}

function vaultDepositCommand(vault: Command): void {
  vault
    .command("deposit")
    .description(
      "deposit into the call vault (WETH) or the put vault (USDC); checks the balance, approves only what is missing",
    )
    .argument("<vault>", "call or put")
    .argument("<amount>", "amount of the vault's asset, in whole units (e.g. 2.5)")
    .option("--receiver <address>", "who receives the shares (default: you)")
    .action(async (kind, amountText, o, cmd) => {
      const g = globals(cmd);
      const c = chain(g);
      const v = vaultOf(c.deployment, kind);
      const amount = parseAmount(amountText, v.units.decimals);
      const me = c.account.address;
      const receiver = o.receiver === undefined ? me : address(o.receiver, "--receiver");
      await fundDeposit(c, g, v, amount);
      const tx = await send(
        c,
        g,
        { address: v.vault, abi: optionVaultAbi as Abi, functionName: "deposit", args: [amount, receiver] },
        v.units,
      );
      const state = await vaultState(c.publicClient, v, receiver);
      const out = {
        action: "deposit",
        asset: v.units.symbol,
        amount,
        receiver,
        sharesMinted: mintedShares(tx.logs, receiver),
        txHash: tx.hash,
        ...state,
      };
      emit(g, out, () =>
        pairs([
          ["deposited", formatAmount(amount, v.units)],
          ["shares minted", formatUnits(out.sharesMinted, state.shareDecimals)],
          ...ownerRows(state, v.units),
          ["tx", tx.hash],
        ]),
      );
    });
}

/** Checks the depositor holds `amount` of the vault's asset, and approves the vault for it if it must. */
async function fundDeposit(c: Chain, g: GlobalOptions, v: ReturnType<typeof vaultOf>, amount: bigint): Promise<void> {
  const me = c.account.address;
  const token = { address: v.asset, abi: erc20Abi } as const;
  const [balance, allowance] = await read("read your balance", () =>
    Promise.all([
      c.publicClient.readContract({ ...token, functionName: "balanceOf", args: [me] }),
      c.publicClient.readContract({ ...token, functionName: "allowance", args: [me, v.vault] }),
    ]),
  );
  if (balance < amount) {
    throw new CliError(
      ErrorCode.InsufficientBalance,
      `you hold ${formatAmount(balance, v.units)}; depositing ${formatAmount(amount, v.units)} needs that much`,
    );
  }
  if (allowance >= amount) return;
  await send(c, g, { ...token, abi: erc20Abi as Abi, functionName: "approve", args: [v.vault, amount] }, v.units);
}

function vaultWithdrawCommand(vault: Command): void {
  vault
    .command("withdraw")
    .description("withdraw assets from a vault; capped at the vault's free (unlocked) assets and your lock-up")
    .argument("<vault>", "call or put")
    .argument("<amount>", "amount of the vault's asset to withdraw, in whole units")
    .action(async (kind, amountText, _o, cmd) => {
      const g = globals(cmd);
      const c = chain(g);
      const v = vaultOf(c.deployment, kind);
      const amount = parseAmount(amountText, v.units.decimals);
      const before = await vaultState(c.publicClient, v, c.account.address);
      if (amount > before.maxWithdraw) {
        const now = Number((await read("read the latest block", () => c.publicClient.getBlock())).timestamp);
        throw withdrawRefusal(before, amount, v.units, now);
      }
      const tx = await send(
        c,
        g,
        {
          address: v.vault,
          abi: optionVaultAbi as Abi,
          functionName: "withdraw",
          args: [amount, c.account.address, c.account.address],
        },
        v.units,
      );
      const state = await vaultState(c.publicClient, v, c.account.address);
      const out = {
        action: "withdraw",
        asset: v.units.symbol,
        amount,
        sharesBurned: tx.result as bigint,
        txHash: tx.hash,
        ...state,
      };
      emit(g, out, () =>
        pairs([["withdrew", formatAmount(amount, v.units)], ...ownerRows(state, v.units), ["tx", tx.hash]]),
      );
    });
}

function vaultVolCommand(vault: Command): void {
  vault
    .command("vol")
    .description("set a vault's vol slice for an expiry (keeper key): vol(k) = atm + skew·k + curvature·k²")
    .argument("<vault>", "call, put or both")
    .requiredOption(
      "--expiry <time>",
      "unix seconds, an ISO time, an instrument name of that expiry, or a date (YYYY-MM-DD) on which one series expires",
    )
    .requiredOption("--atm <vol>", "at-the-money vol as a fraction: 0.8 means 80%")
    .option("--skew <x>", "skew coefficient (the whole slice is set: omitted means 0, a flat smile)", "0")
    .option("--curvature <x>", "curvature coefficient", "0")
    .action(async (kind, o, cmd) => {
      const g = globals(cmd);
      const c = chain(g);
      const expiry = await expiryOf(g, o.expiry, async () =>
        [...(await ledgerSeries(c.publicClient, c.deployment)).values()].map((t) => t.expiry),
      );
      const wad = (text: string) => {
        if (!/^-?\d+(\.\d{1,18})?$/.test(text))
          throw new CliError(ErrorCode.InvalidRequest, `"${text}" is not a number`);
        const v = decimalToFixed(text.replace(/^-/, ""), 18);
        return text.startsWith("-") ? -v : v;
      };
      const atm = wad(o.atm);
      const kinds = kind === "both" ? ["call", "put"] : [kind];
      const txs: string[] = [];
      for (const k of kinds) {
        const v = vaultOf(c.deployment, k);
        const tx = await send(c, g, {
          address: v.vault,
          abi: optionVaultAbi as Abi,
          functionName: "setVolSlice",
          args: [expiry, atm, wad(o.skew), wad(o.curvature)],
        });
        txs.push(tx.hash);
      }
      const out = { expiry, atmVol: o.atm, skew: o.skew, curvature: o.curvature, txHashes: txs };
      emit(
        g,
        out,
        () =>
          `vault vol for expiry ${when(expiry)} set on the ${kinds.join(" and ")} vault${kinds.length > 1 ? "s" : ""}: ` +
          `atm ${(Number(o.atm) * 100).toFixed(1)}%, skew ${o.skew}, curvature ${o.curvature}`,
      );
    });
}

/** A strict (EIP-55 when mixed-case) address argument, checked before anything is sent. */
function address(text: string, flag: string): Address {
  if (!isAddress(text, { strict: true }))
    throw new CliError(
      ErrorCode.InvalidRequest,
      `${flag} must be an address (0x + 40 hex, EIP-55 checksum if mixed-case)`,
    );
  return text;
}

/** Shares minted to `receiver`, from the receipt's ERC-4626 Deposit event (what happened, not a simulation). */
function mintedShares(logs: Log[], receiver: Address): bigint {
  const events = parseEventLogs({ abi: optionVaultAbi, eventName: "Deposit", logs }) as unknown as Array<{
    args: { owner: Address; shares: bigint };
  }>;
  const mine = events.find((e) => e.args.owner.toLowerCase() === receiver.toLowerCase());
  if (!mine) throw new CliError(ErrorCode.ContractReverted, "the deposit's receipt has no Deposit event");
  return mine.args.shares;
}

/** Why a withdrawal cannot happen now, in chain time: the LP's lock-up, the vault's free assets, or the balance. */
export function withdrawRefusal(
  s: Awaited<ReturnType<typeof vaultState>>,
  amount: bigint,
  u: AssetUnits,
  now: number,
): CliError {
  const block = withdrawBlock(
    { lockedUntil: s.lockedUntil, maxWithdraw: s.maxWithdraw, worth: s.assets, freeAssets: s.freeAssets },
    amount,
    now,
  );
  const [code, why] = {
    sharesLocked: [ErrorCode.SharesLocked, `your shares are locked until ${when(s.lockedUntil)}`],
    latestDepositsLocked: [
      ErrorCode.SharesLocked,
      `the shares of your latest deposits are locked until ${when(s.lockedUntil)} (your shares are worth ${formatAmount(s.assets, u)})`,
    ],
    vaultAssetsLocked: [
      ErrorCode.VaultAssetsLocked,
      `the vault's free assets are ${formatAmount(s.freeAssets, u)}; the rest is collateral for open options`,
    ],
    insufficientBalance: [ErrorCode.InsufficientBalance, `your shares are worth ${formatAmount(s.assets, u)}`],
  }[block] as [ErrorCode, string];
  return new CliError(
    code,
    `you can withdraw ${formatAmount(s.maxWithdraw, u)} now, not ${formatAmount(amount, u)}: ${why}`,
    {
      details: {
        requested: amountJson(amount, u),
        maxWithdraw: amountJson(s.maxWithdraw, u),
        worth: amountJson(s.assets, u),
        freeAssets: amountJson(s.freeAssets, u),
        lockedUntil: s.lockedUntil,
      },
    },
  );
}

/** Every series the ledger created, read from its SeriesCreated events. */
export async function ledgerSeries(client: PublicClient, d: Deployment): Promise<Map<bigint, SeriesTerms>> {
  const logs = await read("read the ledger's series", () =>
    client.getContractEvents({
      address: d.contracts.ledger,
      abi: optionLedgerAbi,
      eventName: "SeriesCreated",
      fromBlock: BigInt(d.block),
    }),
  );
  return new Map(logs.map((l) => [l.args.seriesId!, decodeSeriesId(l.args.seriesId!)]));
}

function registerSeries(program: Command): void {
  const series = program.command("series").description("option series on the ledger");
  seriesCreateCommand(series);
  seriesListCommand(series);
  seriesSettleCommand(series);
}

function seriesCreateCommand(series: Command): void {
  series
    .command("create")
    .description("create a European cash-settled series on WETH/USDC (set vols for its expiry before trading it)")
    .requiredOption("--strike <usd>", "strike in USD, e.g. 3100 or 3100.5")
    .requiredOption("--expiry <time>", "expiry: unix seconds or an ISO date (a bare date means 08:00 UTC)")
    .option("--put", "a put (default: a call)")
    .action(async (o, cmd) => {
      const g = globals(cmd);
      const c = chain(g);
      const strike = parseAmount(o.strike, 6);
      const expiry = await expiryOf(g, o.expiry);
      const { contracts } = c.deployment;
      const tx = await send(c, g, {
        address: contracts.ledger,
        abi: optionLedgerAbi as Abi,
        functionName: "createSeries",
        args: [contracts.weth, contracts.usdc, strike, expiry, !o.put],
      });
      const id = tx.result as bigint;
      const out = { seriesId: id, instrument: instrumentName(decodeSeriesId(id)), expiry, txHash: tx.hash };
      emit(g, out, () =>
        pairs([
          ["series", out.instrument],
          ["id", id.toString()],
          ["expiry", when(expiry)],
          [
            "next",
            `set vols: vault vol both --expiry ${out.instrument} --atm 0.8, and vol set --expiry ${out.instrument} --atm 0.8`,
          ],
          ["tx", tx.hash],
        ]),
      );
    });
}

function seriesListCommand(series: Command): void {
  series
    .command("list")
    .description("every series the ledger has created, with its settlement state (no key needed)")
    .action(async (_o, cmd) => {
      const g = globals(cmd);
      const { deployment, publicClient } = reader(g);
      const known = await ledgerSeries(publicClient, deployment);
      const rows = await read("read the series", () =>
        Promise.all(
          [...known].map(async ([id, t]) => {
            const info = await publicClient.readContract({
              address: deployment.contracts.ledger,
              abi: optionLedgerAbi,
              functionName: "series",
              args: [id],
            });
            return {
              seriesId: id,
              instrument: instrumentName(t),
              expiry: t.expiry,
              isCall: t.isCall,
              strike: t.strike,
              settled: info.state.settled,
              settlementPrice: info.state.settled ? info.state.settlementPrice : null,
            };
          }),
        ),
      );
      rows.sort((a, b) => a.expiry - b.expiry || Number(a.strike - b.strike) || Number(b.isCall) - Number(a.isCall));
      emit(g, { series: rows }, () =>
        table(
          ["instrument", "expiry", "settled at"],
          rows.map((r) => [r.instrument, when(r.expiry), r.settled ? `$${formatUnits(r.settlementPrice!, 6)}` : "-"]),
        ),
      );
    });
}

function seriesSettleCommand(series: Command): void {
  series
    .command("settle")
    .description("fix an expired series' settlement price from the last oracle round at or before its expiry")
    .argument("<series>", "an instrument name (ETH-7DEC26-3000-C) or a series id")
    .action(async (text, _o, cmd) => {
      const g = globals(cmd);
      const c = chain(g);
      const id = resolveSeries(text, await ledgerSeries(c.publicClient, c.deployment));
      const terms = decodeSeriesId(id);
      const now = Number((await read("read the latest block", () => c.publicClient.getBlock())).timestamp);
      if (terms.expiry >= now) {
        throw new CliError(
          ErrorCode.InvalidRequest,
          `${instrumentName(terms)} expires at ${when(terms.expiry)}; it is ${when(now)}`,
        );
      }
      progress(g, `finding the last oracle round at or before ${when(terms.expiry)}`);
      const round = await read("find the settlement round", () =>
        settlementRound(c.publicClient, c.deployment.contracts.oracle, terms.expiry),
      );
      const tx = await send(c, g, {
        address: c.deployment.contracts.ledger,
        abi: optionLedgerAbi as Abi,
        functionName: "settle",
        args: [id, round.roundId],
      });
      const out = {
        seriesId: id,
        instrument: instrumentName(terms),
        roundId: round.roundId,
        roundUpdatedAt: round.updatedAt,
        settlementPrice: tx.result as bigint,
        txHash: tx.hash,
      };
      emit(g, out, () =>
        pairs([
          ["series", out.instrument],
          ["round", `${round.roundId} at ${when(round.updatedAt)}`],
          ["settlement price", `$${formatUnits(out.settlementPrice, 6)}`],
          ["tx", tx.hash],
        ]),
      );
    });
}

export function registerOnchain(program: Command): void {
  registerVault(program);
  registerSeries(program);
}
