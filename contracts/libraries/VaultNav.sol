// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {IOptionLedger} from "../interfaces/IOptionLedger.sol";
import {IOptionVault} from "../interfaces/IOptionVault.sol";
import {BlackScholes} from "./BlackScholes.sol";
import {OptionMath} from "./OptionMath.sol";
import {SeriesId} from "./SeriesId.sol";
import {VaultPricing} from "./VaultPricing.sol";
import {VaultState} from "./VaultState.sol";

/// @title VaultNav
/// @notice Marks the AMM vault's open positions for NAV, says when they cannot be marked, and collects expired
/// positions. An external library, off every trading path, which keeps the vault under 24 KiB.
library VaultNav {
    using EnumerableSet for EnumerableSet.UintSet;

    uint256 private constant WAD = 1e18;

    /// @notice Free assets plus every open position at model value: longs at value, shorts at collateral minus
    /// value (obligations rounded up, values down), expired positions at their payoff.
    function nav(VaultState.Layout storage s, VaultState.Market memory m) public view returns (uint256 total) {
        total = s.book.free;
        uint256 n = s.open.length();
        if (n == 0) return total;
        (, int256 answer, , , ) = m.oracle.latestRoundData();
        uint256 spot = answer > 0 ? uint256(answer) * m.oracleToWad : 0;
        uint256 rate = uint256(s.params.rate) * VaultPricing.PPM_TO_WAD;
        for (uint256 i; i < n; ++i) {
            uint256 id = s.open.at(i);
            total += _mark(s, m, id, s.positions[id], spot, rate);
        }
    }

    /// @notice Settles the vault's position in an expired series the ledger has settled: redeems its shorts
    /// or exercises its longs and returns the proceeds to free assets.
    /// @return amount The position collected (negative for a short).
    /// @return proceeds What the ledger paid for it.
    function collect(
        VaultState.Layout storage s,
        VaultState.Market memory m,
        uint256 seriesId
    ) public returns (int256 amount, uint256 proceeds) {
        IOptionVault.Position memory pos = s.positions[seriesId];
        amount = pos.amount;
        if (amount == 0) revert IOptionVault.SeriesNotCollectable(seriesId);
        IOptionLedger.SeriesInfo memory info = m.ledger.series(seriesId);
        if (!info.state.settled) revert IOptionVault.SeriesNotCollectable(seriesId);

        bool isShort = amount < 0;
        uint256 size = isShort ? uint256(-amount) : uint256(amount);
        s.book.locked -= pos.collateral;
        delete s.positions[seriesId];
        s.open.remove(seriesId);
        uint256 onLedger =
            isShort ? m.ledger.shortBalanceOf(address(this), seriesId) : m.ledger.balanceOf(address(this), seriesId);
        if (onLedger == size) {
            proceeds =
                isShort
                    ? m.ledger.redeem(seriesId, address(this), size)
                    : m.ledger.exercise(seriesId, address(this), size);
        } else if (onLedger == 0) {
            // A keeper already settled the whole position for the vault (third parties can only settle whole
            // positions); the ledger paid exactly this, computed the same way.
            (uint256 longPayout, uint256 shortPayout) = OptionMath.payoffs(
                info.isCall,
                info.strike,
                info.state.settlementPrice,
                size,
                m.underlyingUnit
            );
            proceeds = isShort ? shortPayout : longPayout;
        } else {
            revert IOptionVault.SeriesNotCollectable(seriesId);
        }
        s.book.free += SafeCast.toUint128(proceeds);
    }

    /// @notice Why shares cannot be priced right now, as an encoded custom error; empty when they can. NAV must
    /// not come from a stale oracle or vol, or from an expired position that waits for settlement.
    function markStatus(VaultState.Layout storage s, VaultState.Market memory m) public view returns (bytes memory) {
        uint256 n = s.open.length();
        if (n == 0) return "";
        IOptionVault.Params memory p = s.params;
        (, int256 answer, , uint256 updatedAt, ) = m.oracle.latestRoundData();
        if (answer <= 0) return abi.encodeWithSelector(IOptionVault.InvalidOraclePrice.selector, answer);
        if (block.timestamp - updatedAt > p.oracleMaxAge) {
            return abi.encodeWithSelector(IOptionVault.StaleOracle.selector, updatedAt);
        }
        for (uint256 i; i < n; ++i) {
            uint256 id = s.open.at(i);
            uint40 expiry = SeriesId.expiryOf(id);
            if (block.timestamp >= expiry) return abi.encodeWithSelector(IOptionVault.PendingExpiry.selector, id);
            uint256 sliceUpdatedAt = s.volSlices[expiry].updatedAt;
            if (block.timestamp - sliceUpdatedAt > p.volMaxAge) {
                return abi.encodeWithSelector(IOptionVault.StaleVol.selector, expiry, sliceUpdatedAt);
            }
        }
        return "";
    }

    function _mark(
        VaultState.Layout storage s,
        VaultState.Market memory m,
        uint256 seriesId,
        IOptionVault.Position memory pos,
        uint256 spot,
        uint256 rate
    ) private view returns (uint256) {
        (, uint128 strike, uint40 expiry, ) = SeriesId.decode(seriesId);
        uint256 amount = pos.amount >= 0 ? uint256(int256(pos.amount)) : uint256(-int256(pos.amount));
        if (block.timestamp >= expiry) {
            // Expired: the payoff at the settlement price, or at the latest oracle price until settled. LP
            // entries and exits wait for `collect` (PendingExpiry), so this estimate never prices shares.
            IOptionLedger.SeriesState memory state = m.ledger.series(seriesId).state;
            uint256 price = state.settled ? state.settlementPrice : spot / m.quoteToWad;
            if (price == 0) return pos.amount < 0 ? pos.collateral : 0;
            (uint256 longPayout, uint256 shortPayout) = OptionMath.payoffs(
                m.isCall,
                strike,
                price,
                amount,
                m.underlyingUnit
            );
            return pos.amount > 0 ? longPayout : shortPayout;
        }
        if (spot == 0) return pos.amount < 0 ? pos.collateral : 0;
        uint256 strikeWad = uint256(strike) * m.quoteToWad;
        uint256 tYears = VaultPricing.yearsUntil(expiry, block.timestamp);
        uint256 vol = VaultPricing.volAt(s.volSlices[expiry], strikeWad, spot, tYears, rate);
        BlackScholes.Greeks memory g = BlackScholes.greeks(spot, strikeWad, tYears, vol, rate);
        uint256 valuePerOption = m.isCall ? (g.call * WAD) / spot : g.put;
        if (pos.amount > 0) return Math.mulDiv(amount, valuePerOption, m.premiumDivisor);
        uint256 obligation = Math.mulDiv(amount, valuePerOption, m.premiumDivisor, Math.Rounding.Ceil);
        return obligation >= pos.collateral ? 0 : pos.collateral - obligation;
    }
}
