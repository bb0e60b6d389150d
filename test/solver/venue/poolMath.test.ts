import { expect } from "chai";
import type { Address } from "viem";
import { ErrorCode, InternalizerError } from "../../../solver/errors.js";
import {
  amount0Delta,
  amount1Delta,
  grossUpForFee,
  isToken0,
  priceFromSqrtX96,
  Q96,
  sortTokens,
  sqrtX96FromPrice,
  swapToPrice,
} from "../../../solver/venue/poolMath.js";
import { expectClose } from "../../support/approx.js";

const LOW = "0x1000000000000000000000000000000000000001" as Address;
const HIGH = "0xF000000000000000000000000000000000000001" as Address;
const LIQUIDITY = 10n ** 24n;

function thrown(f: () => unknown): InternalizerError {
  try {
    f();
  } catch (error) {
    return error as InternalizerError;
  }
  throw new Error("expected a throw");
}

describe("pool math", () => {
  it("puts the lower address first", () => {
    expect(isToken0(LOW, HIGH)).to.equal(true);
    expect(isToken0(HIGH, LOW)).to.equal(false);
    expect(sortTokens(HIGH, LOW)).to.deep.equal([LOW, HIGH]);
  });

  for (const wethIsToken0 of [true, false]) {
    it(`round trips prices through sqrtPriceX96 with WETH as token${wethIsToken0 ? 0 : 1}`, () => {
      for (const price of [0.01, 1, 1234.5678, 3000, 3000.0001, 250_000]) {
        const sqrt = sqrtX96FromPrice(price, wethIsToken0);
        expectClose(priceFromSqrtX96(sqrt, wethIsToken0) / price, 1, 1e-12, `price ${price}`);
        const again = sqrtX96FromPrice(priceFromSqrtX96(sqrt, wethIsToken0), wethIsToken0);
        expectClose(Number(again - sqrt) / Number(sqrt), 0, 1e-14, `sqrt of ${price}`);
      }
    });
  }

  it("prices a pool of 1 WETH to 3,000 USDC the same way in either token order", () => {
    // WETH token0: token1/token0 = 3000e6 / 1e18; USDC token0: 1e18 / 3000e6.
    const wethFirst = BigInt(Math.round(Math.sqrt(3000e6 / 1e18) * 2 ** 96));
    const usdcFirst = BigInt(Math.round(Math.sqrt(1e18 / 3000e6) * 2 ** 96));
    expectClose(priceFromSqrtX96(wethFirst, true), 3000, 1e-9);
    expectClose(priceFromSqrtX96(usdcFirst, false), 3000, 1e-9);
  });

  it("refuses a price that is not positive and finite, or outside the pool's range, with VENUE_PRICE_INVALID", () => {
    for (const price of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 1e-40]) {
      const e = thrown(() => sqrtX96FromPrice(price, true));
      expect(e).to.be.instanceOf(InternalizerError);
      expect(e.code).to.equal(ErrorCode.VenuePriceInvalid);
    }
  });

  it("computes the token amounts between two prices with the pool's rounding (up)", () => {
    // L = 1, price 1 → 4: Δx = 1/1 - 1/2 = 0.5 → rounds up to 1; Δy = 2 - 1 = 1.
    expect(amount0Delta(Q96, 2n * Q96, 1n)).to.equal(1n);
    expect(amount1Delta(Q96, 2n * Q96, 1n)).to.equal(1n);
    expect(amount0Delta(Q96, 2n * Q96, 10n ** 18n)).to.equal(5n * 10n ** 17n);
    expect(amount1Delta(2n * Q96, Q96, 10n ** 18n)).to.equal(10n ** 18n);
  });

  it("grosses an input up for the fee so that the pool keeps at least the net amount", () => {
    for (const net of [1n, 999n, 10n ** 18n, 123_456_789_012_345n]) {
      const gross = grossUpForFee(net, 500);
      expect((gross * 999_500n) / 1_000_000n >= net).to.equal(true);
      expect(((gross - 1n) * 999_500n) / 1_000_000n < net).to.equal(true);
    }
  });

  for (const wethIsToken0 of [true, false]) {
    const state = { sqrtPriceX96: sqrtX96FromPrice(3000, wethIsToken0), liquidity: LIQUIDITY, wethIsToken0, fee: 500 };

    it(`sells WETH to lower the price and USDC to raise it (WETH token${wethIsToken0 ? 0 : 1})`, () => {
      expect(swapToPrice(state, 2940)?.sell).to.equal("weth");
      expect(swapToPrice(state, 3060)?.sell).to.equal("usdc");
    });

    it(`returns null when the price is within 1 bp of the target (WETH token${wethIsToken0 ? 0 : 1})`, () => {
      expect(swapToPrice(state, 3000)).to.equal(null);
      expect(swapToPrice(state, 3000 * 1.000099)).to.equal(null);
      expect(swapToPrice(state, 3000 * 0.999901)).to.equal(null);
      expect(swapToPrice(state, 3000 * 1.00011)).to.not.equal(null);
    });
  }

  it("asks for the v3 amount to the target plus the fee: L·(√P_b − √P_a) of USDC to raise the price", () => {
    const state = { sqrtPriceX96: sqrtX96FromPrice(3000, true), liquidity: LIQUIDITY, wethIsToken0: true, fee: 500 };
    const plan = swapToPrice(state, 3060)!;
    const net = amount1Delta(state.sqrtPriceX96, sqrtX96FromPrice(3060, true), LIQUIDITY);
    expect(plan).to.deep.equal({ sell: "usdc", amountIn: grossUpForFee(net, 500) });
    // In USD: L·√P·(√1.02 − 1) / 1e6 with √P in raw units; about 0.99% of the virtual USDC reserve.
    const virtualUsdc = (Number(LIQUIDITY) * Math.sqrt(3000e6 / 1e18)) / 1e6;
    expectClose(Number(net) / 1e6 / virtualUsdc, Math.sqrt(1.02) - 1, 1e-9);
  });

  it("refuses to plan a swap on a pool with no active liquidity with NO_LIQUIDITY", () => {
    const state = { sqrtPriceX96: sqrtX96FromPrice(3000, true), liquidity: 0n, wethIsToken0: true, fee: 500 };
    expect(thrown(() => swapToPrice(state, 3100)).code).to.equal(ErrorCode.NoLiquidity);
  });
});
