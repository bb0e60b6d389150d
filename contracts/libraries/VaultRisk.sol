// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {IOptionVault} from "../interfaces/IOptionVault.sol";
import {SeriesId} from "./SeriesId.sol";
import {VaultState} from "./VaultState.sol";

/// @title VaultRisk
/// @notice The AMM vault's capacity checks, and the validation of the owner's parameters and limits. An external
/// library: trades, the full `quote` and the owner's setters call it, the settlement's reference price does
/// not, and keeping it out of the vault keeps the vault under 24 KiB.
library VaultRisk {
    using EnumerableSet for EnumerableSet.UintSet;

    uint256 private constant WAD = 1e18;
    uint256 private constant PPM = 1e6;
    /// @notice Most series the vault holds positions in; bounds the cost of marking NAV.
    uint256 internal constant MAX_OPEN_SERIES = 32;

    /// @notice Why the vault would refuse a priced trade, as an encoded custom error; empty when it accepts.
    /// @dev Expiry and delta bounds apply only to trades that add risk, so the vault can always buy back its
    /// shorts and sell its longs. The minimum position applies to every trade, but a trade can always close
    /// the position exactly.
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
        (bool dust, int256 positionAfter, uint256 minPosition) = _dust(
            lim.minPosition,
            m.underlyingUnit,
            t.position.amount,
            t.amount,
            isBuy
        );
        if (dust) {
            return
                abi.encodeWithSelector(
                    IOptionVault.PositionBelowMinimum.selector,
                    seriesId,
                    positionAfter,
                    minPosition
                );
        }
        if (t.position.amount == 0 && s.open.length() >= MAX_OPEN_SERIES) {
            return abi.encodeWithSelector(IOptionVault.TooManyOpenSeries.selector, MAX_OPEN_SERIES);
        }
        return "";
    }

    /// @notice Validates and stores pricing and staleness parameters (see IOptionVault.Params).
    function setParams(VaultState.Layout storage s, IOptionVault.Params memory p) public {
        if (
            p.baseSpread == 0 ||
            p.baseSpread + uint256(p.utilSpread) + p.sizeSpread > PPM ||
            p.rate > PPM ||
            p.deltaSpread > PPM / 10 ||
            p.vegaSpread > PPM ||
            p.oracleMaxAge == 0 ||
            p.volMaxAge == 0
        ) revert IOptionVault.InvalidParams();
        s.params = p;
        emit IOptionVault.ParamsSet(p);
    }

    /// @notice Validates and stores capacity limits (see IOptionVault.Limits). `minPosition` may be zero (off).
    function setLimits(VaultState.Layout storage s, IOptionVault.Limits memory lim) public {
        if (
            lim.maxTimeToExpiry == 0 ||
            lim.minTimeToExpiry >= lim.maxTimeToExpiry ||
            lim.seriesCap == 0 ||
            lim.seriesCap > PPM ||
            lim.minAbsDelta > lim.maxAbsDelta ||
            lim.maxAbsDelta > PPM ||
            lim.minPremium == 0 ||
            lim.lpLockup > 30 days
        ) revert IOptionVault.InvalidParams();
        s.limits = lim;
        emit IOptionVault.LimitsSet(lim);
    }

    /// @dev A trade may leave the position at zero or at least `minPositionPpm` (ppm of a whole option, rounded
    /// up to base units), never in between: dust positions would hold open-series slots for next to nothing.
    function _dust(
        uint256 minPositionPpm,
        uint256 underlyingUnit,
        int256 position,
        uint256 amount,
        bool isBuy
    ) private pure returns (bool dust, int256 positionAfter, uint256 minPosition) {
        // A trade above 2^128 leaves more than 2^127 options either way, far above any minimum (< 2^72).
        if (minPositionPpm == 0 || amount > type(uint128).max) return (false, 0, 0);
        // |position| < 2^127 (an int128) and amount <= 2^128, so the position after fits easily in an int256;
        // minPositionPpm < 2^32 and underlyingUnit <= 1e18, so their product does not overflow either.
        unchecked {
            positionAfter = isBuy ? position - int256(amount) : position + int256(amount);
            uint256 size = positionAfter >= 0 ? uint256(positionAfter) : uint256(-positionAfter);
            minPosition = (minPositionPpm * underlyingUnit + PPM - 1) / PPM;
            dust = size != 0 && size < minPosition;
        }
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
