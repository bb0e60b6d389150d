// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";

/// @title IOptionLedger
/// @notice Fully collateralised, cash-settled European options. Longs are ERC-1155 tokens whose id is the
/// series id; shorts are recorded per writer and are not transferable. Calls are collateralised with one
/// underlying per option, puts with strike x amount of the quote asset. At expiry a Chainlink round fixes the
/// settlement price once; holders exercise for the payoff and writers redeem the rest.
interface IOptionLedger is IERC1155 {
    /// @notice An underlying/quote pair and the feed that prices the underlying in the quote asset.
    struct Pair {
        address underlying;
        address quote;
        address oracle;
        uint32 oracleMaxAge;
        uint8 underlyingDecimals;
        uint8 quoteDecimals;
        uint8 oracleDecimals;
    }

    /// @notice Per-series state, one storage word.
    /// @param exists Set by `createSeries`.
    /// @param settled Set once by `settle`.
    /// @param settlementPrice Quote-asset base units per whole underlying, fixed at settlement.
    /// @param collateral Collateral the ledger holds for this series, in the collateral asset.
    struct SeriesState {
        bool exists;
        bool settled;
        uint96 settlementPrice;
        uint128 collateral;
    }

    /// @notice Decoded series terms plus state.
    struct SeriesInfo {
        uint32 pairId;
        address underlying;
        address quote;
        uint128 strike;
        uint40 expiry;
        bool isCall;
        address collateralAsset;
        SeriesState state;
    }

    /// @notice Emitted when the owner registers a pair.
    event PairRegistered(
        uint32 indexed pairId,
        address indexed underlying,
        address indexed quote,
        address oracle,
        uint32 oracleMaxAge
    );
    /// @notice Emitted when a series is created.
    event SeriesCreated(uint256 indexed seriesId, uint32 indexed pairId, uint128 strike, uint40 expiry, bool isCall);
    /// @notice Emitted when options are written: collateral in, a short for `writer`, longs to `recipient`.
    event Written(
        uint256 indexed seriesId,
        address indexed writer,
        address indexed recipient,
        uint256 amount,
        uint256 collateral
    );
    /// @notice Emitted when an account burns longs and shorts together for their collateral.
    event Closed(uint256 indexed seriesId, address indexed account, address to, uint256 amount, uint256 collateral);
    /// @notice Emitted when a series' settlement price is fixed.
    event Settled(uint256 indexed seriesId, uint80 roundId, uint256 settlementPrice, uint256 roundUpdatedAt);
    /// @notice Emitted when longs are exercised after settlement.
    event Exercised(uint256 indexed seriesId, address indexed holder, uint256 amount, uint256 payout);
    /// @notice Emitted when shorts are redeemed after settlement.
    event Redeemed(uint256 indexed seriesId, address indexed writer, uint256 amount, uint256 payout);
    /// @notice Emitted when a writer lets (or stops letting) an operator write and close with its collateral.
    event WriteApprovalSet(address indexed writer, address indexed operator, bool approved);
    /// @notice Emitted when the owner fixes the price of a series the oracle could not settle.
    event EmergencySettled(uint256 indexed seriesId, uint256 settlementPrice);
    /// @notice Emitted when the owner sweeps a token that is no registered pair's asset.
    event Swept(address indexed token, address indexed to, uint256 amount);

