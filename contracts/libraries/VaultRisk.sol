// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {IOptionVault} from "../interfaces/IOptionVault.sol";
import {SeriesId} from "./SeriesId.sol";
import {VaultState} from "./VaultState.sol";

/// @title VaultRisk
/// @notice The AMM vault's capacity checks. An external library: trades and the full `quote` call it, the
/// settlement's reference price does not, and keeping it out of the vault keeps the vault under 24 KiB.
library VaultRisk {
    using EnumerableSet for EnumerableSet.UintSet;

    uint256 private constant WAD = 1e18;
    uint256 private constant PPM = 1e6;
    /// @notice Most series the vault holds positions in; bounds the cost of marking NAV.
    uint256 internal constant MAX_OPEN_SERIES = 32;

    /// @notice Why the vault would refuse a priced trade, as an encoded custom error; empty when it accepts.
    /// @dev Expiry and delta bounds apply only to trades that add risk, so the vault can always buy back its
    /// shorts and sell its longs.
    function refusal(
        VaultState.Layout storage s,
        VaultState.Market memory m,
        uint256 seriesId,
        VaultState.Trade memory t,
        IOptionVault.Quote memory q,
        bool isBuy
    ) public view returns (bytes memory) {
        if (!m.ledger.isSeries(seriesId)) return abi.encodeWithSelector(IOptionVault.UnknownSeries.selector, seriesId);
        IOptionVault.Limits memory lim = s.limits;
        bool addsRisk = isBuy ? t.toWrite != 0 : t.amount > t.toClose;
        if (addsRisk) {
            bytes memory bound = _riskBounds(lim, SeriesId.expiryOf(seriesId), q.delta);
            if (bound.length != 0) return bound;
        }
        if (q.premium < lim.minPremium) {
            return abi.encodeWithSelector(IOptionVault.PremiumTooSmall.selector, q.premium, lim.minPremium);
        }
        uint256 free = t.book.free;
        if (isBuy && t.collateralIn > free) {
            return abi.encodeWithSelector(IOptionVault.InsufficientLiquidity.selector, t.collateralIn, free);
        }
        if (!isBuy && q.premium > free + t.collateralOut) {
            return
                abi.encodeWithSelector(IOptionVault.InsufficientLiquidity.selector, q.premium, free + t.collateralOut);
        }
        uint256 cap = ((free + t.book.locked) * lim.seriesCap) / PPM;
        if (addsRisk && t.exposureAfter > cap) {
            return abi.encodeWithSelector(IOptionVault.ExposureCapExceeded.selector, seriesId, t.exposureAfter, cap);
        }
        if (t.position.amount == 0 && s.open.length() >= MAX_OPEN_SERIES) {
            return abi.encodeWithSelector(IOptionVault.TooManyOpenSeries.selector, MAX_OPEN_SERIES);
        }
        return "";
    }

    function _riskBounds(
        IOptionVault.Limits memory lim,
        uint256 expiry,
        int256 delta
    ) private view returns (bytes memory) {
        uint256 maxExpiry = block.timestamp + lim.maxTimeToExpiry;
        if (expiry > maxExpiry) return abi.encodeWithSelector(IOptionVault.ExpiryTooFar.selector, expiry, maxExpiry);
        uint256 minExpiry = block.timestamp + lim.minTimeToExpiry;
        if (expiry < minExpiry) return abi.encodeWithSelector(IOptionVault.ExpiryTooClose.selector, expiry, minExpiry);
        uint256 absDeltaPpm = (uint256(delta >= 0 ? delta : -delta) * PPM) / WAD;
        if (absDeltaPpm < lim.minAbsDelta || absDeltaPpm > lim.maxAbsDelta) {
            return abi.encodeWithSelector(IOptionVault.DeltaOutOfBounds.selector, delta);
        }
        return "";
    }
}
