import { useSignal } from "@preact/signals";
import { encodeFunctionData, parseAbi } from "viem";
import { withdrawBlock } from "../../../solver/domain/withdrawal.js";
import { api } from "../api.js";
import { LineChart } from "../charts.js";
import { ActionButton, ErrorNote, Note, Section, Table, usePoll } from "../components.js";
import { amount, expiryLabel, parseUnitsText, pct, time } from "../format.js";
import { type Connected, connected } from "../wallet.js";

type Amount = { raw: string; formatted: string; symbol: string; decimals: number };
interface Vault {
  kind: "call" | "put";
  address: `0x${string}`;
  asset: { address: `0x${string}`; symbol: string; decimals: number };
  nav: Amount;
  totalShares: Amount;
  freeAssets: Amount;
  lockedAssets: Amount;
  utilisation: number;
  sharePrice: Amount;
  exposure: Array<{ expiry: number; series: number; netOptions: Amount; collateral: string }>;
  owner: {
    shares: Amount;
    lockedShares: Amount;
    value: Amount;
    maxWithdraw: Amount;
    lockedUntil: number;
  } | null;
}
interface VaultsReport {
  chainTime: number;
  vaults: Vault[];
}
interface History {
  times: number[];
  vaults: Array<{ kind: string; asset: string; sharePrice: Array<number | null> }>;
}

const ERC20 = parseAbi([
  "function approve(address spender, uint256 amount) returns (bool)",
  "function allowance(address owner, address spender) view returns (uint256)",
  "function balanceOf(address owner) view returns (uint256)",
]);
const VAULT = parseAbi([
  "function deposit(uint256 assets, address receiver) returns (uint256)",
  "function withdraw(uint256 assets, address receiver, address owner) returns (uint256)",
]);

/** The LP's page: each vault's NAV, share price over time, utilisation and exposure; deposit and withdraw. */
export function LpPage() {
  const c = connected.value;
  const report = usePoll(() => api.get<VaultsReport>(`/v1/vaults${c ? `?owner=${c.account}` : ""}`), 5000, [
    c?.account,
  ]);
  const history = usePoll(() => api.get<History>("/v1/vaults/history?points=40"), 30_000);
  const r = report.data.value;
  return (
    <div class="grid lp">
      <ErrorNote error={report.error.value} />
      {!c && <Note kind="info">Connect a browser wallet to see your shares and to deposit or withdraw.</Note>}
      {r?.vaults.map((v) => (
        <VaultCard key={v.address} v={v} now={r.chainTime} c={c} history={history.data.value} reload={report.reload} />
      ))}
    </div>
  );
}

function VaultCard(props: { v: Vault; now: number; c: Connected | null; history: History | null; reload: () => void }) {
  const { v, c, history } = props;
  const h = history?.vaults.find((x) => x.kind === v.kind);
  return (
    <Section title={`${v.kind === "call" ? "Call" : "Put"} vault (${v.asset.symbol})`} id={`vault-${v.kind}`}>
      <dl class="figures">
        <dt>NAV</dt>
        <dd data-testid={`nav-${v.kind}`}>{amount(v.nav)}</dd>
        <dt>Share price</dt>
        <dd>{amount(v.sharePrice, 6)}</dd>
        <dt>Utilisation</dt>
        <dd>
          <meter min={0} max={1} value={v.utilisation} aria-label="utilisation" /> {pct(v.utilisation)}
        </dd>
        <dt>Free / locked</dt>
        <dd>
          {amount(v.freeAssets)} / {amount(v.lockedAssets)}
        </dd>
      </dl>
      {h && history && (
        <LineChart
          title="Share price over time"
          times={history.times}
          lines={[{ label: `${v.asset.symbol} per share`, values: h.sharePrice, color: "#2563eb" }]}
          height={160}
        />
      )}
      <h3>Open exposure by expiry</h3>
      {v.exposure.length === 0 ? (
        <p class="muted">No open positions.</p>
      ) : (
        <Table head={["Expiry", "Series", "Net options (− = vault short)"]}>
          {v.exposure.map((e) => (
            <tr key={e.expiry}>
              <td>{expiryLabel(e.expiry)}</td>
              <td>{e.series}</td>
              <td>{amount(e.netOptions)}</td>
            </tr>
          ))}
        </Table>
      )}
      {c && v.owner && <OwnerPanel v={v} now={props.now} c={c} reload={props.reload} />}
    </Section>
  );
}