    /// @notice An address argument was zero.
    error ZeroAddress();
    /// @notice Underlying and quote are the same token.
    error SameAsset(address token);
    /// @notice The pair is already registered.
    error PairAlreadyRegistered(address underlying, address quote);
    /// @notice No pair is registered for these tokens, so there is no oracle to settle against.
    error PairNotConfigured(address underlying, address quote);
    /// @notice A token or feed reports more than 18 decimals, or a feed reports none.
    error UnsupportedDecimals(address token, uint8 decimals);
    /// @notice The oracle staleness bound is zero.
    error InvalidOracleMaxAge();
    /// @notice The expiry is not in the future.
    error ExpiryNotInFuture(uint40 expiry);
    /// @notice The strike is zero.
    error ZeroStrike();
    /// @notice The series already exists.
    error SeriesAlreadyExists(uint256 seriesId);
    /// @notice No series has this id.
    error UnknownSeries(uint256 seriesId);
    /// @notice The amount is zero.
    error ZeroAmount();
    /// @notice The caller is neither `account` nor a write operator it approved.
    error NotAuthorized(address caller, address account);
    /// @notice Someone other than the account (or its operator) may settle only the account's whole position.
    error PartialThirdPartySettlement(address account, uint256 balance, uint256 amount);
    /// @notice The emergency path opens only `EMERGENCY_DELAY` after expiry, for a series still unsettled.
    error EmergencyNotOpen(uint256 seriesId, uint256 opensAt);
    /// @notice An emergency price must be positive and fit in uint96.
    error InvalidSettlementPrice(uint256 price);
    /// @notice The emergency path is closed: `roundId`, the last feed round at or before expiry, can settle the
    /// series with `settle`.
    error SettlementRoundAvailable(uint256 seriesId, uint80 roundId);
    /// @notice The token is a registered pair's asset: the ledger accounts for it per series, not per token, so
    /// none of its balance can be told apart from collateral.
    error CollateralNotSweepable(address token);
    /// @notice The ledger holds none of this token.
    error NothingToSweep(address token);
    /// @notice Ownership cannot be renounced: the owner registers pairs and is the emergency settlement path.
    error RenounceDisabled();
    /// @notice The series has expired, so it can no longer be written.
    error SeriesExpired(uint256 seriesId);
    /// @notice The series has not expired yet.
    error SeriesNotExpired(uint256 seriesId);
    /// @notice The settlement price is already fixed.
    error SeriesAlreadySettled(uint256 seriesId);
    /// @notice The settlement price is not fixed yet.
    error SeriesNotSettled(uint256 seriesId);
    /// @notice The account's short position is smaller than the amount.
    error InsufficientShort(address account, uint256 seriesId, uint256 balance, uint256 needed);
    /// @notice The feed has no such round (and, for the emergency path, still reports a latest round).
    error RoundNotFound(uint80 roundId);
    /// @notice The round was published after expiry and must not settle the series (nor, unless it is the feed's
    /// first round, prove the emergency path open).
    error RoundAfterExpiry(uint80 roundId, uint256 updatedAt);
    /// @notice The round is older than the pair's staleness bound at expiry.
    error StaleSettlementRound(uint80 roundId, uint256 updatedAt, uint256 expiry);
    /// @notice A later round also precedes expiry; settle with that one.
    error NotLastRoundBeforeExpiry(uint80 roundId, uint80 laterRoundId);
    /// @notice The round's answer is not a positive price representable in quote units.
    error InvalidOracleAnswer(uint80 roundId, int256 answer);
    /// @notice Writing would take the series' collateral past uint128.
    error SeriesCollateralOverflow(uint256 seriesId);
    /// @notice A payout would exceed the collateral held for the series. Unreachable by construction.
    error CollateralShortfall(uint256 seriesId, uint256 held, uint256 owed);

    /// @notice Registers an underlying/quote pair with its price feed. Owner only.
    /// @param oracleMaxAge Maximum age at expiry of the settling round, in seconds.
    function registerPair(
        address underlying,
        address quote,
        address oracle,
        uint32 oracleMaxAge
    ) external returns (uint32 pairId);

    /// @notice Creates a series. Anyone may call it; the terms are validated.
    /// @param strike Quote-asset base units per whole underlying.
    function createSeries(
        address underlying,
        address quote,
        uint128 strike,
        uint40 expiry,
        bool isCall
    ) external returns (uint256 seriesId);

    /// @notice Lets `operator` write options with the caller's collateral and close the caller's positions
    /// (or stops it). Separate from ERC-1155 `setApprovalForAll`, which only moves longs: an operator that may
    /// write could otherwise turn a writer's collateral allowance into longs for itself.
    function setWriteApproval(address operator, bool approved) external;

