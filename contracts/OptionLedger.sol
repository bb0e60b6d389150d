// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {TransientReentrancyGuard} from "./utils/TransientReentrancyGuard.sol";
import {AggregatorV3Interface} from "./interfaces/AggregatorV3Interface.sol";
import {IOptionLedger} from "./interfaces/IOptionLedger.sol";
import {OptionMath} from "./libraries/OptionMath.sol";
import {SeriesId} from "./libraries/SeriesId.sol";
import {SettlementOracle} from "./libraries/SettlementOracle.sol";

/// @title OptionLedger
/// @notice The option series ledger: collateral custody, ERC-1155 longs, per-writer shorts, oracle settlement.
/// @dev Collateral tokens are registered by the owner and assumed to be plain ERC-20s (no fee on transfer,
/// no rebasing); the ledger accounts for collateral per series and never pays out more than it recorded.
/// Registered collateral assets sent to it outside `mint` therefore stay here; other tokens can be swept.
contract OptionLedger is IOptionLedger, ERC1155, Ownable2Step, TransientReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @notice How long after expiry an unsettled series waits before the owner may fix its price.
    uint256 public constant EMERGENCY_DELAY = 1 days;
    /// @notice How long after expiry the owner's emergency price still needs proof that no round can settle.
    uint256 public constant EMERGENCY_LONGSTOP = 30 days;

    uint32 private _pairCount;
    mapping(uint32 pairId => Pair) private _pairs;
    mapping(address underlying => mapping(address quote => uint32 pairId)) private _pairIds;
    mapping(uint256 seriesId => SeriesState) private _series;
    mapping(address writer => mapping(uint256 seriesId => uint256 amount)) private _shorts;
    mapping(address writer => mapping(address operator => bool approved)) private _writeOperators;
    mapping(address token => bool registered) private _collateralAssets;

    constructor(address owner_) ERC1155("") Ownable(owner_) {}

    /// @inheritdoc IOptionLedger
    function registerPair(
        address underlying,
        address quote,
        address oracle,
        uint32 oracleMaxAge
    ) external onlyOwner returns (uint32 pairId) {
        if (underlying == address(0) || quote == address(0) || oracle == address(0)) revert ZeroAddress();
        if (underlying == quote) revert SameAsset(underlying);
        if (_pairIds[underlying][quote] != 0) revert PairAlreadyRegistered(underlying, quote);
        if (oracleMaxAge == 0) revert InvalidOracleMaxAge();
        uint8 underlyingDecimals = _checkedDecimals(underlying, IERC20Metadata(underlying).decimals());
        uint8 quoteDecimals = _checkedDecimals(quote, IERC20Metadata(quote).decimals());
        uint8 oracleDecimals = AggregatorV3Interface(oracle).decimals();
        if (oracleDecimals == 0) revert UnsupportedDecimals(oracle, 0);
        _checkedDecimals(oracle, oracleDecimals);

        pairId = ++_pairCount;
        _pairs[pairId] = Pair({
            underlying: underlying,
            quote: quote,
            oracle: oracle,
            oracleMaxAge: oracleMaxAge,
            underlyingDecimals: underlyingDecimals,
            quoteDecimals: quoteDecimals,
            oracleDecimals: oracleDecimals
        });
        _pairIds[underlying][quote] = pairId;
        _collateralAssets[underlying] = true;
        _collateralAssets[quote] = true;
        emit PairRegistered(pairId, underlying, quote, oracle, oracleMaxAge);
    }

    /// @inheritdoc IOptionLedger
    function createSeries(
        address underlying,
        address quote,
        uint128 strike,
        uint40 expiry,
        bool isCall
    ) external returns (uint256 seriesId) {
        if (underlying == quote) revert SameAsset(underlying);
        uint32 pairId = _pairIds[underlying][quote];
        if (pairId == 0) revert PairNotConfigured(underlying, quote);
        if (expiry <= block.timestamp) revert ExpiryNotInFuture(expiry);
        if (strike == 0) revert ZeroStrike();
        seriesId = SeriesId.encode(pairId, strike, expiry, isCall);
        if (_series[seriesId].exists) revert SeriesAlreadyExists(seriesId);
        _series[seriesId].exists = true;
        emit SeriesCreated(seriesId, pairId, strike, expiry, isCall);
    }

    /// @inheritdoc IOptionLedger
    function setWriteApproval(address operator, bool approved) external {
        if (operator == address(0)) revert ZeroAddress();
        _writeOperators[msg.sender][operator] = approved;
        emit WriteApprovalSet(msg.sender, operator, approved);
    }

    /// @inheritdoc IOptionLedger
    function mint(
        uint256 seriesId,
        uint256 amount,
        address writer,
        address recipient
    ) external nonReentrant returns (uint256 collateral) {
        if (amount == 0) revert ZeroAmount();
        if (recipient == address(0)) revert ZeroAddress();
        _checkAuthorized(writer);
        SeriesState storage state = _existing(seriesId);
        (uint32 pairId, uint128 strike, uint40 expiry, bool isCall) = SeriesId.decode(seriesId);
        if (block.timestamp >= expiry) revert SeriesExpired(seriesId);
        Pair storage p = _pairs[pairId];

        collateral = OptionMath.collateral(isCall, strike, amount, 10 ** p.underlyingDecimals);
        uint256 held = state.collateral + collateral;
        if (held > type(uint128).max) revert SeriesCollateralOverflow(seriesId);
        state.collateral = uint128(held);
        _shorts[writer][seriesId] += amount;
        IERC20(isCall ? p.underlying : p.quote).safeTransferFrom(writer, address(this), collateral);
        emit Written(seriesId, writer, recipient, amount, collateral);
        _mint(recipient, seriesId, amount, "");
    }

    /// @inheritdoc IOptionLedger
    function close(
        uint256 seriesId,
        uint256 amount,
        address account,
        address to
    ) external nonReentrant returns (uint256 collateral) {
        if (amount == 0) revert ZeroAmount();
        if (to == address(0)) revert ZeroAddress();
        _checkAuthorized(account);
        SeriesState storage state = _existing(seriesId);
        if (state.settled) revert SeriesAlreadySettled(seriesId);
        (uint32 pairId, uint128 strike, , bool isCall) = SeriesId.decode(seriesId);
        Pair storage p = _pairs[pairId];

        _burnShort(account, seriesId, amount);
        _burn(account, seriesId, amount);
        collateral = OptionMath.released(isCall, strike, amount, 10 ** p.underlyingDecimals);
        _payOut(state, seriesId, collateral);
        emit Closed(seriesId, account, to, amount, collateral);
        IERC20(isCall ? p.underlying : p.quote).safeTransfer(to, collateral);
    }

    /// @inheritdoc IOptionLedger
    function settle(uint256 seriesId, uint80 roundId) external nonReentrant returns (uint256 settlementPrice) {
        SeriesState storage state = _unsettled(seriesId);
        (uint32 pairId, , uint40 expiry, ) = SeriesId.decode(seriesId);
        if (block.timestamp <= expiry) revert SeriesNotExpired(seriesId);
        Pair storage p = _pairs[pairId];

        (int256 answer, uint256 updatedAt) = SettlementOracle.settlementAnswer(
            AggregatorV3Interface(p.oracle),
            roundId,
            expiry,
            p.oracleMaxAge
        );
        settlementPrice = _quotePrice(answer, p);
        if (settlementPrice == 0 || settlementPrice > type(uint96).max) revert InvalidOracleAnswer(roundId, answer);
        _fixPrice(state, settlementPrice);
        emit Settled(seriesId, roundId, settlementPrice, updatedAt);
    }

    /// @inheritdoc IOptionLedger
    function emergencySettle(uint256 seriesId, uint256 settlementPrice, uint80 roundHint) external onlyOwner {
        SeriesState storage state = _unsettled(seriesId);
        (uint32 pairId, , uint40 expiry, ) = SeriesId.decode(seriesId);
        uint256 opensAt = uint256(expiry) + EMERGENCY_DELAY;
        if (block.timestamp <= opensAt) revert EmergencyNotOpen(seriesId, opensAt);
        if (settlementPrice == 0 || settlementPrice > type(uint96).max) revert InvalidSettlementPrice(settlementPrice);
        // Past the long-stop no proof is asked: anyone could have settled from the oracle for 30 days, and a
        // feed that cannot serve its history (only its latest round) must not lock the collateral forever.
        if (block.timestamp <= uint256(expiry) + EMERGENCY_LONGSTOP) {
            Pair storage p = _pairs[pairId];
            (bool exists, int256 answer, uint256 updatedAt) = SettlementOracle.lastRoundBefore(
                AggregatorV3Interface(p.oracle),
                roundHint,
                expiry
            );
            // The last round at or before expiry settles the series unless it is stale, or its price is not
            // positive or does not fit: exactly the checks `settle` applies to it.
            if (exists && expiry - updatedAt <= p.oracleMaxAge) {
                uint256 price = _quotePrice(answer, p);
                if (price != 0 && price <= type(uint96).max) revert SettlementRoundAvailable(seriesId, roundHint);
            }
        }
        _fixPrice(state, settlementPrice);
        emit EmergencySettled(seriesId, settlementPrice);
    }

    /// @inheritdoc IOptionLedger
    function exercise(uint256 seriesId, address holder, uint256 amount) external nonReentrant returns (uint256 payout) {
        if (amount == 0) revert ZeroAmount();
        (SeriesState storage state, Pair storage p, bool isCall, uint256 strike) = _settled(seriesId);
        _checkSettler(holder, balanceOf(holder, seriesId), amount);
        _burn(holder, seriesId, amount);
        (payout, ) = OptionMath.payoffs(isCall, strike, state.settlementPrice, amount, 10 ** p.underlyingDecimals);
        _payOut(state, seriesId, payout);
        emit Exercised(seriesId, holder, amount, payout);
        if (payout != 0) IERC20(isCall ? p.underlying : p.quote).safeTransfer(holder, payout);
    }

    /// @inheritdoc IOptionLedger
    function redeem(uint256 seriesId, address writer, uint256 amount) external nonReentrant returns (uint256 payout) {
        if (amount == 0) revert ZeroAmount();
        (SeriesState storage state, Pair storage p, bool isCall, uint256 strike) = _settled(seriesId);
        _checkSettler(writer, _shorts[writer][seriesId], amount);
        _burnShort(writer, seriesId, amount);
        (, payout) = OptionMath.payoffs(isCall, strike, state.settlementPrice, amount, 10 ** p.underlyingDecimals);
        _payOut(state, seriesId, payout);
        emit Redeemed(seriesId, writer, amount, payout);
        if (payout != 0) IERC20(isCall ? p.underlying : p.quote).safeTransfer(writer, payout);
    }

    /// @inheritdoc IOptionLedger
    function sweep(address token, address to) external onlyOwner nonReentrant returns (uint256 amount) {
        if (to == address(0)) revert ZeroAddress();
        if (_collateralAssets[token]) revert CollateralNotSweepable(token);
        amount = IERC20(token).balanceOf(address(this));
        if (amount == 0) revert NothingToSweep(token);
        emit Swept(token, to, amount);
        IERC20(token).safeTransfer(to, amount);
    }

    /// @notice Disabled: without an owner no pair could be registered and no series emergency-settled.
    function renounceOwnership() public pure override {
        revert RenounceDisabled();
    }

    /// @inheritdoc IOptionLedger
    function pair(uint32 pairId) external view returns (Pair memory) {
        return _pairs[pairId];
    }

    /// @inheritdoc IOptionLedger
    function pairIdOf(address underlying, address quote) external view returns (uint32) {
        return _pairIds[underlying][quote];
    }

    /// @inheritdoc IOptionLedger
    function series(uint256 seriesId) external view returns (SeriesInfo memory info) {
        SeriesState memory state = _series[seriesId];
        if (!state.exists) revert UnknownSeries(seriesId);
        (uint32 pairId, uint128 strike, uint40 expiry, bool isCall) = SeriesId.decode(seriesId);
        Pair storage p = _pairs[pairId];
        info = SeriesInfo({
            pairId: pairId,
            underlying: p.underlying,
            quote: p.quote,
            strike: strike,
            expiry: expiry,
            isCall: isCall,
            collateralAsset: isCall ? p.underlying : p.quote,
            state: state
        });
    }

    /// @inheritdoc IOptionLedger
    function isSeries(uint256 seriesId) external view returns (bool) {
        return _series[seriesId].exists;
    }

    /// @inheritdoc IOptionLedger
    function isWriteApproved(address writer, address operator) external view returns (bool) {
        return _writeOperators[writer][operator];
    }

    /// @inheritdoc IOptionLedger
    function shortBalanceOf(address writer, uint256 seriesId) external view returns (uint256) {
        return _shorts[writer][seriesId];
    }

    /// @inheritdoc IOptionLedger
    function collateralFor(uint256 seriesId, uint256 amount) external view returns (uint256) {
        _existing(seriesId);
        (uint32 pairId, uint128 strike, , bool isCall) = SeriesId.decode(seriesId);
        return OptionMath.collateral(isCall, strike, amount, 10 ** _pairs[pairId].underlyingDecimals);
    }

    /// @inheritdoc IOptionLedger
    function payoffAt(
        uint256 seriesId,
        uint256 amount,
        uint256 settlementPrice
    ) external view returns (uint256 longPayout, uint256 shortPayout) {
        _existing(seriesId);
        (uint32 pairId, uint128 strike, , bool isCall) = SeriesId.decode(seriesId);
        return OptionMath.payoffs(isCall, strike, settlementPrice, amount, 10 ** _pairs[pairId].underlyingDecimals);
    }

    function _existing(uint256 seriesId) private view returns (SeriesState storage state) {
        state = _series[seriesId];
        if (!state.exists) revert UnknownSeries(seriesId);
    }

    function _settled(
        uint256 seriesId
    ) private view returns (SeriesState storage state, Pair storage p, bool isCall, uint256 strike) {
        state = _existing(seriesId);
        if (!state.settled) revert SeriesNotSettled(seriesId);
        uint32 pairId;
        (pairId, strike, , isCall) = SeriesId.decode(seriesId);
        p = _pairs[pairId];
    }

    function _unsettled(uint256 seriesId) private view returns (SeriesState storage state) {
        state = _existing(seriesId);
        if (state.settled) revert SeriesAlreadySettled(seriesId);
    }

    /// @dev An oracle answer in quote-asset base units per whole underlying: zero when it is not positive, and
    /// type(uint256).max when it overflows (both out of the uint96 range callers accept). Rounds down.
    function _quotePrice(int256 answer, Pair storage p) private view returns (uint256) {
        if (answer <= 0) return 0;
        // Decimals are <= 18 by registration.
        (bool fits, uint256 scaled) = Math.tryMul(uint256(answer), 10 ** p.quoteDecimals);
        return fits ? scaled / 10 ** p.oracleDecimals : type(uint256).max;
    }

    function _fixPrice(SeriesState storage state, uint256 settlementPrice) private {
        state.settled = true;
        // Both callers bound the price to uint96.
        state.settlementPrice = uint96(settlementPrice);
    }

    function _checkAuthorized(address account) private view {
        if (account != msg.sender && !_writeOperators[account][msg.sender]) {
            revert NotAuthorized(msg.sender, account);
        }
    }

    /// @dev Third parties settle whole positions only, so a holder's own bookkeeping (a vault's, say) never
    /// sees part of its position paid out behind its back.
    function _checkSettler(address account, uint256 balance, uint256 amount) private view {
        if (
            account != msg.sender &&
            !_writeOperators[account][msg.sender] &&
            !isApprovedForAll(account, msg.sender) &&
            amount != balance
        ) {
            revert PartialThirdPartySettlement(account, balance, amount);
        }
    }

    function _burnShort(address writer, uint256 seriesId, uint256 amount) private {
        uint256 balance = _shorts[writer][seriesId];
        if (balance < amount) revert InsufficientShort(writer, seriesId, balance, amount);
        // balance >= amount was checked on the line above.
        unchecked {
            _shorts[writer][seriesId] = balance - amount;
        }
    }

    /// @dev The last line of defence for solvency: every payout comes out of the series' own collateral.
    function _payOut(SeriesState storage state, uint256 seriesId, uint256 amount) private {
        uint128 held = state.collateral;
        if (amount > held) revert CollateralShortfall(seriesId, held, amount);
        // amount <= held was checked on the line above, so the difference fits in uint128.
        unchecked {
            state.collateral = uint128(held - amount);
        }
    }

    function _checkedDecimals(address token, uint8 decimals) private pure returns (uint8) {
        if (decimals > 18) revert UnsupportedDecimals(token, decimals);
        return decimals;
    }
}
