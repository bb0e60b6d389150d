// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {FixedPointMathLib} from "solady/src/utils/FixedPointMathLib.sol";

/// @title BlackScholes
/// @notice European option prices and greeks in 18-decimal fixed point (WAD).
/// @dev The normal CDF is Hart's 1968 double-precision rational approximation (algorithm 5666, as
/// published by West, "Better approximations to cumulative normal functions", 2005). Its error is
/// ~1e-15, far inside the 1e-9 x spot budget; the coarser Abramowitz-Stegun or Shore forms used by
/// other on-chain pricers (~1e-7) are not. ln, exp and sqrt come from solady (~600 gas each).
library BlackScholes {
    /// @notice Thrown when spot or strike is zero, or an input is too large for the fixed-point range.
    error InvalidPricingInput();

    /// @notice Prices and greeks of one (spot, strike, time, vol, rate) point, all WAD.
    /// @param call Call price, in quote units per underlying unit.
    /// @param put Put price, in quote units per underlying unit.
    /// @param callDelta dCall/dSpot, in [0, 1]; the put delta is callDelta - 1.
    /// @param vega dPrice/dVol per 1.0 of vol (not per vol point); equal for calls and puts.
    struct Greeks {
        uint256 call;
        uint256 put;
        uint256 callDelta;
        uint256 vega;
    }

    int256 private constant WAD = 1e18;
    /// @dev 1 / sqrt(2 pi), WAD.
    int256 private constant INV_SQRT_2PI = 398942280401432678;
    /// @dev Above this |x| the rational form hands over to the continued fraction (10 / sqrt(2)).
    int256 private constant RATIONAL_CUTOFF = 7071067811865470000;
    /// @dev Above this |x|, exp(-x^2/2) is below 1 wei and the tail is exactly 0 in WAD.
    int256 private constant TAIL_CUTOFF = 9104368188850000000;
    /// @dev Inputs are bounded so every intermediate product stays far from int256 overflow:
    /// 1e45 x 1e18 x 1e19 < 2^255.
    uint256 private constant MAX_INPUT = 1e45;

    /// @notice Prices a European call and put and returns their greeks.
    /// @param spot Spot price, WAD (quote units per underlying unit).
    /// @param strike Strike price, WAD, same units as spot.
    /// @param tYears Time to expiry in years, WAD. Zero prices intrinsic value.
    /// @param vol Implied volatility, WAD (0.8e18 = 80%). Zero prices discounted intrinsic value.
    /// @param rate Continuously compounded risk-free rate, WAD.
    function greeks(
        uint256 spot,
        uint256 strike,
        uint256 tYears,
        uint256 vol,
        uint256 rate
    ) internal pure returns (Greeks memory g) {
        if (spot == 0 || strike == 0 || spot > MAX_INPUT || strike > MAX_INPUT) revert InvalidPricingInput();
        if (tYears > 100e18 || vol > 100e18 || rate > 10e18) revert InvalidPricingInput();
        // Every value below is bounded by MAX_INPUT (1e45) times small WAD factors, so int256 casts and
        // products stay below 2^255; the range checks above make that hold for every accepted input.
        unchecked {
            int256 s = int256(spot);
            int256 k = int256(strike);
            int256 t = int256(tYears);
            int256 sigma = int256(vol);
            int256 discountedStrike = (k * FixedPointMathLib.expWad(-(int256(rate) * t) / WAD)) / WAD;
            int256 sqrtT = int256(FixedPointMathLib.sqrtWad(tYears));
            int256 stdDev = (sigma * sqrtT) / WAD;

            if (stdDev == 0) {
                // No diffusion left: the option is worth its discounted intrinsic value.
                int256 forwardGap = s - discountedStrike;
                if (forwardGap > 0) {
                    g.call = uint256(forwardGap);
                    g.callDelta = uint256(WAD);
                } else {
                    g.put = uint256(-forwardGap);
                    if (forwardGap == 0) g.callDelta = uint256(WAD / 2);
                }
                return g;
            }

            return _diffusive(s, discountedStrike, stdDev, sqrtT);
        }
    }

    /// @dev The general case, split out to keep the stack shallow.
    function _diffusive(
        int256 s,
        int256 discountedStrike,
        int256 stdDev,
        int256 sqrtT
    ) private pure returns (Greeks memory g) {
        // Same bounds as in `greeks`: operands are at most ~1e45 x 1e18, far below 2^255.
        unchecked {
            // d1 = (ln(S / (K e^-rT)) + sigma^2 T / 2) / (sigma sqrt T); the discounted strike folds the
            // rate term into the log.
            int256 logMoneyness = FixedPointMathLib.lnWad((s * WAD) / discountedStrike);
            int256 d1 = ((logMoneyness + (stdDev * stdDev) / (2 * WAD)) * WAD) / stdDev;
            (int256 nd1, int256 pdf1) = _cdf(d1);
            (int256 nd2, ) = _cdf(d1 - stdDev);

            // Computing the put from the same N(d1), N(d2) keeps put-call parity exact up to rounding.
            int256 callPrice = (s * nd1 - discountedStrike * nd2) / WAD;
            int256 putPrice = (discountedStrike * (WAD - nd2) - s * (WAD - nd1)) / WAD;
            g.call = callPrice > 0 ? uint256(callPrice) : 0;
            g.put = putPrice > 0 ? uint256(putPrice) : 0;
            g.callDelta = uint256(nd1);
            g.vega = uint256((((s * pdf1) / WAD) * sqrtT) / WAD);
        }
    }

    /// @notice The standard normal CDF N(x) and density phi(x), both WAD.
    function cdf(int256 x) internal pure returns (int256 n, int256 pdf) {
        return _cdf(x);
    }

    /// @dev Hart (1968) / West (2005): a 6/7-degree rational in |x| times e^(-x^2/2) below 10/sqrt(2),
    /// a continued fraction above it. Returns the upper tail for x < 0 and its complement otherwise.
    function _cdf(int256 x) private pure returns (int256 n, int256 pdf) {
        // |x| is bounded by the callers' d1/d2 range (~1e20 at most); squares fit easily in int256.
        unchecked {
            int256 ax = x < 0 ? -x : x;
            int256 tail;
            if (ax < TAIL_CUTOFF) {
                int256 gauss = FixedPointMathLib.expWad(-(ax * ax) / (2 * WAD));
                pdf = (gauss * INV_SQRT_2PI) / WAD;
                if (ax < RATIONAL_CUTOFF) {
                    int256 num = 35262496599891100;
                    num = (num * ax) / WAD + 700383064443688000;
                    num = (num * ax) / WAD + 6373962203531650000;
                    num = (num * ax) / WAD + 33912866078383000000;
                    num = (num * ax) / WAD + 112079291497871000000;
                    num = (num * ax) / WAD + 221213596169931000000;
                    num = (num * ax) / WAD + 220206867912376000000;
                    int256 den = 88388347648318400;
                    den = (den * ax) / WAD + 1755667163182640000;
                    den = (den * ax) / WAD + 16064177579207000000;
                    den = (den * ax) / WAD + 86780732202946100000;
                    den = (den * ax) / WAD + 296564248779674000000;
                    den = (den * ax) / WAD + 637333633378831000000;
                    den = (den * ax) / WAD + 793826512519948000000;
                    den = (den * ax) / WAD + 440413735824752000000;
                    tail = (gauss * num) / den;
                } else {
                    int256 frac = ax + 650000000000000000;
                    frac = ax + (4 * WAD * WAD) / frac;
                    frac = ax + (3 * WAD * WAD) / frac;
                    frac = ax + (2 * WAD * WAD) / frac;
                    frac = ax + (WAD * WAD) / frac;
                    tail = (pdf * WAD) / frac;
                }
            }
            n = x > 0 ? WAD - tail : tail;
        }
    }
}
