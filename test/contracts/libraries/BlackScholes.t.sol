// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {FixedPointMathLib} from "solady/src/utils/FixedPointMathLib.sol";
import {BlackScholes} from "../../../contracts/libraries/BlackScholes.sol";
import {TestBase} from "../../solidity/Vm.sol";

contract BlackScholesTest is TestBase {
    uint256 private constant WAD = 1e18;

    /// @dev Draws a point from the accuracy domain: spot 1..80,000, moneyness e^+-0.9, 1 hour..2 years,
    /// vol 5%..250%, rate 0..10%.
    function _point(
        uint256 s,
        uint256 m,
        uint256 t,
        uint256 v,
        uint256 r
    ) private pure returns (uint256 spot, uint256 strike, uint256 tYears, uint256 vol, uint256 rate) {
        spot = bound(s, 1e18, 80_000e18);
        strike = (spot * bound(m, 0.4066e18, 2.4596e18)) / WAD;
        tYears = bound(t, uint256(1e18) / 8760, 2e18);
        vol = bound(v, 0.05e18, 2.5e18);
        rate = bound(r, 0, 0.1e18);
    }

    function testFuzz_pricesRespectNoArbitrageBounds(
        uint256 s,
        uint256 m,
        uint256 t,
        uint256 v,
        uint256 r
    ) public pure {
        (uint256 spot, uint256 strike, uint256 tYears, uint256 vol, uint256 rate) = _point(s, m, t, v, r);
        BlackScholes.Greeks memory g = BlackScholes.greeks(spot, strike, tYears, vol, rate);
        uint256 discounted = (strike * uint256(FixedPointMathLib.expWad(-int256((rate * tYears) / WAD)))) / WAD;
        assertLe(g.call, spot, "call <= spot");
        assertLe(g.put, discounted + 1, "put <= discounted strike");
        assertLe(g.callDelta, WAD, "delta <= 1");
        if (spot > discounted) assertGe(g.call + spot / 1e15 + 2, spot - discounted, "call >= forward intrinsic");
        else assertGe(g.put + spot / 1e15 + 2, discounted - spot, "put >= forward intrinsic");
    }

    function testFuzz_putCallParityHolds(uint256 s, uint256 m, uint256 t, uint256 v, uint256 r) public pure {
        (uint256 spot, uint256 strike, uint256 tYears, uint256 vol, uint256 rate) = _point(s, m, t, v, r);
        BlackScholes.Greeks memory g = BlackScholes.greeks(spot, strike, tYears, vol, rate);
        int256 discounted = (int256(strike) * FixedPointMathLib.expWad(-int256((rate * tYears) / WAD))) / int256(WAD);
        // C - P = S - K e^-rT up to the rounding of four products, plus the clamp of a price at zero.
        assertApproxEq(int256(g.call) - int256(g.put), int256(spot) - discounted, 4 + int256(spot / 1e15), "parity");
    }

    function testFuzz_callRisesWithVol(uint256 s, uint256 m, uint256 t, uint256 v, uint256 r) public pure {
        (uint256 spot, uint256 strike, uint256 tYears, uint256 vol, uint256 rate) = _point(s, m, t, v, r);
        BlackScholes.Greeks memory low = BlackScholes.greeks(spot, strike, tYears, vol, rate);
        BlackScholes.Greeks memory high = BlackScholes.greeks(spot, strike, tYears, vol + 0.01e18, rate);
        assertGe(high.call + 2, low.call, "vega >= 0");
    }

    function test_cdfMatchesReferenceValues() public pure {
        (int256 n0, int256 pdf0) = BlackScholes.cdf(0);
        assertEq(uint256(n0), 0.5e18, "N(0)");
        assertApproxEq(pdf0, 398942280401432677, 1, "phi(0)");
        (int256 n196, ) = BlackScholes.cdf(1.96e18);
        assertApproxEq(n196, 975002104851779565, 1000, "N(1.96)");
        (int256 nm3, ) = BlackScholes.cdf(-3e18);
        assertApproxEq(nm3, 1349898031630094, 1000, "N(-3)");
        // The continued-fraction branch beyond 10/sqrt(2).
        (int256 nm75, ) = BlackScholes.cdf(-7.5e18);
        assertApproxEq(nm75, 31908, 2, "N(-7.5)");
        (int256 n8, ) = BlackScholes.cdf(8e18);
        assertApproxEq(n8, 999999999999999377, 2, "N(8)");
        (int256 nm9, ) = BlackScholes.cdf(-9.2e18);
        assertEq(uint256(nm9), 0, "N(-9.2) underflows to 0");
    }

    function test_zeroTimeOrVolPricesDiscountedIntrinsic() public pure {
        BlackScholes.Greeks memory g = BlackScholes.greeks(3000e18, 2500e18, 0, 0.8e18, 0.05e18);
        assertEq(g.call, 500e18, "call intrinsic");
        assertEq(g.put, 0, "put intrinsic");
        assertEq(g.callDelta, WAD, "delta 1");
        g = BlackScholes.greeks(3000e18, 3000e18, 1e18, 0, 0);
        assertEq(g.callDelta, WAD / 2, "at the money, no diffusion");
    }

    function test_RevertWhen_spotIsZero() public {
        vm.expectRevert(BlackScholes.InvalidPricingInput.selector);
        this.price(0, 1e18, 1e18, 1e18, 0);
    }

    function test_RevertWhen_strikeIsZero() public {
        vm.expectRevert(BlackScholes.InvalidPricingInput.selector);
        this.price(1e18, 0, 1e18, 1e18, 0);
    }

    function test_RevertWhen_inputIsOutOfRange() public {
        vm.expectRevert(BlackScholes.InvalidPricingInput.selector);
        this.price(1e46, 1e18, 1e18, 1e18, 0);
        vm.expectRevert(BlackScholes.InvalidPricingInput.selector);
        this.price(1e18, 1e18, 101e18, 1e18, 0);
        vm.expectRevert(BlackScholes.InvalidPricingInput.selector);
        this.price(1e18, 1e18, 1e18, 101e18, 0);
        vm.expectRevert(BlackScholes.InvalidPricingInput.selector);
        this.price(1e18, 1e18, 1e18, 1e18, 11e18);
    }

    function test_gasPerPriceIsAtMost15k() public view {
        uint256[5] memory spots = [uint256(1e18), 3000e18, 80_000e18, 50e18, 12_345e18];
        for (uint256 i; i < spots.length; ++i) {
            uint256 before = gasleft();
            BlackScholes.greeks(spots[i], (spots[i] * 11) / 10, 0.25e18, 0.8e18, 0.05e18);
            assertLe(before - gasleft(), 15_000, "gas per price");
        }
    }

    /// @dev External entry so reverts can be expected.
    function price(
        uint256 spot,
        uint256 strike,
        uint256 tYears,
        uint256 vol,
        uint256 rate
    ) external pure returns (BlackScholes.Greeks memory) {
        return BlackScholes.greeks(spot, strike, tYears, vol, rate);
    }
}
