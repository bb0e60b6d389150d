import { signal } from "@preact/signals";
import { createWalletClient, custom, defineChain, type EIP1193Provider } from "viem";
import { InternalizerClient, viemWallet } from "../../solver/sdk/index.js";
import { api } from "./api.js";

/** An EIP-6963 announcement: a wallet's identity and its EIP-1193 provider. */
export interface WalletChoice {
  info: { uuid: string; name: string; icon?: string; rdns?: string };
  provider: EIP1193Provider;
}

/** A connected wallet: its account, its chain, and the SDK client that signs through it. */
export interface Connected {
  choice: WalletChoice;
  account: `0x${string}`;
  chainId: number;
  client: InternalizerClient;
}

export interface Health {
  status: string;
  chainId: number;
  settlement: `0x${string}`;
  solver: `0x${string}`;
  chainTime: number;
  killSwitch?: { paused: boolean; reason?: string | null; detail?: string | null };
}

export const wallets = signal<WalletChoice[]>([]);
export const connected = signal<Connected | null>(null);
/** Why the wallet cannot trade (wrong chain, no wallet): shown in the header. */
export const walletProblem = signal<{ code: string; message: string; chainId: number } | null>(null);

/** Providers whose account and chain events the page already follows (connecting twice adds no listeners). */
const followed = new WeakSet<EIP1193Provider>();

/**
 * EIP-6963 discovery: wallets announce themselves in answer to a request event; a provider injected the old
 * way (`window.ethereum`, EIP-1193) is offered when none announces.
 */
export function discoverWallets(): void {
  const seen = new Map<string, WalletChoice>();
  window.addEventListener("eip6963:announceProvider", (event) => {
    const detail = (event as CustomEvent<WalletChoice>).detail;
    if (!detail?.info?.uuid || !detail.provider) return;
    seen.set(detail.info.uuid, detail);
    wallets.value = [...seen.values()];
  });
  window.dispatchEvent(new Event("eip6963:requestProvider"));
  // Give announcements a moment; then fall back to window.ethereum.
  setTimeout(() => {
    const injected = (window as unknown as { ethereum?: EIP1193Provider }).ethereum;
    if (seen.size === 0 && injected) {
      wallets.value = [{ info: { uuid: "injected", name: "Browser wallet" }, provider: injected }];
    }
  }, 300);
}

/** The solver's chain, as the wallet should be on. */
export function chainOf(h: Health) {
  return defineChain({
    id: h.chainId,
    name: h.chainId === 31337 ? "Hardhat devnet" : `chain ${h.chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [] } },
  });
}

/** Asks the wallet for an account, checks its chain against the solver's, and builds the SDK client. */
export async function connect(choice: WalletChoice): Promise<void> {
  const { provider } = choice;
  const accounts = (await provider.request({ method: "eth_requestAccounts" })) as `0x${string}`[];
  const account = accounts[0];
  if (!account) throw Object.assign(new Error("the wallet gave no account"), { code: "WALLET_NOT_CONNECTED" });
  await bind(choice, account);
  if (followed.has(provider)) return;
  followed.add(provider);
  provider.on?.("accountsChanged", (list: `0x${string}`[]) => {
    if (list[0]) void bind(choice, list[0]).catch(() => {});
    else connected.value = null;
  });
  provider.on?.("chainChanged", () => void bind(choice, connected.value?.account ?? account).catch(() => {}));
}

async function bind(choice: WalletChoice, account: `0x${string}`): Promise<void> {
  const health = await api.get<Health>("/v1/health");
  const chainId = Number.parseInt(String(await choice.provider.request({ method: "eth_chainId" })), 16);
  if (chainId !== health.chainId) {
    connected.value = null;
    walletProblem.value = {
      code: "WALLET_WRONG_CHAIN",
      message: `Your wallet is on chain ${chainId}; this solver trades on chain ${health.chainId} (${chainOf(health).name}). Switch networks in your wallet.`,
      chainId: health.chainId,
    };
    return;
  }
  const wallet = createWalletClient({ account, chain: chainOf(health), transport: custom(choice.provider) });
  const client = await InternalizerClient.connect(location.origin, viemWallet(wallet));
  walletProblem.value = null;
  connected.value = { choice, account, chainId, client };
}

/** Asks the wallet to switch to the solver's chain (EIP-3326). */
export async function switchChain(choice: WalletChoice, chainId: number): Promise<void> {
  await choice.provider.request({
    method: "wallet_switchEthereumChain",
    params: [{ chainId: `0x${chainId.toString(16)}` }],
  });
  await connect(choice);
}

export function disconnect(): void {
  connected.value = null;
}
