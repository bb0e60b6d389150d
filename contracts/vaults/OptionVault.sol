// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ERC1155Holder} from "@openzeppelin/contracts/token/ERC1155/utils/ERC1155Holder.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {IOptionLedger} from "../interfaces/IOptionLedger.sol";
import {IOptionVault} from "../interfaces/IOptionVault.sol";
import {BlackScholes} from "../libraries/BlackScholes.sol";
import {OptionMath} from "../libraries/OptionMath.sol";
import {SeriesId} from "../libraries/SeriesId.sol";
import {VaultPricing} from "../libraries/VaultPricing.sol";
import {TransientReentrancyGuard} from "../utils/TransientReentrancyGuard.sol";

/// @title OptionVault
/// @notice ERC-4626 AMM options vault for one pair and one option type. See {IOptionVault}.
/// @dev Free and locked assets are tracked internally, so tokens donated to the vault do not move the share
/// price (the first-depositor inflation attack has nothing to inflate), and a decimals offset adds virtual
/// shares on top. `totalAssets` marks every open position at model value.
contract OptionVault is IOptionVault, ERC4626, ERC1155Holder, AccessControl, TransientReentrancyGuard {
    using EnumerableSet for EnumerableSet.UintSet;
    using SafeERC20 for IERC20;

    /// @notice Role that sets the vol surface.
    bytes32 public constant KEEPER_ROLE = keccak256("KEEPER_ROLE");
    /// @notice Most series the vault holds positions in; bounds the cost of marking NAV.
    uint256 public constant MAX_OPEN_SERIES = 32;

    uint256 private constant WAD = 1e18;
    uint256 private constant PPM = 1e6;

    /// @dev Free and locked assets in one word: the quote path reads both with one SLOAD.
    struct Book {
        uint128 free;
        uint128 locked;
    }

    /// @dev What one priced trade would do to the book.
    struct Trade {
        uint256 seriesId;
        uint256 amount;
        uint256 valuePerOption;
        uint256 fromInventory;
        uint256 toWrite;
        uint256 collateralIn;
        uint256 toClose;
        uint256 collateralOut;
        Position position;
        bytes refusal;
    }

    IOptionLedger private immutable _ledger;
    uint32 private immutable _pairId;
    bool private immutable _isCall;
    AggregatorV3Interface private immutable _oracle;
    uint256 private immutable _oracleToWad;
    uint256 private immutable _quoteToWad;
    uint256 private immutable _underlyingUnit;
    uint256 private immutable _premiumDivisor;
    uint8 private immutable _offset;

    Book private _book;
    Params private _params;
    DeltaBounds private _deltaBounds;
    mapping(uint40 expiry => VolSlice) private _volSlices;
    mapping(uint256 seriesId => Position) private _positions;
    EnumerableSet.UintSet private _open;

    /// @param ledger_ The option ledger.
    /// @param pairId_ The ledger pair to trade.
    /// @param isCall_ True for a call vault (asset = underlying), false for a put vault (asset = quote).
    /// @param decimalsOffset Virtual-share offset against share-price inflation.
    constructor(
        IOptionLedger ledger_,
        uint32 pairId_,
        bool isCall_,
        string memory name_,
        string memory symbol_,
        address admin,
        uint8 decimalsOffset,
        Params memory params_,
        DeltaBounds memory bounds_
    ) ERC4626(IERC20(_assetOf(ledger_, pairId_, isCall_))) ERC20(name_, symbol_) {
        if (admin == address(0)) revert ZeroAddress();
        IOptionLedger.Pair memory p = ledger_.pair(pairId_);
        _ledger = ledger_;
        _pairId = pairId_;
        _isCall = isCall_;
        _oracle = AggregatorV3Interface(p.oracle);
        _oracleToWad = 10 ** (18 - p.oracleDecimals);
        _quoteToWad = 10 ** (18 - p.quoteDecimals);
        _underlyingUnit = 10 ** p.underlyingDecimals;
        // Call premiums: amount x (underlying per option, WAD) / 1e18. Put premiums: amount x (quote WAD per
        // whole underlying) / (underlying unit x quote-to-WAD scale).
        _premiumDivisor = isCall_ ? WAD : _underlyingUnit * _quoteToWad;
        _offset = decimalsOffset;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _setParams(params_);
        _setDeltaBounds(bounds_);
        IERC20(asset()).forceApprove(address(ledger_), type(uint256).max);
    }

    // ---------------------------------------------------------------- trading

    /// @inheritdoc IOptionVault
    function quote(uint256 seriesId, uint256 amount, bool isBuy) external view returns (Quote memory q) {
        Trade memory t;
        (q, t) = _quote(seriesId, amount, isBuy);
        if (t.refusal.length != 0) q.refusal = bytes4(t.refusal);
    }

    /// @inheritdoc IOptionVault
    function buy(
        uint256 seriesId,
        uint256 amount,
        uint256 maxPremium,
        uint256 deadline,
        address recipient
    ) external nonReentrant returns (uint256 premium) {
        _checkOrder(deadline, recipient);
        (Quote memory q, Trade memory t) = _quote(seriesId, amount, true);
        if (t.refusal.length != 0) _revertWith(t.refusal);
        premium = q.premium;
        if (premium > maxPremium) revert PremiumAboveLimit(premium, maxPremium);

        Book memory b = _book;
        // free + premium - collateralIn >= 0: the refusal check guarantees collateralIn <= free.
        b.free = uint128(b.free + premium - t.collateralIn);
        b.locked = uint128(b.locked + t.collateralIn);
        _book = b;
        t.position.amount -= int128(int256(amount));
        t.position.collateral += uint128(t.collateralIn);
        _storePosition(seriesId, t.position);

        IERC20(asset()).safeTransferFrom(msg.sender, address(this), premium);
        emit Bought(seriesId, msg.sender, recipient, amount, premium, q.fee);
        if (t.fromInventory != 0) _ledger.safeTransferFrom(address(this), recipient, seriesId, t.fromInventory, "");
        if (t.toWrite != 0) _ledger.mint(seriesId, t.toWrite, address(this), recipient);
    }

    /// @inheritdoc IOptionVault
    function sell(
        uint256 seriesId,
        uint256 amount,
        uint256 minPremium,
        uint256 deadline,
        address recipient
    ) external nonReentrant returns (uint256 premium) {
        _checkOrder(deadline, recipient);
        (Quote memory q, Trade memory t) = _quote(seriesId, amount, false);
        if (t.refusal.length != 0) _revertWith(t.refusal);
        premium = q.premium;
        if (premium < minPremium) revert PremiumBelowLimit(premium, minPremium);

        // Closing a short releases floor(collateral) per the ledger; any rounding dust left in the position
        // once the short is gone is written off (it stays in the ledger, in the holders' favour).
        uint256 unlocked = t.collateralOut;
        t.position.amount += int128(int256(amount));
        t.position.collateral -= uint128(t.collateralOut);
        if (t.position.amount >= 0 && t.position.collateral != 0) {
            unlocked += t.position.collateral;
            t.position.collateral = 0;
        }
        Book memory b = _book;
        // The refusal check guarantees premium <= free + collateralOut.
        b.free = uint128(b.free + t.collateralOut - premium);
        b.locked = uint128(b.locked - unlocked);
        _book = b;
        _storePosition(seriesId, t.position);

        emit Sold(seriesId, msg.sender, recipient, amount, premium, q.fee);
        _ledger.safeTransferFrom(msg.sender, address(this), seriesId, amount, "");
        if (t.toClose != 0) _ledger.close(seriesId, t.toClose, address(this), address(this));
        IERC20(asset()).safeTransfer(recipient, premium);
    }

    /// @inheritdoc IOptionVault
    function collect(uint256 seriesId) external nonReentrant returns (uint256 proceeds) {
        Position memory pos = _positions[seriesId];
        if (pos.amount == 0) revert SeriesNotCollectable(seriesId);
        IOptionLedger.SeriesInfo memory info = _ledger.series(seriesId);
        if (!info.state.settled) revert SeriesNotCollectable(seriesId);

        Book memory b = _book;
        b.locked -= pos.collateral;
        delete _positions[seriesId];
        _open.remove(seriesId);
        if (pos.amount < 0) {
            proceeds = _ledger.redeem(seriesId, address(this), uint256(-int256(pos.amount)));
        } else {
            proceeds = _ledger.exercise(seriesId, address(this), uint256(int256(pos.amount)));
        }
        b.free += uint128(proceeds);
        _book = b;
        emit Collected(seriesId, pos.amount, proceeds);
    }

    // ---------------------------------------------------------------- keeper and admin

    /// @inheritdoc IOptionVault
    function setVolSlice(uint40 expiry, uint64 atmVol, int64 skew, uint64 curvature) external onlyRole(KEEPER_ROLE) {
        if (atmVol < VaultPricing.MIN_VOL || atmVol > VaultPricing.MAX_VOL) revert InvalidParams();
        _volSlices[expiry] = VolSlice({
            atmVol: atmVol,
            skew: skew,
            curvature: curvature,
            updatedAt: uint40(block.timestamp)
        });
        emit VolSliceSet(expiry, atmVol, skew, curvature);
    }

    /// @inheritdoc IOptionVault
    function setParams(Params calldata params_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setParams(params_);
    }

    /// @inheritdoc IOptionVault
    function setDeltaBounds(DeltaBounds calldata bounds) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setDeltaBounds(bounds);
    }

    // ---------------------------------------------------------------- ERC-4626

    /// @notice Free assets plus every open position marked at model value: longs at value, shorts at their
    /// collateral minus the option's value; expired positions at their payoff.
    function totalAssets() public view override(ERC4626, IERC4626) returns (uint256 nav) {
        nav = _book.free;
        uint256 n = _open.length();
        if (n == 0) return nav;
        (, int256 answer, , uint256 updatedAt, ) = _oracle.latestRoundData();
        uint256 spot = answer > 0 ? uint256(answer) * _oracleToWad : 0;
        for (uint256 i; i < n; ++i) {
            uint256 id = _open.at(i);
            nav += _markPosition(id, _positions[id], spot, updatedAt);
        }
    }

    /// @notice Withdrawals are capped at free assets; locked collateral stays until positions close.
    function maxWithdraw(address owner) public view override(ERC4626, IERC4626) returns (uint256) {
        return Math.min(_convertToAssets(balanceOf(owner), Math.Rounding.Floor), _book.free);
    }

    /// @notice Redemptions are capped at the shares that free assets cover.
    function maxRedeem(address owner) public view override(ERC4626, IERC4626) returns (uint256) {
        return Math.min(super.maxRedeem(owner), _convertToShares(_book.free, Math.Rounding.Floor));
    }

    /// @notice Deposits price shares from a fresh NAV: they revert while the oracle or an open vol is stale.
    function deposit(
        uint256 assets,
        address receiver
    ) public override(ERC4626, IERC4626) nonReentrant returns (uint256) {
        _checkMarksFresh();
        return super.deposit(assets, receiver);
    }

    /// @inheritdoc ERC4626
    function mint(uint256 shares, address receiver) public override(ERC4626, IERC4626) nonReentrant returns (uint256) {
        _checkMarksFresh();
        return super.mint(shares, receiver);
    }

    /// @inheritdoc ERC4626
    function withdraw(
        uint256 assets,
        address receiver,
        address owner
    ) public override(ERC4626, IERC4626) nonReentrant returns (uint256) {
        _checkMarksFresh();
        return super.withdraw(assets, receiver, owner);
    }

    /// @inheritdoc ERC4626
    function redeem(
        uint256 shares,
        address receiver,
        address owner
    ) public override(ERC4626, IERC4626) nonReentrant returns (uint256) {
        _checkMarksFresh();
        return super.redeem(shares, receiver, owner);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IOptionVault
    function ledger() external view returns (address) {
        return address(_ledger);
    }

    /// @inheritdoc IOptionVault
    function pairId() external view returns (uint32) {
        return _pairId;
    }

    /// @inheritdoc IOptionVault
    function isCall() external view returns (bool) {
        return _isCall;
    }

    /// @inheritdoc IOptionVault
    function freeAssets() external view returns (uint256) {
        return _book.free;
    }

    /// @inheritdoc IOptionVault
    function lockedAssets() external view returns (uint256) {
        return _book.locked;
    }

    /// @inheritdoc IOptionVault
    function utilisation() external view returns (uint256) {
        Book memory b = _book;
        return b.locked == 0 ? 0 : VaultPricing.fraction(b.locked, uint256(b.free) + b.locked);
    }

    /// @inheritdoc IOptionVault
    function openSeries() external view returns (uint256[] memory) {
        return _open.values();
    }

    /// @inheritdoc IOptionVault
    function position(uint256 seriesId) external view returns (Position memory) {
        return _positions[seriesId];
    }

    /// @inheritdoc IOptionVault
    function volSlice(uint40 expiry) external view returns (VolSlice memory) {
        return _volSlices[expiry];
    }

    /// @inheritdoc IOptionVault
    function params() external view returns (Params memory) {
        return _params;
    }

    /// @inheritdoc IOptionVault
    function deltaBounds() external view returns (DeltaBounds memory) {
        return _deltaBounds;
    }

    /// @inheritdoc AccessControl
    function supportsInterface(bytes4 interfaceId) public view override(AccessControl, ERC1155Holder) returns (bool) {
        return AccessControl.supportsInterface(interfaceId) || ERC1155Holder.supportsInterface(interfaceId);
    }

    // ---------------------------------------------------------------- internals

    /// @dev Prices a trade and works out what it would do to the book. Hard-reverts only when there is no
    /// price; capacity problems go into `t.refusal` as an encoded custom error.
    function _quote(
        uint256 seriesId,
        uint256 amount,
        bool isBuy
    ) private view returns (Quote memory q, Trade memory t) {
        if (amount == 0) revert ZeroAmount();
        (uint32 pair, uint128 strike, uint40 expiry, bool call) = SeriesId.decode(seriesId);
        if (pair != _pairId || call != _isCall || !SeriesId.isCanonical(seriesId)) revert UnsupportedSeries(seriesId);
        if (block.timestamp >= expiry) revert SeriesExpired(seriesId);

        Params memory p = _params;
        t.seriesId = seriesId;
        t.amount = amount;
        t.valuePerOption = _model(q, strike, expiry, p);
        t.position = _positions[seriesId];
        q.modelValue = Math.mulDiv(amount, t.valuePerOption, _premiumDivisor);

        Book memory b = _book;
        uint256 capital = uint256(b.free) + b.locked;
        uint256 size = VaultPricing.fraction(_collateral(strike, amount), capital);
        if (isBuy) {
            uint256 held = t.position.amount > 0 ? uint256(int256(t.position.amount)) : 0;
            t.fromInventory = Math.min(held, amount);
            t.toWrite = amount - t.fromInventory;
            t.collateralIn = _collateral(strike, t.toWrite);
            uint256 utilAfter = VaultPricing.fraction(b.locked + t.collateralIn, capital);
            uint256 spread = VaultPricing.spread(p, utilAfter, size);
            q.premium = VaultPricing.askPremium(t.valuePerOption, spread, amount, _premiumDivisor);
            q.fee = q.premium - q.modelValue;
        } else {
            uint256 short = t.position.amount < 0 ? uint256(-int256(t.position.amount)) : 0;
            t.toClose = Math.min(short, amount);
            t.collateralOut = OptionMath.released(_isCall, strike, t.toClose, _underlyingUnit);
            uint256 spread = VaultPricing.spread(p, VaultPricing.fraction(b.locked, capital), size);
            q.premium = VaultPricing.bidPremium(t.valuePerOption, spread, amount, _premiumDivisor);
            q.fee = q.modelValue - q.premium;
        }
        t.refusal = _refusal(t, q, p, b, expiry, isBuy);
    }

    /// @dev Fills spot, vol and delta from a fresh oracle and vol slice; returns the model value per option
    /// in the vault asset (WAD per option).
    function _model(
        Quote memory q,
        uint128 strike,
        uint40 expiry,
        Params memory p
    ) private view returns (uint256 valuePerOption) {
        q.spot = _freshSpot(p.oracleMaxAge);
        VolSlice memory slice = _freshSlice(expiry, p.volMaxAge);
        uint256 strikeWad = uint256(strike) * _quoteToWad;
        uint256 tYears = VaultPricing.yearsUntil(expiry, block.timestamp);
        uint256 rate = uint256(p.rate) * VaultPricing.PPM_TO_WAD;
        q.vol = VaultPricing.volAt(slice, strikeWad, q.spot, tYears, rate);
        BlackScholes.Greeks memory g = BlackScholes.greeks(q.spot, strikeWad, tYears, q.vol, rate);
        q.delta = _isCall ? int256(g.callDelta) : int256(g.callDelta) - int256(WAD);
        valuePerOption = _isCall ? (g.call * WAD) / q.spot : g.put;
    }

    /// @dev The capacity checks of a priced trade, as an encoded custom error (empty when accepted).
    function _refusal(
        Trade memory t,
        Quote memory q,
        Params memory p,
        Book memory b,
        uint40 expiry,
        bool isBuy
    ) private view returns (bytes memory) {
        uint256 maxExpiry = block.timestamp + p.maxTimeToExpiry;
        if (expiry > maxExpiry) return abi.encodeWithSelector(ExpiryTooFar.selector, expiry, maxExpiry);
        DeltaBounds memory db = _deltaBounds;
        uint256 absDeltaPpm = (uint256(q.delta >= 0 ? q.delta : -q.delta) * PPM) / WAD;
        if (absDeltaPpm < db.minAbsDelta || absDeltaPpm > db.maxAbsDelta) {
            return abi.encodeWithSelector(DeltaOutOfBounds.selector, q.delta);
        }
        uint256 capital = uint256(b.free) + b.locked;
        uint256 cap = (capital * p.seriesCap) / PPM;
        uint256 exposure;
        if (isBuy) {
            if (t.collateralIn > b.free) {
                return abi.encodeWithSelector(InsufficientLiquidity.selector, t.collateralIn, b.free);
            }
            if (t.toWrite != 0) exposure = t.position.collateral + t.collateralIn;
        } else {
            uint256 available = b.free + t.collateralOut;
            if (q.premium > available) {
                return abi.encodeWithSelector(InsufficientLiquidity.selector, q.premium, available);
            }
            int256 after_ = int256(t.position.amount) + int256(t.amount);
            if (after_ > 0) exposure = Math.mulDiv(uint256(after_), t.valuePerOption, _premiumDivisor);
        }
        if (exposure > cap) return abi.encodeWithSelector(ExposureCapExceeded.selector, t.seriesId, exposure, cap);
        if (t.position.amount == 0 && _open.length() >= MAX_OPEN_SERIES) {
            return abi.encodeWithSelector(TooManyOpenSeries.selector, MAX_OPEN_SERIES);
        }
        return "";
    }

    /// @dev Value of one open position at spot `spot` (WAD), in the vault asset.
    function _markPosition(
        uint256 seriesId,
        Position memory pos,
        uint256 spot,
        uint256 oracleUpdatedAt
    ) private view returns (uint256) {
        (, uint128 strike, uint40 expiry, ) = SeriesId.decode(seriesId);
        uint256 amount = pos.amount >= 0 ? uint256(int256(pos.amount)) : uint256(-int256(pos.amount));
        if (block.timestamp >= expiry) {
            // Expired: the payoff at the settlement price, or at the latest oracle price until settled.
            IOptionLedger.SeriesState memory state = _ledger.series(seriesId).state;
            uint256 price = state.settled ? state.settlementPrice : spot / _quoteToWad;
            if (price == 0) return pos.amount < 0 ? pos.collateral : 0;
            (uint256 longPayout, uint256 shortPayout) = OptionMath.payoffs(
                _isCall,
                strike,
                price,
                amount,
                _underlyingUnit
            );
            return pos.amount > 0 ? longPayout : shortPayout;
        }
        if (spot == 0 || oracleUpdatedAt == 0) return pos.amount < 0 ? pos.collateral : 0;
        uint256 rate = uint256(_params.rate) * VaultPricing.PPM_TO_WAD;
        uint256 strikeWad = uint256(strike) * _quoteToWad;
        uint256 tYears = VaultPricing.yearsUntil(expiry, block.timestamp);
        uint256 vol = VaultPricing.volAt(_volSlices[expiry], strikeWad, spot, tYears, rate);
        BlackScholes.Greeks memory g = BlackScholes.greeks(spot, strikeWad, tYears, vol, rate);
        uint256 valuePerOption = _isCall ? (g.call * WAD) / spot : g.put;
        if (pos.amount > 0) return Math.mulDiv(amount, valuePerOption, _premiumDivisor);
        uint256 obligation = Math.mulDiv(amount, valuePerOption, _premiumDivisor, Math.Rounding.Ceil);
        return obligation >= pos.collateral ? 0 : pos.collateral - obligation;
    }

    /// @dev NAV must not be priced from a stale oracle or a stale vol while positions are open.
    function _checkMarksFresh() private view {
        uint256 n = _open.length();
        if (n == 0) return;
        Params memory p = _params;
        _freshSpot(p.oracleMaxAge);
        for (uint256 i; i < n; ++i) {
            uint40 expiry = SeriesId.expiryOf(_open.at(i));
            if (block.timestamp < expiry) _freshSlice(expiry, p.volMaxAge);
        }
    }

    function _freshSpot(uint256 maxAge) private view returns (uint256) {
        (, int256 answer, , uint256 updatedAt, ) = _oracle.latestRoundData();
        if (answer <= 0) revert InvalidOraclePrice(answer);
        if (block.timestamp - updatedAt > maxAge) revert StaleOracle(updatedAt);
        return uint256(answer) * _oracleToWad;
    }

    function _freshSlice(uint40 expiry, uint256 maxAge) private view returns (VolSlice memory slice) {
        slice = _volSlices[expiry];
        if (slice.updatedAt == 0) revert VolNotSet(expiry);
        if (block.timestamp - slice.updatedAt > maxAge) revert StaleVol(expiry, slice.updatedAt);
    }

    function _collateral(uint256 strike, uint256 amount) private view returns (uint256) {
        return OptionMath.collateral(_isCall, strike, amount, _underlyingUnit);
    }

    function _storePosition(uint256 seriesId, Position memory pos) private {
        _positions[seriesId] = pos;
        if (pos.amount == 0 && pos.collateral == 0) _open.remove(seriesId);
        else _open.add(seriesId);
    }

    function _checkOrder(uint256 deadline, address recipient) private view {
        if (block.timestamp > deadline) revert DeadlinePassed(deadline);
        if (recipient == address(0)) revert ZeroAddress();
    }

    function _setParams(Params memory p) private {
        if (
            p.baseSpread == 0 ||
            p.baseSpread + uint256(p.utilSpread) + p.sizeSpread > PPM ||
            p.rate > PPM ||
            p.oracleMaxAge == 0 ||
            p.volMaxAge == 0 ||
            p.maxTimeToExpiry == 0 ||
            p.seriesCap == 0 ||
            p.seriesCap > PPM
        ) revert InvalidParams();
        _params = p;
        emit ParamsSet(p);
    }

    function _setDeltaBounds(DeltaBounds memory bounds) private {
        if (bounds.minAbsDelta > bounds.maxAbsDelta || bounds.maxAbsDelta > PPM) revert InvalidParams();
        _deltaBounds = bounds;
        emit DeltaBoundsSet(bounds);
    }

    function _revertWith(bytes memory err) private pure {
        assembly ("memory-safe") {
            revert(add(err, 0x20), mload(err))
        }
    }

    /// @dev Book-keeping hooks: deposits and withdrawals move free assets.
    function _deposit(address caller, address receiver, uint256 assets, uint256 shares) internal override {
        super._deposit(caller, receiver, assets, shares);
        _book.free += uint128(assets);
    }

    function _withdraw(
        address caller,
        address receiver,
        address owner,
        uint256 assets,
        uint256 shares
    ) internal override {
        _book.free -= uint128(assets);
        super._withdraw(caller, receiver, owner, assets, shares);
    }

    function _decimalsOffset() internal view override returns (uint8) {
        return _offset;
    }

    function _assetOf(IOptionLedger ledger_, uint32 pairId_, bool isCall_) private view returns (address asset_) {
        IOptionLedger.Pair memory p = ledger_.pair(pairId_);
        asset_ = isCall_ ? p.underlying : p.quote;
        if (asset_ == address(0)) revert UnsupportedSeries(uint256(pairId_));
    }
}
