// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";
import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {IOptionLedger} from "../interfaces/IOptionLedger.sol";
import {IOptionVault} from "../interfaces/IOptionVault.sol";
import {BlackScholes} from "../libraries/BlackScholes.sol";
import {OptionMath} from "../libraries/OptionMath.sol";
import {SeriesId} from "../libraries/SeriesId.sol";
import {VaultNav} from "../libraries/VaultNav.sol";
import {VaultPricing} from "../libraries/VaultPricing.sol";
import {VaultRisk} from "../libraries/VaultRisk.sol";
import {VaultState} from "../libraries/VaultState.sol";
import {LedgerReceiver} from "../utils/LedgerReceiver.sol";
import {TransientReentrancyGuard} from "../utils/TransientReentrancyGuard.sol";

/// @title OptionVault
/// @notice ERC-4626 AMM options vault for one pair and one option type. See {IOptionVault}.
/// @dev Free and locked assets are tracked internally, so tokens donated to the vault do not move the share
/// price (the first-depositor inflation attack has nothing to inflate), and a decimals offset adds virtual
/// shares on top. `totalAssets` marks every open position at model value. The vault accepts only the longs it
/// pulls itself, and the ledger lets third parties settle only whole positions, so its books always match
/// its ledger balances.
contract OptionVault is IOptionVault, LedgerReceiver, ERC4626, Ownable2Step, TransientReentrancyGuard {
    using EnumerableSet for EnumerableSet.UintSet;
    using SafeCast for uint256;
    using SafeCast for int256;
    using SafeERC20 for IERC20;

    /// @notice Most series the vault holds positions in; bounds the cost of marking NAV.
    uint256 public constant MAX_OPEN_SERIES = VaultRisk.MAX_OPEN_SERIES;

    uint256 private constant WAD = 1e18;

    IOptionLedger private immutable _ledger;
    uint32 private immutable _pairId;
    bool private immutable _isCall;
    AggregatorV3Interface private immutable _oracle;
    uint256 private immutable _oracleToWad;
    uint256 private immutable _quoteToWad;
    uint256 private immutable _underlyingUnit;
    uint256 private immutable _premiumDivisor;
    uint8 private immutable _offset;

    VaultState.Layout private _s;
    mapping(address keeper => bool allowed) private _keepers;

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
        Limits memory limits_
    ) ERC4626(IERC20(_assetOf(ledger_, pairId_, isCall_))) ERC20(name_, symbol_) Ownable(admin) {
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
        VaultRisk.setParams(_s, params_);
        VaultRisk.setLimits(_s, limits_);
        IERC20(asset()).forceApprove(address(ledger_), type(uint256).max);
    }

    // ---------------------------------------------------------------- trading

    /// @inheritdoc IOptionVault
    function quote(uint256 seriesId, uint256 amount, bool isBuy) external view returns (Quote memory q) {
        VaultState.Trade memory t;
        (q, t) = _quote(seriesId, amount, isBuy);
        bytes memory refusal = VaultRisk.refusal(_s, _market(), seriesId, t, q, isBuy);
        if (refusal.length != 0) q.refusal = bytes4(refusal);
    }

    /// @inheritdoc IOptionVault
    function referencePremium(uint256 seriesId, uint256 amount, bool isBuy) external view returns (uint256) {
        (Quote memory q, ) = _quote(seriesId, amount, isBuy);
        return q.premium;
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
        (Quote memory q, VaultState.Trade memory t) = _quote(seriesId, amount, true);
        _revertIfRefused(VaultRisk.refusal(_s, _market(), seriesId, t, q, true));
        premium = q.premium;
        if (premium > maxPremium) revert PremiumAboveLimit(premium, maxPremium);

        VaultState.Book memory b = t.book;
        // The refusal check guarantees collateralIn <= free.
        b.free = (b.free + premium - t.collateralIn).toUint128();
        b.locked = (b.locked + t.collateralIn).toUint128();
        _s.book = b;
        t.position.amount = (int256(t.position.amount) - amount.toInt256()).toInt128();
        t.position.collateral = (t.position.collateral + t.collateralIn).toUint128();
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
        (Quote memory q, VaultState.Trade memory t) = _quote(seriesId, amount, false);
        _revertIfRefused(VaultRisk.refusal(_s, _market(), seriesId, t, q, false));
        premium = q.premium;
        if (premium < minPremium) revert PremiumBelowLimit(premium, minPremium);

        // Closing a short releases floor(collateral) per the ledger; rounding dust left in the position once
        // the short is gone stays in the ledger and is written off here.
        uint256 unlocked = t.collateralOut;
        t.position.amount = (int256(t.position.amount) + amount.toInt256()).toInt128();
        t.position.collateral -= t.collateralOut.toUint128();
        if (t.position.amount >= 0 && t.position.collateral != 0) {
            unlocked += t.position.collateral;
            t.position.collateral = 0;
        }
        VaultState.Book memory b = t.book;
        // The refusal check guarantees premium <= free + collateralOut.
        b.free = (b.free + t.collateralOut - premium).toUint128();
        b.locked = (b.locked - unlocked).toUint128();
        _s.book = b;
        _storePosition(seriesId, t.position);

        emit Sold(seriesId, msg.sender, recipient, amount, premium, q.fee);
        _ledger.safeTransferFrom(msg.sender, address(this), seriesId, amount, "");
        if (t.toClose != 0) _ledger.close(seriesId, t.toClose, address(this), address(this));
        IERC20(asset()).safeTransfer(recipient, premium);
    }

    /// @inheritdoc IOptionVault
    function collect(uint256 seriesId) external nonReentrant returns (uint256 proceeds) {
        int256 amount;
        (amount, proceeds) = VaultNav.collect(_s, _market(), seriesId);
        emit Collected(seriesId, amount, proceeds);
    }

    // ---------------------------------------------------------------- keeper and admin

    /// @inheritdoc IOptionVault
    function setVolSlice(uint40 expiry, uint64 atmVol, int64 skew, uint64 curvature) external {
        if (!_keepers[msg.sender]) revert NotKeeper(msg.sender);
        if (atmVol < VaultPricing.MIN_VOL || atmVol > VaultPricing.MAX_VOL) revert InvalidParams();
        _s.volSlices[expiry] = VolSlice({
            atmVol: atmVol,
            skew: skew,
            curvature: curvature,
            updatedAt: uint40(block.timestamp)
        });
        emit VolSliceSet(expiry, atmVol, skew, curvature);
    }

    /// @inheritdoc IOptionVault
    function setKeeper(address keeper, bool allowed) external onlyOwner {
        if (keeper == address(0)) revert ZeroAddress();
        _keepers[keeper] = allowed;
        emit KeeperSet(keeper, allowed);
    }

    /// @inheritdoc IOptionVault
    function setParams(Params calldata params_) external onlyOwner {
        VaultRisk.setParams(_s, params_);
    }

    /// @inheritdoc IOptionVault
    function setLimits(Limits calldata limits_) external onlyOwner {
        VaultRisk.setLimits(_s, limits_);
    }

    /// @inheritdoc IOptionVault
    function sweep(address token, address to) external onlyOwner nonReentrant returns (uint256) {
        return VaultNav.sweep(_s, token, asset(), to);
    }

    /// @notice Disabled: a vault without an owner could never change its limits or keepers again.
    function renounceOwnership() public pure override {
        revert RenounceDisabled();
    }

    // ---------------------------------------------------------------- ERC-4626

    /// @notice Free assets plus every open position marked at model value: longs at value, shorts at their
    /// collateral minus the option's value; expired positions at their payoff.
    function totalAssets() public view override(ERC4626, IERC4626) returns (uint256) {
        return VaultNav.nav(_s, _market());
    }

    /// @notice Zero while NAV cannot be marked (stale oracle or vol, or an expired position not yet collected);
    /// otherwise what keeps free assets within uint128 and the supply within uint208. Any receiver but zero.
    function maxDeposit(address receiver) public view override(ERC4626, IERC4626) returns (uint256) {
        return _max(receiver, VaultNav.MaxOf.Deposit);
    }

    /// @notice Zero while NAV cannot be marked; otherwise bounded as `maxDeposit`.
    function maxMint(address receiver) public view override(ERC4626, IERC4626) returns (uint256) {
        return _max(receiver, VaultNav.MaxOf.Mint);
    }

    /// @notice The owner's unlocked shares in assets, capped at free assets; zero while NAV cannot be marked.
    function maxWithdraw(address owner) public view override(ERC4626, IERC4626) returns (uint256) {
        return _max(owner, VaultNav.MaxOf.Withdraw);
    }

    /// @notice The owner's unlocked shares, capped at what free assets pay; zero while NAV cannot be marked.
    function maxRedeem(address owner) public view override(ERC4626, IERC4626) returns (uint256) {
        return _max(owner, VaultNav.MaxOf.Redeem);
    }

    /// @notice Deposits price shares from a fresh NAV. The receiver may be anyone; the shares minted to it are
    /// locked for `lpLockup` (see `lockedUntil`), its other shares are not touched.
    function deposit(
        uint256 assets,
        address receiver
    ) public override(ERC4626, IERC4626) nonReentrant returns (uint256) {
        _revertIfUnmarkable();
        return super.deposit(assets, receiver);
    }

    /// @inheritdoc ERC4626
    function mint(uint256 shares, address receiver) public override(ERC4626, IERC4626) nonReentrant returns (uint256) {
        _revertIfUnmarkable();
        return super.mint(shares, receiver);
    }

    /// @inheritdoc ERC4626
    function withdraw(
        uint256 assets,
        address receiver,
        address owner
    ) public override(ERC4626, IERC4626) nonReentrant returns (uint256) {
        _revertIfUnmarkable();
        return super.withdraw(assets, receiver, owner);
    }

    /// @inheritdoc ERC4626
    function redeem(
        uint256 shares,
        address receiver,
        address owner
    ) public override(ERC4626, IERC4626) nonReentrant returns (uint256) {
        _revertIfUnmarkable();
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
        return _s.book.free;
    }

    /// @inheritdoc IOptionVault
    function lockedAssets() external view returns (uint256) {
        return _s.book.locked;
    }

    /// @inheritdoc IOptionVault
    function utilisation() external view returns (uint256) {
        VaultState.Book memory b = _s.book;
        return b.locked == 0 ? 0 : VaultPricing.fraction(b.locked, uint256(b.free) + b.locked);
    }

    /// @inheritdoc IOptionVault
    function openSeries() external view returns (uint256[] memory) {
        return _s.open.values();
    }

    /// @inheritdoc IOptionVault
    function position(uint256 seriesId) external view returns (Position memory) {
        return _s.positions[seriesId];
    }

    /// @inheritdoc IOptionVault
    function volSlice(uint40 expiry) external view returns (VolSlice memory) {
        return _s.volSlices[expiry];
    }

    /// @inheritdoc IOptionVault
    function params() external view returns (Params memory) {
        return _s.params;
    }

    /// @inheritdoc IOptionVault
    function limits() external view returns (Limits memory) {
        return _s.limits;
    }

    /// @inheritdoc IOptionVault
    function isKeeper(address keeper) external view returns (bool) {
        return _keepers[keeper];
    }

    /// @inheritdoc IOptionVault
    function lockedUntil(address owner) external view returns (uint256) {
        return _s.locks[owner].until;
    }

    /// @inheritdoc IOptionVault
    function lockedShares(address owner) external view returns (uint256) {
        return VaultNav.lockedShares(_s, owner);
    }

    /// @dev Longs arrive only from the ledger, in transfers this contract starts (see LedgerReceiver).
    function _receiptLedger() internal view override returns (address) {
        return address(_ledger);
    }

    // ---------------------------------------------------------------- internals

    /// @dev Prices a trade and works out what it would do to the book. Reverts only when there is no price;
    /// capacity limits are checked separately by `_refusal`.
    function _quote(
        uint256 seriesId,
        uint256 amount,
        bool isBuy
    ) private view returns (Quote memory q, VaultState.Trade memory t) {
        if (amount == 0) revert ZeroAmount();
        (uint32 pair, uint128 strike, uint40 expiry, bool call) = SeriesId.decode(seriesId);
        if (pair != _pairId || call != _isCall || !SeriesId.isCanonical(seriesId)) revert UnsupportedSeries(seriesId);
        if (block.timestamp >= expiry) revert SeriesExpired(seriesId);

        Params memory p = _s.params;
        uint256 fixedPerOption;
        (t.valuePerOption, fixedPerOption) = _model(q, strike, expiry, p);
        t.amount = amount;
        t.position = _s.positions[seriesId];
        t.book = _s.book;
        q.modelValue = Math.mulDiv(amount, t.valuePerOption, _premiumDivisor);

        // Utilisation and size enter as the average of their values before and after the trade, i.e. the
        // integral of a linear marginal spread: the price does not depend on how a trade is split, and a
        // larger trade never pays less per option.
        uint256 capital = uint256(t.book.free) + t.book.locked;
        uint256 utilBefore = VaultPricing.fraction(t.book.locked, capital);
        if (isBuy) {
            uint256 held = t.position.amount > 0 ? uint256(int256(t.position.amount)) : 0;
            t.fromInventory = Math.min(held, amount);
            t.toWrite = amount - t.fromInventory;
            t.collateralIn = _collateral(strike, t.toWrite);
            t.exposureAfter = t.position.collateral + t.collateralIn;
            uint256 utilAfter = VaultPricing.fraction(t.book.locked + t.collateralIn, capital);
            uint256 size = VaultPricing.fraction(t.position.collateral + t.exposureAfter, 2 * capital);
            uint256 spread = VaultPricing.spread(p, (utilBefore + utilAfter) / 2, size);
            q.premium = VaultPricing.askPremium(t.valuePerOption, spread, fixedPerOption, amount, _premiumDivisor);
            q.fee = q.premium - q.modelValue;
        } else {
            t.toClose = Math.min(t.position.amount < 0 ? _abs(t.position.amount) : 0, amount);
            t.collateralOut = OptionMath.released(_isCall, strike, t.toClose, _underlyingUnit);
            // Size counts the long notional the vault takes on; buying back its own shorts adds none.
            int256 longAfter = int256(t.position.amount) + amount.toInt256();
            uint256 longBefore = t.position.amount > 0 ? uint256(int256(t.position.amount)) : 0;
            uint256 notionalAfter = longAfter > 0 ? _collateral(strike, uint256(longAfter)) : 0;
            t.exposureAfter = longAfter > 0 ? Math.mulDiv(uint256(longAfter), t.valuePerOption, _premiumDivisor) : 0;
            uint256 size = VaultPricing.fraction(_collateral(strike, longBefore) + notionalAfter, 2 * capital);
            uint256 spread = VaultPricing.spread(p, utilBefore, size);
            q.premium = VaultPricing.bidPremium(t.valuePerOption, spread, fixedPerOption, amount, _premiumDivisor);
            q.fee = q.modelValue - q.premium;
        }
    }

    /// @dev Fills spot, vol and delta from a fresh oracle and vol slice. Returns the model value and the fixed
    /// (delta and vega) spread per option, both in the vault asset, WAD per option.
    function _model(
        Quote memory q,
        uint128 strike,
        uint40 expiry,
        Params memory p
    ) private view returns (uint256 valuePerOption, uint256 fixedPerOption) {
        q.spot = _freshSpot(p.oracleMaxAge);
        VolSlice memory slice = _freshSlice(expiry, p.volMaxAge);
        uint256 strikeWad = uint256(strike) * _quoteToWad;
        uint256 tYears = VaultPricing.yearsUntil(expiry, block.timestamp);
        uint256 rate = uint256(p.rate) * VaultPricing.PPM_TO_WAD;
        q.vol = VaultPricing.volAt(slice, strikeWad, q.spot, tYears, rate);
        BlackScholes.Greeks memory g = BlackScholes.greeks(q.spot, strikeWad, tYears, q.vol, rate);
        q.delta = _isCall ? int256(g.callDelta) : int256(g.callDelta) - int256(WAD);
        uint256 absDelta = _isCall ? g.callDelta : WAD - g.callDelta;
        uint256 riskSpread = VaultPricing.riskSpread(p, absDelta, q.spot, g.vega);
        if (_isCall) {
            valuePerOption = (g.call * WAD) / q.spot;
            fixedPerOption = Math.mulDiv(riskSpread, WAD, q.spot, Math.Rounding.Ceil);
        } else {
            valuePerOption = g.put;
            fixedPerOption = riskSpread;
        }
    }

    function _market() private view returns (VaultState.Market memory) {
        return
            VaultState.Market({
                ledger: _ledger,
                oracle: _oracle,
                isCall: _isCall,
                oracleToWad: _oracleToWad,
                quoteToWad: _quoteToWad,
                underlyingUnit: _underlyingUnit,
                premiumDivisor: _premiumDivisor
            });
    }

    function _max(address account, VaultNav.MaxOf kind) private view returns (uint256) {
        return VaultNav.maxOf(_s, _market(), kind, account, balanceOf(account), totalSupply(), 10 ** _offset);
    }

    /// @dev Entries and exits name the reason NAV cannot be marked, rather than the zero limit it causes.
    function _revertIfUnmarkable() private view {
        _revertIfRefused(VaultNav.markStatus(_s, _market()));
    }

    function _freshSpot(uint256 maxAge) private view returns (uint256) {
        (, int256 answer, , uint256 updatedAt, ) = _oracle.latestRoundData();
        if (answer <= 0) revert InvalidOraclePrice(answer);
        if (block.timestamp - updatedAt > maxAge) revert StaleOracle(updatedAt);
        return uint256(answer) * _oracleToWad;
    }

    function _freshSlice(uint40 expiry, uint256 maxAge) private view returns (VolSlice memory slice) {
        slice = _s.volSlices[expiry];
        if (slice.updatedAt == 0) revert VolNotSet(expiry);
        if (block.timestamp - slice.updatedAt > maxAge) revert StaleVol(expiry, slice.updatedAt);
    }

    function _collateral(uint256 strike, uint256 amount) private view returns (uint256) {
        return OptionMath.collateral(_isCall, strike, amount, _underlyingUnit);
    }

    function _storePosition(uint256 seriesId, Position memory pos) private {
        _s.positions[seriesId] = pos;
        if (pos.amount == 0 && pos.collateral == 0) _s.open.remove(seriesId);
        else _s.open.add(seriesId);
    }

    function _checkOrder(uint256 deadline, address recipient) private view {
        if (block.timestamp > deadline) revert DeadlinePassed(deadline);
        if (recipient == address(0)) revert ZeroAddress();
        // Longs or premium paid to the vault itself would leave its books short of its balances.
        if (recipient == address(this)) revert InvalidRecipient(recipient);
    }

    function _revertIfRefused(bytes memory err) private pure {
        if (err.length == 0) return;
        assembly ("memory-safe") {
            revert(add(err, 0x20), mload(err))
        }
    }

    function _abs(int128 x) private pure returns (uint256) {
        return x >= 0 ? uint256(int256(x)) : uint256(-int256(x));
    }

    /// @dev Book-keeping hooks: deposits and withdrawals move free assets; new shares are locked, and locked
    /// shares do not move.
    function _deposit(address caller, address receiver, uint256 assets, uint256 shares) internal override {
        if (receiver == address(this)) revert InvalidRecipient(receiver);
        super._deposit(caller, receiver, assets, shares);
        _s.book.free += assets.toUint128();
        VaultNav.lock(_s, receiver, shares, _s.limits.lpLockup, caller == receiver);
    }

    function _withdraw(
        address caller,
        address receiver,
        address owner,
        uint256 assets,
        uint256 shares
    ) internal override {
        // Assets paid to the vault itself would sit outside its books, as in F1.
        if (receiver == address(this)) revert InvalidRecipient(receiver);
        _s.book.free -= assets.toUint128();
        super._withdraw(caller, receiver, owner, assets, shares);
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (from != address(0)) {
            uint256 locked = VaultNav.lockedShares(_s, from);
            if (balanceOf(from) < locked) revert SharesLocked(from, locked, _s.locks[from].until);
        }
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
