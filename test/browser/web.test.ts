import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type Stack, startStack } from "../../scripts/lib/stack.js";
import { WEB_DIST } from "../../solver/api/static.js";
import type { ReportRow } from "../../solver/report/aggregate.js";
import { cliJson, eventually, key, now, travelTo } from "../journeys/devnet.js";
import { criticalA11y, injectWallet, launch, screenshots } from "./browser.js";

/**
 * The web app's journeys in Debian's Chromium, against the devnet as processes (its own stack: orders wait
 * 4 s in the batch window so that a cancel can reach one, and the keeper leaves clients' exercise to them so
 * the page's exercise button is used). The wallet is a real EIP-1193 provider in the page (browser.ts).
 */
describe("browser: the web app", function () {
  this.timeout(600_000);
  let stack: Stack;
  let browser: Browser;
  let instrument: string;
  let expiry: number;
  const chainId = 31337;

  before(async () => {
    // npm test builds it first (build:run); a bare `hardhat test` needs `npm run build` once.
    if (!existsSync(join(WEB_DIST, "index.html"))) throw new Error("web/dist is missing: run `npm run build` first");
    [stack, browser] = await Promise.all([
      startStack({
        dir: mkdtempSync(join(tmpdir(), "internalizer-browser-")),
        config: {
          submitter: { batchWindowMs: 4000 },
          keeper: { exerciseForClients: false },
          api: { streamIntervalMs: 1000, ratePerSecond: 20, rateBurst: 40 },
        },
      }),
      launch(),
    ]);
    // A series two hours out, with vols on both sides (as the expiry journey makes one).
    expiry = (await now(stack)) + 2 * 3600;
    const created = await cliJson<{ instrument: string }>(
      stack,
      ["series", "create", "--strike", "2950", "--expiry", String(expiry)],
      { PRIVATE_KEY: key(0) },
    );
    instrument = created.instrument;
    await cliJson(stack, ["vault", "vol", "both", "--expiry", instrument, "--atm", "0.8"], { PRIVATE_KEY: key(1) });
    await cliJson(stack, ["vol", "set", "--expiry", instrument, "--atm", "0.8"]);
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function open(index: number, hash = "#/trade", opts: { legacy?: boolean; reportChainId?: number } = {}) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await injectWallet(page, { key: key(index), rpcUrl: stack.node.url, chainId, ...opts });
    await page.goto(`${stack.api}/${hash}`);
    return page;
  }

  async function connectWallet(page: Page, index: number): Promise<void> {
    await page.getByRole("button", { name: /^Connect / }).click();
    const address = privateKeyToAccount(key(index)).address;
    await page.getByTestId("account").waitFor();
    expect(await page.getByTestId("account").getAttribute("title")).to.equal(address);
  }

  /** Buys (or sells) through the ticket; returns the order's final status as the page shows it. */
  async function trade(page: Page, side: "buy" | "sellToClose", size: string): Promise<Page> {
    await page.getByTestId(side === "buy" ? `ask-${instrument}` : `bid-${instrument}`).click();
    await page.getByTestId("ticket-size").fill(size);
    await page.getByTestId("request-quote").click();
    return page;
  }

  it("Trader: connects, approves, gets a firm quote with its improvement, signs, and sees the fill and the position", async () => {
    const page = await open(9);
    await page.getByTestId("option-chain").waitFor();
    await connectWallet(page, 9);
    await trade(page, "buy", "1");
    // Account 9 has given no approvals: the solver's check asks for one, the page prompts, the wallet sends it.
    await page.getByTestId("approvals").waitFor();
    expect(await page.getByTestId("approvals").textContent()).to.match(
      /approve the settlement \(0x.*\) to spend [\d.]+ WETH: this trade needs [\d.]+ WETH, plus 1% for price moves/,
    );
    await page.getByTestId("approve").click();
    await page.getByTestId("quote").waitFor({ timeout: 60_000 });
    expect(await page.getByTestId("quote-improvement").textContent()).to.match(/bps/);
    expect(await page.getByTestId("countdown").textContent()).to.match(/valid for \d+s/);
    expect(await page.getByTestId("quote-route").textContent()).to.match(/solver|AMM/);
    await screenshots(page, "trader-quote");
    await page.getByTestId("sign-order").click();
    await page.locator('[data-testid=order-progress][data-status="filled"]').waitFor({ timeout: 60_000 });
    const row = page.locator(`[data-testid=positions] tr[data-instrument="${instrument}"]`);
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).to.match(/1 option/);
    await page.locator("[data-testid=fills] tbody tr").first().waitFor();
    expect(await page.getByTestId("fill-improvement").first().textContent()).to.match(/bps/);
    expect(await criticalA11y(page)).to.deep.equal([]);
    await screenshots(page, "trader");
    await page.context().close();
  });

  it("Trader: cancels an order before the solver sends it", async () => {
    const page = await open(8);
    await page.getByTestId("option-chain").waitFor();
    await connectWallet(page, 8);
    await trade(page, "buy", "0.5");
    await page.getByTestId("quote").waitFor({ timeout: 60_000 });
    await page.getByTestId("sign-order").click();
    const row = page.locator("[data-testid=orders] tr[data-order]").first();
    await row.waitFor();
    const hash = (await row.getAttribute("data-order")) as Hex;
    await page.getByTestId(`cancel-${hash}`).click();
    await page
      .locator(`[data-testid=orders] tr[data-order="${hash}"][data-status="cancelled"]`)
      .waitFor({ timeout: 60_000 });
    expect(await page.locator(`[data-testid=orders] tr[data-order="${hash}"]`).textContent()).to.match(/cancelled/);
    await page.getByText(/nonce invalidated in tx/).waitFor();
    await screenshots(page, "trader-cancel");
    await page.context().close();
  });

  it("Trader: a wallet on another chain is refused with a clear message (EIP-1193 fallback, no EIP-6963)", async () => {
    const page = await open(7, "#/trade", { legacy: true, reportChainId: 1 });
    await page.getByRole("button", { name: /^Connect Browser wallet/ }).click();
    const alert = page.locator('[data-code="WALLET_WRONG_CHAIN"]');
    await alert.waitFor();
    expect(await alert.textContent()).to.match(/chain 1; this solver trades on chain 31337/);
    await page.context().close();
  });

  it("LP: deposits into the put vault and sees the shares and the lock-up", async () => {
    const page = await open(4, "#/lp");
    await connectWallet(page, 4);
    await page.getByTestId("owner-put").waitFor({ timeout: 30_000 });
    await page.getByTestId("deposit-put-amount").fill("1000");
    await page.getByTestId("deposit-put").click();
    await page.getByText(/deposited 1000 USDC/).waitFor({ timeout: 60_000 });
    await eventually(async () => {
      const text = await page.getByTestId("lockup-put").textContent();
      return /locked until/.test(text ?? "") ? true : undefined;
    });
    // More than is free is refused with the reason.
    await page.getByTestId("withdraw-put-amount").fill("100000000");
    await page.getByTestId("withdraw-put").click();
    const refusal = page.locator("[data-testid=owner-put] .note.error");
    await refusal.waitFor();
    expect(await refusal.getAttribute("data-code")).to.be.oneOf(["SHARES_LOCKED", "INSUFFICIENT_BALANCE"]);
    expect(await criticalA11y(page)).to.deep.equal([]);
    await screenshots(page, "lp");
    await page.context().close();
  });

  it("Operator: pauses; the trader's next quote is refused with the pause code; resumes", async () => {
    const op = await open(0, "#/operator");
    await op.getByTestId("admin-token").fill(stack.adminToken);
    await op.getByRole("button", { name: "Sign in" }).click();
    await op.getByTestId("pause").click();
    await op.locator('[data-testid=kill-switch][data-paused="true"]').waitFor();
    const trader = await open(6);
    await trader.getByTestId("option-chain").waitFor();
    await connectWallet(trader, 6);
    await trade(trader, "buy", "1");
    const refusal = trader.locator('#ticket [data-code="SOLVER_PAUSED"]');
    await refusal.waitFor({ timeout: 30_000 });
    expect(await refusal.textContent()).to.match(/The solver is paused/);
    // The trader's page never saw the admin token.
    expect(await trader.evaluate("JSON.stringify(sessionStorage) + JSON.stringify(localStorage)")).to.not.contain(
      stack.adminToken,
    );
    await op.getByTestId("resume").click();
    await op.locator('[data-testid=kill-switch][data-paused="false"]').waitFor();
    await trader.getByTestId("request-quote").click();
    await trader.getByTestId("quote").waitFor({ timeout: 60_000 });
    // Limits and vols through the same validated calls as the CLI: a bad value is refused with its code.
    await op.getByText("Risk limits").click();
    await op.getByTestId("limit-maxOrderSize").fill("-5");
    await op.getByTestId("save-limits").click();
    await op.locator('#controls [data-code="INVALID_REQUEST"]').waitFor();
    await op.getByTestId("limit-maxOrderSize").fill("40");
    await op.getByTestId("save-limits").click();
    await op.getByText("limits saved").waitFor();
    expect((await cliJson<{ maxOrderSize: number }>(stack, ["limits", "show"])).maxOrderSize).to.equal(40);
    await op.getByText("Vol surface").click();
    await op.getByTestId("vol-atmVol").fill("0.85");
    await op.getByTestId("save-vol").click();
    await op.getByText(/vol slice for .* saved/).waitFor();
    await op.getByTestId("heatmap").waitFor({ timeout: 30_000 });
    await op.locator("figure.chart canvas").first().waitFor({ timeout: 30_000 });
    expect(await criticalA11y(op)).to.deep.equal([]);
    await screenshots(op, "operator");
    await trader.context().close();
    await op.context().close();
  });

  it("Public: the execution-quality report downloads, and its totals equal the CLI's --from-chain report", async () => {
    const page = await open(5, "#/report");
    await page.getByTestId("report-total").waitFor({ timeout: 60_000 });
    const [csvFile] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-csv").click()]);
    const csv = readFileSync(await csvFile.path(), "utf8")
      .trim()
      .split("\n");
    const [jsonFile] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-json").click()]);
    const page_ = JSON.parse(readFileSync(await jsonFile.path(), "utf8")) as { rows: ReportRow[] };
    const chain = await cliJson<{ rows: ReportRow[] }>(stack, ["report", "execution", "--from-chain"]);
    const total = (r: { rows: ReportRow[] }) => {
      const t = r.rows.find((x) => x.bucket === "all" && x.route === "all")!;
      // What a later block cannot change (markouts mature with time).
      return {
        orders: t.orders,
        filledOrders: t.filledOrders,
        fills: t.fills,
        notionalUsd: t.notionalUsd,
        internalShare: t.internalShare,
        totalImprovementUsd: t.totalImprovementUsd,
      };
    };
    expect(total(page_).fills).to.be.greaterThan(0);
    expect(total(page_)).to.deep.equal(total(chain));
    expect(await page.getByTestId("total-fills").textContent()).to.equal(String(total(chain).fills));
    const header = csv[0]!.split(",");
    const line = csv.find(
      (l) => l.split(",")[header.indexOf("bucket")] === "all" && l.split(",")[header.indexOf("route")] === "all",
    )!;
    const cells = line.split(",");
    expect(Number(cells[header.indexOf("fills")])).to.equal(total(chain).fills);
    expect(Number(cells[header.indexOf("orders")])).to.equal(total(chain).orders);
    expect(Number(cells[header.indexOf("total_improvement_usd")])).to.equal(total(chain).totalImprovementUsd);
    expect(await criticalA11y(page)).to.deep.equal([]);
    await screenshots(page, "report");
    await page.context().close();
  });

  it("Trader: the page reconnects to the stream after the solver restarts", async () => {
    const page = await open(5);
    await page.locator("[data-testid=stream-state].live").waitFor({ timeout: 30_000 });
    await stack.stopSolver();
    await page.locator("[data-testid=stream-state].reconnecting").waitFor({ timeout: 30_000 });
    await stack.startSolver();
    await page.locator("[data-testid=stream-state].live").waitFor({ timeout: 60_000 });
    // Prices flow again on the new connection.
    const before = await page.getByTestId("spot").textContent();
    await eventually(
      async () => ((await page.getByTestId("spot").textContent()) !== before ? true : undefined),
      30_000,
    );
    await page.context().close();
  });

  it("Trader: is keyboard reachable from the top of the page to the ticket", async () => {
    const page = await open(5);
    await page.getByTestId("option-chain").waitFor();
    let reached = false;
    for (let i = 0; i < 150 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = (await page.evaluate("document.activeElement?.getAttribute('data-testid')")) === "request-quote";
    }
    expect(reached).to.equal(true);
    await page.context().close();
  });

  it("Trader: after expiry, sees the payoff and exercises", async () => {
    const page = await open(9);
    await connectWallet(page, 9);
    await travelTo(stack, expiry + 60, 3100n * 10n ** 8n);
    const row = page.locator(`[data-testid=positions] tr[data-instrument="${instrument}"]`);
    await eventually(async () => ((await row.textContent())?.includes("payoff") ? true : undefined), 90_000);
    await page.getByTestId(`exercise-${instrument}`).click();
    await page.getByText(/exercised in tx/).waitFor({ timeout: 60_000 });
    await eventually(
      async () => (/exercised: .* paid to you/.test((await row.textContent()) ?? "") ? true : undefined),
      30_000,
    );
    await screenshots(page, "trader-expiry");
    await page.context().close();
  });
});
