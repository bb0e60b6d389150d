import { expect } from "chai";
import { detailsText } from "../../../solver/cli/context.js";
import { withdrawRefusal } from "../../../solver/cli/onchain.js";
import { expiryOnDay, killSwitchText, smileText } from "../../../solver/cli/ops.js";
import { ErrorCode } from "../../../solver/errors.js";

const WETH = { symbol: "WETH", decimals: 18 };
const E18 = 10n ** 18n;
/** A vault as `vault status` reads it, for an LP worth 10 WETH of which `max` is withdrawable now. */
const vault = (over: Partial<Parameters<typeof withdrawRefusal>[0]>) =>
  ({
    vault: "0x0000000000000000000000000000000000000001",
    owner: "0x0000000000000000000000000000000000000002",
    shares: 10n * E18,
    assets: 10n * E18,
    totalAssets: 100n * E18,
    totalSupply: 100n * E18,
    freeAssets: 50n * E18,
    lockedAssets: 50n * E18,
    utilisation: E18 / 2n,
    lockedUntil: 0,
    maxWithdraw: 10n * E18,
    sharePrice: E18,
    shareDecimals: 18,
    ...over,
  }) as Parameters<typeof withdrawRefusal>[0];

describe("the CLI's words for people", () => {
  describe("withdrawRefusal", () => {
    const NOW = 1_800_000_000;

    it("says SHARES_LOCKED with the chain time the lock-up ends while the LP's shares are locked", () => {
      const e = withdrawRefusal(vault({ lockedUntil: NOW + 60, maxWithdraw: 0n }), E18, WETH, NOW);
      expect(e.code).to.equal(ErrorCode.SharesLocked);
      expect(e.message).to.equal(
        "you can withdraw 0 WETH now, not 1 WETH: your shares are locked until 2027-01-15T08:01:00Z (chain time)",
      );
      expect(e.details?.lockedUntil).to.equal(NOW + 60);
      expect(e.details?.requested).to.deep.include({ raw: E18.toString(), symbol: "WETH" });
    });

    it("says SHARES_LOCKED when only the latest deposit's shares are locked and neither worth nor free assets bind", () => {
      const e = withdrawRefusal(vault({ lockedUntil: NOW + 60, maxWithdraw: 8n * E18 }), 9n * E18, WETH, NOW);
      expect(e.code).to.equal(ErrorCode.SharesLocked);
      expect(e.message).to.equal(
        "you can withdraw 8 WETH now, not 9 WETH: the shares of your latest deposits are locked until 2027-01-15T08:01:00Z (chain time) (your shares are worth 10 WETH)",
      );
    });

    it("says VAULT_ASSETS_LOCKED when the LP owns enough but the vault's free assets are collateral", () => {
      const e = withdrawRefusal(vault({ freeAssets: 2n * E18, maxWithdraw: 2n * E18 }), 5n * E18, WETH, NOW);
      expect(e.code).to.equal(ErrorCode.VaultAssetsLocked);
      expect(e.message).to.match(/free assets are 2 WETH; the rest is collateral for open options$/);
      expect(e.details?.freeAssets).to.deep.include({ raw: (2n * E18).toString() });
    });

    it("says INSUFFICIENT_BALANCE when the LP asks for more than its shares are worth", () => {
      const e = withdrawRefusal(vault({}), 11n * E18, WETH, NOW);
      expect(e.code).to.equal(ErrorCode.InsufficientBalance);
      expect(e.message).to.equal("you can withdraw 10 WETH now, not 11 WETH: your shares are worth 10 WETH");
    });

    it("reads the lock-up against chain time, not the wall clock: a lock past in chain time is no lock", () => {
      const e = withdrawRefusal(vault({ lockedUntil: NOW - 1, maxWithdraw: 0n, freeAssets: 0n }), E18, WETH, NOW);
      expect(e.code).to.equal(ErrorCode.VaultAssetsLocked);
    });
  });

  describe("expiryOnDay", () => {
    const day = Date.parse("2026-12-07T00:00:00Z") / 1000;

    it("finds the one expiry on a UTC day, whatever its hour", () => {
      expect(expiryOnDay("2026-12-07", [day - 1, day + 8 * 3600, day + 8 * 3600, day + 86_400])).to.equal(
        day + 8 * 3600,
      );
    });

    it("refuses a day without a series with SERIES_UNKNOWN", () => {
      expect(() => expiryOnDay("2026-12-07", [day - 1, day + 86_400]))
        .to.throw("no series expires on 2026-12-07; pass the expiry time or an instrument name")
        .with.property("code", ErrorCode.SeriesUnknown);
    });

    it("refuses a day with two expiries and lists them", () => {
      expect(() => expiryOnDay("2026-12-07", [day + 3600, day + 7200]))
        .to.throw(/several expiries fall on 2026-12-07 \(2026-12-07T01:00:00Z \(chain time\), 2026-12-07T02:00:00Z/)
        .with.property("code", ErrorCode.InvalidRequest);
    });

    it("refuses something that is not a date", () => {
      expect(() => expiryOnDay("2026-13-45", [day])).to.throw('"2026-13-45" is not a date');
    });
  });

  it("prints a refusal's details for people: amounts in units, chain times as ISO, approvals by their call", () => {
    expect(
      detailsText({
        requested: { raw: "1000000000000000000", decimals: 18, symbol: "WETH", formatted: "1" },
        lockedUntil: 1_800_000_000,
        approvals: [{ to: "0x01", data: "0x", call: "approve(settlement, 0.0725 WETH)" }],
        chainId: 31337,
      }),
    ).to.equal(
      "  requested: 1 WETH\n  lockedUntil: 2027-01-15T08:00:00Z (chain time)\n" +
        "  approvals: approve(settlement, 0.0725 WETH)\n  chainId: 31337\n",
    );
  });

  it("words the kill switch and a smile", () => {
    expect(killSwitchText({ paused: false, reason: null, detail: null, since: null })).to.equal("quoting");
    expect(killSwitchText({ paused: true, reason: "MANUAL", detail: "operator", since: 1_800_000_000 })).to.equal(
      "PAUSED since 2027-01-15T08:00:00Z (chain time): MANUAL (operator)",
    );
    expect(smileText({ atmVol: 0.8, skew: -0.1, curvature: 0.05 })).to.equal(
      "atm 80.0%, skew -0.1000, curvature 0.0500",
    );
  });
});