function OwnerPanel({ v, now, c, reload }: { v: Vault; now: number; c: Connected; reload: () => void }) {
  const o = v.owner!;
  const depositText = useSignal("");
  const withdrawText = useSignal("");
  const locked = o.lockedUntil > now;
  return (
    <div class="owner" data-testid={`owner-${v.kind}`}>
      <h3>Your position</h3>
      <dl class="figures">
        <dt>Shares</dt>
        <dd>{amount(o.shares, 6)}</dd>
        <dt>Value</dt>
        <dd>{amount(o.value, 6)}</dd>
        <dt>Withdrawable now</dt>
        <dd>{amount(o.maxWithdraw, 6)}</dd>
        <dt>Lock-up</dt>
        <dd data-testid={`lockup-${v.kind}`}>
          {locked ? `${amount(o.lockedShares, 6)} locked until ${time(o.lockedUntil)} (chain time)` : "none"}
        </dd>
      </dl>
      <div class="row">
        <label>
          Deposit ({v.asset.symbol})
          <input
            inputMode="decimal"
            value={depositText.value}
            onInput={(e) => (depositText.value = (e.target as HTMLInputElement).value)}
            data-testid={`deposit-${v.kind}-amount`}
          />
        </label>
        <ActionButton
          label="Deposit"
          busyLabel="Depositing…"
          testId={`deposit-${v.kind}`}
          run={async () => {
            const amt = need(parseUnitsText(depositText.value, v.asset.decimals), "the amount to deposit");
            const hash = await deposit(c, v, amt);
            reload();
            return `deposited ${depositText.value} ${v.asset.symbol} (tx ${hash.slice(0, 10)}…)`;
          }}
        />
      </div>
      <div class="row">
        <label>
          Withdraw ({v.asset.symbol})
          <input
            inputMode="decimal"
            value={withdrawText.value}
            onInput={(e) => (withdrawText.value = (e.target as HTMLInputElement).value)}
            data-testid={`withdraw-${v.kind}-amount`}
          />
        </label>
        <ActionButton
          label="Withdraw"
          busyLabel="Withdrawing…"
          kind="secondary"
          testId={`withdraw-${v.kind}`}
          run={async () => {
            const amt = need(parseUnitsText(withdrawText.value, v.asset.decimals), "the amount to withdraw");
            if (amt > BigInt(o.maxWithdraw.raw)) throw withdrawRefusal(v, amt, now);
            const hash = await send(
              c,
              v.address,
              encodeFunctionData({ abi: VAULT, functionName: "withdraw", args: [amt, c.account, c.account] }),
            );
            reload();
            return `withdrew ${withdrawText.value} ${v.asset.symbol} (tx ${hash.slice(0, 10)}…)`;
          }}
        />
      </div>
    </div>
  );
}

function need(x: bigint | null, what: string): bigint {
  if (x === null || x === 0n)
    throw Object.assign(new Error(`${what} must be a positive number`), { code: "SIZE_INVALID" });
  return x;
}

async function send(c: Connected, to: `0x${string}`, data: `0x${string}`): Promise<`0x${string}`> {
  const w = c.client.wallet;
  if (!w.sendTransaction)
    throw Object.assign(new Error("this wallet cannot send transactions"), { code: "WALLET_CANNOT_SEND" });
  const hash = await w.sendTransaction({ to, data });
  await w.waitForTransaction?.(hash);
  return hash;
}

/** Reads one uint256 of the vault's asset through the wallet's node. */
async function readToken(c: Connected, v: Vault, data: `0x${string}`): Promise<bigint> {
  const result = await c.choice.provider.request({
    method: "eth_call",
    params: [{ to: v.asset.address, data }, "latest"],
  });
  return BigInt(String(result));
}

/**
 * Checks the balance first (nothing is approved for a deposit that cannot happen), approves the vault for
 * exactly what is missing, then deposits for the connected account.
 */
async function deposit(c: Connected, v: Vault, amt: bigint): Promise<`0x${string}`> {
  const [balance, allowance] = await Promise.all([
    readToken(c, v, encodeFunctionData({ abi: ERC20, functionName: "balanceOf", args: [c.account] })),
    readToken(c, v, encodeFunctionData({ abi: ERC20, functionName: "allowance", args: [c.account, v.address] })),
  ]);
  if (balance < amt) {
    const fmt = (raw: bigint) => amount({ formatted: formatRaw(raw, v.asset.decimals), symbol: v.asset.symbol }, 6);
    throw Object.assign(new Error(`you hold ${fmt(balance)}; depositing ${fmt(amt)} needs that much`), {
      code: "INSUFFICIENT_BALANCE",
    });
  }
  if (allowance < amt) {
    await send(c, v.asset.address, encodeFunctionData({ abi: ERC20, functionName: "approve", args: [v.address, amt] }));
  }
  return send(c, v.address, encodeFunctionData({ abi: VAULT, functionName: "deposit", args: [amt, c.account] }));
}

/** Why a withdrawal is over the cap: the lock-up, the vault's free assets, or the shares' worth. */
export function withdrawRefusal(v: Vault, amt: bigint, now: number) {
  const o = v.owner!;
  const fmt = (raw: bigint) => amount({ formatted: formatRaw(raw, v.asset.decimals), symbol: v.asset.symbol }, 6);
  const max = `you can withdraw ${amount(o.maxWithdraw, 6)} now, not ${fmt(amt)}`;
  const block = withdrawBlock(
    {
      lockedUntil: o.lockedUntil,
      maxWithdraw: BigInt(o.maxWithdraw.raw),
      worth: BigInt(o.value.raw),
      freeAssets: BigInt(v.freeAssets.raw),
    },
    amt,
    now,
  );
  const locked = `until ${time(o.lockedUntil)} (chain time)`;
  const [code, why] = {
    sharesLocked: ["SHARES_LOCKED", `your shares are locked ${locked}`],
    latestDepositsLocked: [
      "SHARES_LOCKED",
      `the shares of your latest deposits are locked ${locked} (your shares are worth ${amount(o.value, 6)})`,
    ],
    vaultAssetsLocked: [
      "VAULT_ASSETS_LOCKED",
      `the vault's free assets are ${amount(v.freeAssets, 6)}; the rest is collateral for open options until they expire`,
    ],
    insufficientBalance: ["INSUFFICIENT_BALANCE", `your shares are worth ${amount(o.value, 6)}`],
  }[block];
  return Object.assign(new Error(`${max}: ${why}`), { code });
}

function formatRaw(raw: bigint, decimals: number): string {
  const unit = 10n ** BigInt(decimals);
  const frac = (raw % unit).toString().padStart(decimals, "0").replace(/0+$/, "");
  return frac ? `${raw / unit}.${frac}` : (raw / unit).toString();
}
