// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
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
/// @notice Marks the AMM vault's open positions for NAV, says when they cannot be marked, collects expired
/// positions, and does the LP side's arithmetic: ERC-4626 limits, share locks, sweepable balances. An external
/// library, off every trading path, which keeps the vault under 24 KiB.
library VaultNav {
    using EnumerableSet for EnumerableSet.UintSet;

    uint256 private constant WAD = 1e18;
    /// @notice Largest total supply of shares, so that every owner's locked shares fit a Lock's uint208.
    uint256 internal constant MAX_SUPPLY = type(uint208).max;

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

    /// @notice Which ERC-4626 limit `maxOf` computes.
    enum MaxOf {
        Deposit,
        Mint,
        Withdraw,
        Redeem
    }

    /// @notice ERC-4626 `maxDeposit`/`maxMint` for receiver `account`, or `maxWithdraw`/`maxRedeem` for owner
    /// `account`: never more than the call accepts. Zero while NAV cannot be marked (the call reverts) and for
    /// a zero receiver. Entries keep free assets within uint128 and the total supply within MAX_SUPPLY; exits
    /// count only the owner's unlocked shares and are capped at what free assets pay.
    /// @dev A deposit's shares are assets x totalShares / (NAV + 1), and NAV >= free assets, so bounding them
    /// with free assets in place of NAV can only understate `maxDeposit`, and spares a deposit a second NAV
    /// mark. Exits round down, so a withdrawal of the result burns (rounding up) no more than the unlocked
    /// shares.
    /// @param balance The account's shares. @param supply Total supply. @param virtualShares 10^decimalsOffset.
    function maxOf(
        VaultState.Layout storage s,
        VaultState.Market memory m,
        MaxOf kind,
        address account,
        uint256 balance,
        uint256 supply,
        uint256 virtualShares
    ) public view returns (uint256) {
        if (markStatus(s, m).length != 0) return 0;
        uint256 free = s.book.free;
        uint256 totalShares = supply + virtualShares;
        if (kind == MaxOf.Deposit || kind == MaxOf.Mint) {
            // Shares for no one, or for the vault itself (where only the owner's sweep could reach them), are refused.
            if (account == address(0) || account == address(this)) return 0;
            uint256 assetRoom = type(uint128).max - free;
            uint256 shareRoom = supply < MAX_SUPPLY ? MAX_SUPPLY - supply : 0;
            if (kind == MaxOf.Deposit) return _mulDivCapped(shareRoom, free + 1, totalShares, assetRoom);
            return _mulDivCapped(assetRoom, totalShares, nav(s, m) + 1, shareRoom);
        }
        uint256 locked = lockedShares(s, account);
        uint256 unlocked = balance > locked ? balance - locked : 0;
        uint256 navPlusOne = nav(s, m) + 1;
        // unlocked <= supply < totalShares and free <= NAV: neither quotient overflows.
        if (kind == MaxOf.Redeem) return Math.min(unlocked, Math.mulDiv(free, totalShares, navPlusOne));
        return Math.min(Math.mulDiv(unlocked, navPlusOne, totalShares), free);
    }

    /// @notice Locks `shares` newly minted to `owner` for `lockup` seconds. A running lock absorbs them at the
    /// share-weighted average unlock time, never earlier than it was: rounded up when the owner deposits for
    /// itself, down when someone else deposits for it, so that no deposit of someone else's, however many,
    /// moves the owner's unlock by more than its own share-seconds (a dust deposit moves it by nothing). An
    /// expired lock is replaced: shares minted earlier stay free.
    /// @param byOwner True when the owner itself deposits (the caller is the receiver).
    function lock(VaultState.Layout storage s, address owner, uint256 shares, uint256 lockup, bool byOwner) public {
        if (shares == 0) return;
        VaultState.Lock memory running = s.locks[owner];
        uint256 until = block.timestamp + lockup;
        if (running.until > block.timestamp) {
            uint256 total = running.shares + shares;
            // Only a later unlock moves a running lock, to the share-weighted average of both unlock times:
            // running.until + shares x (until - running.until) / total, rounded up.
            if (until > running.until) {
                until =
                    running.until +
                    Math.mulDiv(
                        shares,
                        until - running.until,
                        total,
                        byOwner ? Math.Rounding.Ceil : Math.Rounding.Floor
                    );
            } else {
                until = running.until;
            }
            shares = total;
        }
        // The total supply, and so any owner's shares, stays within uint208 (maxOf): the casts never revert.
        s.locks[owner] = VaultState.Lock({shares: SafeCast.toUint208(shares), until: SafeCast.toUint48(until)});
    }

    /// @notice Sends `to` what the owner may sweep of `token`: the vault's whole balance of any token but its
    /// asset, and of the asset what exceeds free assets, the only asset balance its books account for between
    /// transactions.
    /// @dev Refuses the asset (PendingExpiry) while an expired position waits for `collect`: a keeper may already
    /// have settled it and paid its proceeds here, which `collect` will add to free assets. Before expiry nothing
    /// pays the vault outside its own calls.
    function sweep(VaultState.Layout storage s, address token, address asset, address to) public returns (uint256) {
        if (to == address(0)) revert IOptionVault.ZeroAddress();
        uint256 amount = IERC20(token).balanceOf(address(this));
        if (token == asset) {
            uint256 n = s.open.length();
            for (uint256 i; i < n; ++i) {
                uint256 id = s.open.at(i);
                if (block.timestamp >= SeriesId.expiryOf(id)) revert IOptionVault.PendingExpiry(id);
            }
            uint256 free = s.book.free;
            amount = amount > free ? amount - free : 0;
        }
        if (amount == 0) revert IOptionVault.NothingToSweep(token);
        emit IOptionVault.Swept(token, to, amount);
        SafeERC20.safeTransfer(IERC20(token), to, amount);
        return amount;
    }

    /// @notice Shares of `owner` still locked now.
    function lockedShares(VaultState.Layout storage s, address owner) internal view returns (uint256) {
        VaultState.Lock memory held = s.locks[owner];
        return held.until > block.timestamp ? held.shares : 0;
    }

    /// @dev min(x y / d, cap), without overflowing where x y / d exceeds 256 bits (then it exceeds cap too).
    function _mulDivCapped(uint256 x, uint256 y, uint256 d, uint256 cap) private pure returns (uint256) {
        (uint256 high, ) = Math.mul512(x, y);
        if (high >= d) return cap;
        return Math.min(Math.mulDiv(x, y, d), cap);
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
