import { expect } from "chai";
import { encodeErrorResult } from "viem";
import { optionSettlementAbi, optionVaultAbi } from "../../../solver/chain/abis.js";
import { decodeRevert } from "../../../solver/chain/revert.js";
import { codeOfRevert, describeRevert } from "../../../solver/chain/revertText.js";
import { amountJson, formatAmount, roundDecimal } from "../../../solver/domain/amount.js";
import { instrumentName, parseInstrument } from "../../../solver/domain/instrument.js";
import { resolveSeries, type SeriesLookupError } from "../../../solver/domain/series.js";
import { decodeSeriesId, encodeSeriesId, type SeriesTerms } from "../../../solver/domain/seriesId.js";
import { SIDES, sideCode, sideName } from "../../../solver/domain/side.js";
import { ErrorCode } from "../../../solver/errors.js";

const USDC = 10n ** 6n;
const at = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const terms = (strike: bigint, iso: string, isCall: boolean): SeriesTerms => ({
  pairId: 1,
  strike,
  expiry: at(iso),
  isCall,
});

describe("instrument names", () => {
  it("names a series Deribit style: underlying, expiry day/month/year, strike, C or P", () => {
    expect(instrumentName(terms(3000n * USDC, "2026-12-07T08:00:00Z", true))).to.equal("ETH-7DEC26-3000-C");
    expect(instrumentName(terms(3100_500_000n, "2027-01-29T08:00:00Z", false))).to.equal("ETH-29JAN27-3100.5-P");
  });

  it("parses names back, case-insensitively, and refuses what is not one", () => {
    expect(parseInstrument("eth-7dec26-3000-c")).to.deep.equal({
      date: "2026-12-07",
      strike: 3000n * USDC,
      isCall: true,
    });
    expect(parseInstrument("ETH-29JAN27-3100.5-P")).to.deep.equal({
      date: "2027-01-29",
      strike: 3100_500_000n,
      isCall: false,
    });
    for (const bad of [
      "ETH-31FEB27-3000-C",
      "BTC-7DEC26-3000-C",
      "ETH-7DEC26-0-C",
      "ETH-7DEC26-3000-X",
      "ETH-7DEC26-1.0000001-C",
      "3000",
    ]) {
      expect(parseInstrument(bad), bad).to.equal(null);
    }
  });

  it("resolves an id or a name against the known series, and says when a name is ambiguous or unknown", () => {
    const a = encodeSeriesId(terms(3000n * USDC, "2026-12-07T08:00:00Z", true));
    const b = encodeSeriesId(terms(3000n * USDC, "2026-12-07T16:00:00Z", true));
    const c = encodeSeriesId(terms(3000n * USDC, "2026-12-07T08:00:00Z", false));
    const known = new Map([a, b, c].map((id) => [id, decodeSeriesId(id)]));
    expect(resolveSeries(a.toString(), known)).to.equal(a);
    expect(resolveSeries(`0x${c.toString(16)}`, known)).to.equal(c);
    expect(resolveSeries("ETH-7DEC26-3000-P", known)).to.equal(c);
    const fail = (text: string) => {
      try {
        resolveSeries(text, known);
      } catch (error) {
        return (error as SeriesLookupError).code;
      }
      return null;
    };
    expect(fail("ETH-7DEC26-3000-C")).to.equal(ErrorCode.SeriesAmbiguous);
    expect(fail("ETH-8DEC26-3000-C")).to.equal(ErrorCode.SeriesUnknown);
    expect(fail("12345")).to.equal(ErrorCode.SeriesUnknown);
    expect(fail("strangle")).to.equal(ErrorCode.SeriesUnknown);
  });
});

describe("sides", () => {
  it("encodes the settlement's Side enum in one place", () => {
    expect(SIDES.map(sideCode)).to.deep.equal([0, 1, 2]);
    expect([0, 1, 2].map(sideName)).to.deep.equal(["buy", "sellToClose", "sellToOpen"]);
    expect(() => sideName(3)).to.throw(RangeError);
  });
});

describe("amounts for people", () => {
  it("carries exact base units and the value in units, never a float", () => {
    expect(amountJson(138_375_329_965_458_350n, { symbol: "WETH", decimals: 18 })).to.deep.equal({
      raw: "138375329965458350",
      decimals: 18,
      symbol: "WETH",
      formatted: "0.13837532996545835",
    });
    expect(formatAmount(138_375_329_965_458_350n, { symbol: "WETH", decimals: 18 })).to.equal("0.138375 WETH");
    expect(roundDecimal("2.9999996", 6)).to.equal("3");
    expect(roundDecimal("-0.1234565", 6)).to.equal("-0.123457");
  });
});

describe("custom errors in words", () => {
  it("shows times as ISO chain time, series as instrument names, amounts in units", () => {
    const locked = decodeRevert(
      encodeErrorResult({
        abi: optionVaultAbi,
        errorName: "SharesLocked",
        args: ["0xa0Ee7A142d267C1f36714E4a8F75612F20a79720", 10n ** 24n, 1796065743n],
      }),
    )!;
    expect(describeRevert(locked)).to.equal(
      "SharesLocked: the shares of 0xa0Ee…9720 are locked until 2026-11-30T19:09:03Z (chain time)",
    );
    const liquidity = decodeRevert(
      encodeErrorResult({
        abi: optionVaultAbi,
        errorName: "InsufficientLiquidity",
        args: [5n * 10n ** 17n, 10n ** 17n],
      }),
    )!;
    expect(describeRevert(liquidity, { asset: { symbol: "WETH", decimals: 18 } })).to.equal(
      "InsufficientLiquidity: the vault needs 0.5 WETH of free assets and has 0.1 WETH",
    );
    const id = encodeSeriesId(terms(3000n * USDC, "2026-12-07T08:00:00Z", true));
    const expired = decodeRevert(encodeErrorResult({ abi: optionVaultAbi, errorName: "SeriesExpired", args: [id] }))!;
    expect(describeRevert(expired)).to.equal("SeriesExpired: ETH-7DEC26-3000-C has expired");
  });

  it("maps settlement reverts to the codes a user can act on", () => {
    const expired = decodeRevert(
      encodeErrorResult({ abi: optionSettlementAbi, errorName: "IntentExpired", args: [5n] }),
    )!;
    expect(codeOfRevert(expired.name)).to.equal(ErrorCode.QuoteExpired);
    expect(codeOfRevert("ERC20InsufficientAllowance")).to.equal(ErrorCode.AllowanceMissing);
    expect(codeOfRevert("WorseThanAmm")).to.equal(ErrorCode.SettlementReverted);
  });
});
