import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { Wallet } from "ethers";
import { type Browser, chromium, type Page } from "playwright-core";
import { createWalletClient, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { chainFor } from "../../solver/chain/clients.js";

/** Debian's Chromium (apt-get install chromium); CHROMIUM_PATH overrides. No browser is downloaded. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(
    (p): p is string => Boolean(p),
  );
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      "Chromium is missing: `apt-get install chromium` (Debian), or set CHROMIUM_PATH to a Chromium binary",
    );
  }
  return found;
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox", "--disable-dev-shm-usage"] });
}

export const SCREENSHOTS = join("test-results", "screenshots");

/** A screenshot of the whole page at desktop width and at 390 px (a phone), under test-results/screenshots/. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const size = page.viewportSize() ?? { width: 1280, height: 900 };
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-390.png`), fullPage: true });
  // Nothing may push the page sideways on a phone (wide tables scroll inside their own box).
  const width = (await page.evaluate("document.documentElement.scrollWidth")) as number;
  const culprits = (await page.evaluate(`[...document.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > 390 && !e.closest(".table-wrap"))
    .slice(0, 5).map((e) => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right))`)) as string[];
  await page.setViewportSize(size);
  if (width > 390)
    throw new Error(`${name}: the page is ${width} px wide at a 390 px viewport: ${culprits.join(", ")}`);
}

/**
 * A real EIP-1193 provider in the page, announced through EIP-6963 (and, with `legacy`, as window.ethereum
 * only). Every request crosses to this process: accounts and the chain id are answered here, typed data is
 * signed with the devnet key (eth_signTypedData_v4, as MetaMask signs it), transactions are signed here and
 * sent to the node, and everything else is forwarded to the node's JSON-RPC. The page does what it does
 * with MetaMask; nothing in it is mocked.
 */
export async function injectWallet(
  page: Page,
  opts: { key: Hex; rpcUrl: string; chainId: number; reportChainId?: number; legacy?: boolean; name?: string },
): Promise<void> {
  const account = privateKeyToAccount(opts.key);
  const signer = new Wallet(opts.key);
  const wallet = createWalletClient({
    account,
    chain: chainFor(opts.chainId, opts.rpcUrl),
    transport: http(opts.rpcUrl),
  });
  const chainHex = `0x${(opts.reportChainId ?? opts.chainId).toString(16)}`;
  await page.exposeBinding("__devnetWallet", async (_source, method: string, params: unknown[]) => {
    switch (method) {
      case "eth_requestAccounts":
      case "eth_accounts":
        return [account.address];
      case "eth_chainId":
        return chainHex;
      case "eth_signTypedData_v4": {
        const data = JSON.parse(String(params[1])) as {
          domain: Record<string, unknown>;
          types: Record<string, Array<{ name: string; type: string }>>;
          message: Record<string, unknown>;
        };
        const { EIP712Domain: _, ...types } = data.types;
        return signer.signTypedData(data.domain, types, data.message);
      }
      case "eth_sendTransaction": {
        const tx = params[0] as { to: Hex; data?: Hex; value?: Hex };
        return wallet.sendTransaction({
          to: tx.to,
          ...(tx.data ? { data: tx.data } : {}),
          ...(tx.value ? { value: BigInt(tx.value) } : {}),
        });
      }
      default: {
        const res = await fetch(opts.rpcUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
        });
        const body = (await res.json()) as { result?: unknown; error?: { code: number; message: string } };
        if (body.error) throw Object.assign(new Error(body.error.message), { code: body.error.code });
        return body.result;
      }
    }
  });
  await page.addInitScript({ content: providerScript(opts.legacy ?? false, opts.name ?? "Devnet Wallet") });
}

/**
 * The page side of the wallet, as plain JavaScript text (a function would be serialised with the test
 * runner's transpiler helpers, which the page does not have).
 */
function providerScript(legacy: boolean, name: string): string {
  return `(() => {
  const listeners = new Map();
  const provider = {
    isDevnetWallet: true,
    request: ({ method, params }) => window.__devnetWallet(method, params ?? []),
    on(event, f) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(f);
      return provider;
    },
    removeListener(event, f) {
      listeners.get(event)?.delete(f);
      return provider;
    },
  };
  if (${JSON.stringify(legacy)}) {
    window.ethereum = provider;
    return;
  }
  const info = { uuid: "0b6c5a8e-devnet-wallet", name: ${JSON.stringify(name)}, icon: "data:image/svg+xml,<svg/>", rdns: "dev.internalizer.devnet" };
  const announce = () =>
    window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }));
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
})();`;
}

/** Critical axe-core violations of the page as it is (axe's own source, injected). */
export async function criticalA11y(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: join("node_modules", "axe-core", "axe.min.js") });
  const result = (await page.evaluate(
    "axe.run().then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help })))",
  )) as Array<{ id: string; impact: string; help: string }>;
  return result.filter((v) => v.impact === "critical").map((v) => `${v.id}: ${v.help}`);
}
