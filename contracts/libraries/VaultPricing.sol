// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {FixedPointMathLib} from "solady/src/utils/FixedPointMathLib.sol";
import {IOptionVault} from "../interfaces/IOptionVault.sol";

/// @title VaultPricing
/// @notice The AMM vault's price arithmetic: time to expiry, the vol smile, and the spread around model value.
/// @dev All WAD unless noted. Parameters stored in ppm are scaled by 1e12 on read.
library VaultPricing {
    uint256 internal constant WAD = 1e18;
    uint256 internal constant PPM_TO_WAD = 1e12;
    uint256 internal constant YEAR = 365 days;
    /// @notice Smile output is clamped to [MIN_VOL, MAX_VOL] so a steep smile far from the money stays sane.
    uint256 internal constant MIN_VOL = 0.01e18;
    uint256 internal constant MAX_VOL = 5e18;

    /// @notice Years from `nowTs` to `expiry`, WAD (365-day year).
    function yearsUntil(uint256 expiry, uint256 nowTs) internal pure returns (uint256) {
        return expiry > nowTs ? ((expiry - nowTs) * WAD) / YEAR : 0;
    }

    /// @notice Vol of the smile at `strike`: atm + skew k + curvature k^2, k = ln(strike / forward), clamped.
    /// @param rate Risk-free rate, WAD; the forward is spot e^(rT).
    function volAt(
        IOptionVault.VolSlice memory slice,
        uint256 strike,
        uint256 spot,
        uint256 tYears,
        uint256 rate
    ) internal pure returns (uint256) {
        // strike < 2^128 x 1e12 and spot < 2^255 / 1e18 come from uint128 strikes and int256 oracle answers
        // scaled to WAD; their ratio is positive and far below 2^255 / 1e18, so ln is defined and |k| stays
        // under ~200 WAD. The smile terms are products of int64-range coefficients and k, far from overflow.
        unchecked {
            int256 k = FixedPointMathLib.lnWad(int256((strike * WAD) / spot)) - int256((rate * tYears) / WAD);
            int256 v =
                int256(uint256(slice.atmVol)) +
                    (int256(slice.skew) * k) / int256(WAD) +
                    (((int256(uint256(slice.curvature)) * k) / int256(WAD)) * k) / int256(WAD);
            if (v < int256(MIN_VOL)) return MIN_VOL;
            if (v > int256(MAX_VOL)) return MAX_VOL;
            return uint256(v);
        }
    }

    /// @notice Proportional spread, WAD of model value: base + utilSpread x utilisation + sizeSpread x size.
    /// @param utilisation Locked / capital, WAD (capped at 1).
    /// @param size Size over capital, WAD (capped at 1).
    function spread(IOptionVault.Params memory p, uint256 utilisation, uint256 size) internal pure returns (uint256) {
        return (uint256(p.baseSpread) * WAD + uint256(p.utilSpread) * utilisation + uint256(p.sizeSpread) * size) / 1e6;
    }

    /// @notice Fixed spread per option, in quote WAD: |delta| x spot x deltaSpread + vega x vegaSpread. It makes
    /// a round trip around an oracle step or a vol step cost at least what the step moves the option.
    /// @param absDelta |delta|, WAD. @param spot WAD. @param vega Per 1.0 of vol, quote WAD.
    function riskSpread(
        IOptionVault.Params memory p,
        uint256 absDelta,
        uint256 spot,
        uint256 vega
    ) internal pure returns (uint256) {
        return
            Math.mulDiv(absDelta, spot * p.deltaSpread, WAD * 1e6, Math.Rounding.Ceil) +
            Math.mulDiv(vega, p.vegaSpread, 1e6, Math.Rounding.Ceil);
    }

    /// @notice `part / whole` in WAD, capped at 1; an empty whole counts as fully used.
    function fraction(uint256 part, uint256 whole) internal pure returns (uint256) {
        if (whole == 0 || part >= whole) return WAD;
        return (part * WAD) / whole;
    }

    /// @notice What a buyer pays for `amount` options worth `valuePerOption` each (WAD asset per option):
    /// value x (1 + spread) + fixed, per option.
    /// @dev The per-option price rounds up first and the total rounds up again, in the vault's favour, so the
    /// per-option price is monotone in the spread. With a positive spread the ask is strictly above the
    /// model value, hence above any bid; a zero model value still asks 1 wei. `divisor` turns
    /// amount x WAD price into asset base units.
    function askPremium(
        uint256 valuePerOption,
        uint256 askSpread,
        uint256 fixedPerOption,
        uint256 amount,
        uint256 divisor
    ) internal pure returns (uint256 ask) {
        uint256 perOption = Math.mulDiv(valuePerOption, WAD + askSpread, WAD, Math.Rounding.Ceil) + fixedPerOption;
        ask = Math.mulDiv(amount, perOption, divisor, Math.Rounding.Ceil);
        if (ask == 0) ask = 1;
    }

    /// @notice What a seller receives for `amount` options: value x (1 - spread) - fixed per option, floored at
    /// zero; per-option and total both round down.
    function bidPremium(
        uint256 valuePerOption,
        uint256 bidSpread,
        uint256 fixedPerOption,
        uint256 amount,
        uint256 divisor
    ) internal pure returns (uint256) {
        if (bidSpread >= WAD) return 0;
        uint256 perOption = Math.mulDiv(valuePerOption, WAD - bidSpread, WAD);
        if (perOption <= fixedPerOption) return 0;
        return Math.mulDiv(amount, perOption - fixedPerOption, divisor);
    }
}
