// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {BlackScholes} from "../libraries/BlackScholes.sol";

/// @title BlackScholesHarness
/// @notice Exposes the BlackScholes library to off-chain checks (`check:pricing`, `bench:gas`).
/// @dev The reported gas is measured around the library call only, so calldata and dispatch are excluded.
contract BlackScholesHarness {
    /// @notice Prices one point and reports the gas the library used.
    function greeks(
        uint256 spot,
        uint256 strike,
        uint256 tYears,
        uint256 vol,
        uint256 rate
    ) external view returns (BlackScholes.Greeks memory g, uint256 gasUsed) {
        uint256 before = gasleft();
        g = BlackScholes.greeks(spot, strike, tYears, vol, rate);
        gasUsed = before - gasleft();
    }

    /// @notice The standard normal CDF and density, WAD.
    function cdf(int256 x) external pure returns (int256 n, int256 pdf) {
        return BlackScholes.cdf(x);
    }
}
