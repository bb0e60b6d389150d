// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title OptionMath
/// @notice Collateral and payoff arithmetic of fully collateralised European options, rounded so the ledger
/// never owes more than it holds: collateral in rounds up, every payout rounds down.
/// @dev Amounts are in underlying base units; `strike` and `price` are quote base units per whole
/// underlying; `unit` is 10^underlyingDecimals. Calls settle in the underlying, puts in the quote asset.
library OptionMath {
    /// @notice Collateral to write `amount` options: one underlying per call, strike x amount per put.
    function collateral(bool isCall, uint256 strike, uint256 amount, uint256 unit) internal pure returns (uint256) {
        return isCall ? amount : Math.mulDiv(strike, amount, unit, Math.Rounding.Ceil);
    }

    /// @notice Collateral returned when `amount` longs and shorts are burnt together.
    function released(bool isCall, uint256 strike, uint256 amount, uint256 unit) internal pure returns (uint256) {
        return isCall ? amount : Math.mulDiv(strike, amount, unit);
    }

    /// @notice Payouts for `amount` options at settlement price `price`.
    /// @dev A call pays (S-K)/S underlying per option and leaves K/S to the writer; a put pays K-S and leaves
    /// S. Each side rounds down, so longPayout + shortPayout <= released(amount) <= collateral(amount), and
    /// summed over any split of holders and writers the total stays within the collateral deposited.
    /// @return longPayout To the holders of `amount` longs.
    /// @return shortPayout To the writers of `amount` shorts.
    function payoffs(
        bool isCall,
        uint256 strike,
        uint256 price,
        uint256 amount,
        uint256 unit
    ) internal pure returns (uint256 longPayout, uint256 shortPayout) {
        if (isCall) {
            if (price <= strike) return (0, amount);
            longPayout = Math.mulDiv(amount, price - strike, price);
            shortPayout = Math.mulDiv(amount, strike, price);
        } else {
            if (price >= strike) return (0, Math.mulDiv(strike, amount, unit));
            longPayout = Math.mulDiv(strike - price, amount, unit);
            shortPayout = Math.mulDiv(price, amount, unit);
        }
    }
}