    /// @notice Writes `amount` options: pulls collateral from `writer`, records a short for `writer` and
    /// mints longs to `recipient`. The caller must be `writer` or a write operator `writer` approved.
    /// @return collateral Collateral pulled, rounded up.
    function mint(
        uint256 seriesId,
        uint256 amount,
        address writer,
        address recipient
    ) external returns (uint256 collateral);

    /// @notice Burns `amount` longs and shorts of `account` and sends their collateral to `to`, at any time
    /// before settlement. The caller must be `account` or a write operator `account` approved.
    /// @return collateral Collateral released, rounded down.
    function close(uint256 seriesId, uint256 amount, address account, address to) external returns (uint256 collateral);

    /// @notice Fixes the settlement price from `roundId`: the last feed round published at or before expiry.
    /// Anyone may call it once the series has expired.
    function settle(uint256 seriesId, uint80 roundId) external returns (uint256 settlementPrice);

    /// @notice Fixes the settlement price by hand, for a series that is still unsettled `EMERGENCY_DELAY`
    /// after expiry because no oracle round can settle it. Owner only; the last resort that keeps collateral
    /// from being locked forever. The owner proves that no round can settle with `roundHint`, one of:
    /// the last round at or before expiry (same successor and phase rules as `settle`), which must be stale at
    /// expiry or have a price that is not positive or does not fit uint96; the feed's first round, published
    /// after expiry (no round precedes expiry); or any id the feed has no round for, when its `latestRoundData` reverts
    /// too (the feed is down). A hint naming a round that can settle reverts with
    /// `SettlementRoundAvailable`; other hints revert with the error `settle` would give for them. From
    /// `EMERGENCY_LONGSTOP` (30 days) after expiry on, no proof is needed: anyone could settle from the oracle
    /// until then, and a feed that serves only its latest round must not lock collateral forever.
    function emergencySettle(uint256 seriesId, uint256 settlementPrice, uint80 roundHint) external;

    /// @notice Sends `to` the ledger's whole balance of `token`, which must not be a registered pair's
    /// underlying or quote asset (those are collateral, accounted per series; donations of them stay here).
    /// Owner only.
    /// @return amount The amount sent.
    function sweep(address token, address to) external returns (uint256 amount);

    /// @notice Burns `amount` of `holder`'s longs and pays their payoff to `holder`. After settlement the holder
    /// or its operator may exercise any amount, and anyone else the holder's whole balance (the payout always
    /// goes to the holder), so keepers can settle everyone without splitting positions.
    /// @return payout Payout in the collateral asset, rounded down.
    function exercise(uint256 seriesId, address holder, uint256 amount) external returns (uint256 payout);

    /// @notice Burns `amount` of `writer`'s shorts and pays the collateral left after the holders' payoff to
    /// `writer`. Same authorisation as `exercise`: anyone may redeem a writer's whole short.
    /// @return payout Payout in the collateral asset, rounded down.
    function redeem(uint256 seriesId, address writer, uint256 amount) external returns (uint256 payout);

    /// @notice Pair by id.
    function pair(uint32 pairId) external view returns (Pair memory);

    /// @notice Pair id for a token pair, or zero.
    function pairIdOf(address underlying, address quote) external view returns (uint32);

    /// @notice Terms and state of a series.
    function series(uint256 seriesId) external view returns (SeriesInfo memory);

    /// @notice True when a series with this id was created.
    function isSeries(uint256 seriesId) external view returns (bool);

    /// @notice True when `operator` may write and close with `writer`'s collateral.
    function isWriteApproved(address writer, address operator) external view returns (bool);

    /// @notice Short position of `writer` in a series.
    function shortBalanceOf(address writer, uint256 seriesId) external view returns (uint256);

    /// @notice Collateral needed to write `amount` options, rounded up.
    function collateralFor(uint256 seriesId, uint256 amount) external view returns (uint256);

    /// @notice Payouts per `amount` at a given settlement price: to holders (long) and writers (short).
    function payoffAt(
        uint256 seriesId,
        uint256 amount,
        uint256 settlementPrice
    ) external view returns (uint256 longPayout, uint256 shortPayout);
}
