// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";

/// @title IOptionVault
/// @notice An ERC-4626 AMM that writes and buys back European options of one pair and one type against its
/// LPs' assets: the call vault holds the underlying, the put vault the quote asset. Prices are Black-Scholes
/// on the oracle spot and a keeper-set vol surface, with a spread that widens with utilisation and size.
/// Premiums are paid in the vault's asset.
interface IOptionVault is IERC4626 {
    /// @notice A price for `amount` options, as `buy` or `sell` would charge it now.
    /// @param premium Total premium in the vault asset: ask rounded up, bid rounded down.
    /// @param fee The spread inside `premium`: |premium - modelValue|.
    /// @param modelValue Black-Scholes value of `amount` options in the vault asset.
    /// @param spot Oracle spot, WAD quote per underlying.
    /// @param vol Implied vol used, WAD.
    /// @param delta Delta per option, WAD, negative for puts.
    /// @param refusal Zero if `buy`/`sell` would accept this trade; otherwise the selector of the custom
    /// error they would revert with (liquidity, exposure, delta or expiry bounds, minimum premium or position
    /// size, open-series slots). The price is still valid as a reference.
    struct Quote {
        uint256 premium;
        uint256 fee;
        uint256 modelValue;
        uint256 spot;
        uint256 vol;
        int256 delta;
        bytes4 refusal;
    }

    /// @notice Pricing and staleness parameters, one storage word read by every quote. Rates and spreads are
    /// in ppm (1e-6).
    /// @param rate Risk-free rate, ppm per year.
    /// @param baseSpread Spread at zero utilisation and size, ppm of model value.
    /// @param utilSpread Added spread per unit of utilisation (locked / capital), ppm of model value. Asks use
    /// the average of utilisation before and after the trade, bids the utilisation before it.
    /// @param sizeSpread Added spread per unit of the vault's exposure to the series (short collateral for asks,
    /// long notional for bids, over capital), averaged over the trade, ppm of model value. Averaging is the
    /// integral of a linear marginal spread, so splitting a trade into pieces does not lower its price.
    /// @param deltaSpread Added per option: |delta| x spot x deltaSpread, ppm. Covers a step of the oracle: a
    /// round trip around an update of x% pays 2 x deltaSpread, so set it to half the feed's deviation threshold.
    /// @param vegaSpread Added per option: vega x vegaSpread (in vol, ppm). Covers a step of the keeper's vol.
    /// @param oracleMaxAge Oldest oracle round the vault trades or marks NAV on, seconds.
    /// @param volMaxAge Oldest vol slice the vault trades or marks NAV on, seconds.
    struct Params {
        uint32 rate;
        uint32 baseSpread;
        uint32 utilSpread;
        uint32 sizeSpread;
        uint32 deltaSpread;
        uint32 vegaSpread;
        uint32 oracleMaxAge;
        uint32 volMaxAge;
    }

    /// @notice Capacity limits, one storage word read only by the full `quote` and by trades (never by
    /// `referencePremium`). Ppm fields are uint24 (they never exceed 1e6) so that `minPosition` fits the word.
    /// @param maxTimeToExpiry Longest time to expiry of a series the vault adds risk in, seconds.
    /// @param minTimeToExpiry Shortest time to expiry of a series the vault adds risk in, seconds.
    /// @param seriesCap Largest exposure to one series, ppm of capital.
    /// @param minAbsDelta Smallest |delta| per option of a trade that adds risk, ppm.
    /// @param maxAbsDelta Largest |delta| per option of a trade that adds risk, ppm.
    /// @param lpLockup Seconds for which shares newly minted to a receiver stay locked (not withdrawable or
    /// transferable); at most 30 days.
    /// @param minPremium Smallest premium of a trade, in the vault asset's base units. Keeps dust trades (which
    /// would cheaply fill the open-series slots) out, and makes every trade worth its gas to LPs.
    /// @param minPosition Smallest non-zero position the vault keeps in a series, in millionths of one option
    /// (ppm of a whole underlying; 100_000 = 0.1 option, at most ~4,295 options). A trade may not leave the
    /// vault's position at 0 < |position| < minPosition: dust cannot occupy an open-series slot, and a
    /// risk-reducing trade can always close the position or leave at least the minimum. Zero disables it.
    struct Limits {
        uint32 maxTimeToExpiry;
        uint32 minTimeToExpiry;
        uint24 seriesCap;
        uint24 minAbsDelta;
        uint24 maxAbsDelta;
        uint24 lpLockup;
        uint64 minPremium;
        uint32 minPosition;
    }

    /// @notice Vol smile of one expiry: vol(k) = atmVol + skew k + curvature k^2, k = ln(strike / forward).
    struct VolSlice {
        uint64 atmVol;
        int64 skew;
        uint64 curvature;
        uint40 updatedAt;
    }

    /// @notice The vault's position in one series: positive long, negative short, and the collateral it
    /// has locked in the ledger for the short.
    struct Position {
        int128 amount;
        uint128 collateral;
    }

    /// @notice Emitted when a trader buys options from the vault.
    event Bought(
        uint256 indexed seriesId,
        address indexed buyer,
        address indexed recipient,
        uint256 amount,
        uint256 premium,
        uint256 fee
    );
    /// @notice Emitted when a trader sells options to the vault.
    event Sold(
        uint256 indexed seriesId,
        address indexed seller,
        address indexed recipient,
        uint256 amount,
        uint256 premium,
        uint256 fee
    );
    /// @notice Emitted when the keeper sets an expiry's vol slice.
    event VolSliceSet(uint40 indexed expiry, uint64 atmVol, int64 skew, uint64 curvature);
    /// @notice Emitted when the owner adds or removes a keeper.
    event KeeperSet(address indexed keeper, bool allowed);
    /// @notice Emitted when the admin sets pricing parameters.
    event ParamsSet(Params params);
    /// @notice Emitted when the admin sets capacity limits.
    event LimitsSet(Limits limits);
    /// @notice Emitted when an expired, settled position is collected back into free assets.
    event Collected(uint256 indexed seriesId, int256 position, uint256 proceeds);
    /// @notice Emitted when the owner sweeps tokens the vault's books do not account for.
    event Swept(address indexed token, address indexed to, uint256 amount);

    /// @notice The caller may not set vols.
    error NotKeeper(address caller);
    /// @notice The series is not of this vault's pair and type.
    error UnsupportedSeries(uint256 seriesId);
    /// @notice No series with this id exists in the ledger.
    error UnknownSeries(uint256 seriesId);
    /// @notice The trade's premium is below the vault's minimum.
    error PremiumTooSmall(uint256 premium, uint256 minPremium);
    /// @notice The series is too close to expiry for the vault to add risk.
    error ExpiryTooClose(uint256 expiry, uint256 minExpiry);
    /// @notice A position has expired and must be settled and collected before LPs enter or leave (or before
    /// the owner sweeps the asset: a keeper may already have paid its proceeds to the vault).
    error PendingExpiry(uint256 seriesId);
    /// @notice The move would take the owner's balance below its shares still locked after a deposit.
    error SharesLocked(address owner, uint256 lockedShares, uint256 until);
    /// @notice The recipient of a trade is the vault itself, whose books would then not match its balances.
    error InvalidRecipient(address recipient);
    /// @notice The trade would leave the vault a position below the minimum: 0 < |positionAfter| < minPosition
    /// (both in underlying base units; negative for a short).
    error PositionBelowMinimum(uint256 seriesId, int256 positionAfter, uint256 minPosition);
    /// @notice Ownership cannot be renounced: the owner is the only one who can fix limits or rotate keepers.
    error RenounceDisabled();
    /// @notice The vault holds none of this token beyond what its books account for.
    error NothingToSweep(address token);
    /// @notice The amount is zero.
    error ZeroAmount();
    /// @notice An address argument was zero.
    error ZeroAddress();
    /// @notice The deadline has passed.
    error DeadlinePassed(uint256 deadline);
    /// @notice The series has expired.
    error SeriesExpired(uint256 seriesId);
    /// @notice The series has not expired, or is not settled in the ledger yet.
    error SeriesNotCollectable(uint256 seriesId);
    /// @notice The series expires later than the vault's maximum time to expiry.
    error ExpiryTooFar(uint256 expiry, uint256 maxExpiry);
    /// @notice The oracle round is older than the staleness bound.
    error StaleOracle(uint256 updatedAt);
    /// @notice The oracle answer is not positive.
    error InvalidOraclePrice(int256 answer);
    /// @notice No vol slice was ever set for this expiry.
    error VolNotSet(uint40 expiry);
    /// @notice The vol slice is older than the staleness bound.
    error StaleVol(uint40 expiry, uint256 updatedAt);
    /// @notice |delta| per option is outside the vault's bounds.
    error DeltaOutOfBounds(int256 delta);
    /// @notice The trade would take the vault's exposure to one series past its cap.
    error ExposureCapExceeded(uint256 seriesId, uint256 exposure, uint256 cap);
    /// @notice The vault's free assets cannot cover the trade.
    error InsufficientLiquidity(uint256 needed, uint256 available);
    /// @notice The vault would hold positions in more series than it can mark.
    error TooManyOpenSeries(uint256 max);
    /// @notice The ask is above the buyer's limit.
    error PremiumAboveLimit(uint256 premium, uint256 limit);
    /// @notice The bid is below the seller's limit.
    error PremiumBelowLimit(uint256 premium, uint256 limit);
    /// @notice A parameter is out of its allowed range.
    error InvalidParams();

    /// @notice Prices `amount` options of a series. `isBuy` is the trader's side: true to buy from the vault.
    /// @dev Reverts when no price exists (unsupported or expired series, stale oracle or vol); capacity
    /// limits are reported in `refusal` instead.
    function quote(uint256 seriesId, uint256 amount, bool isBuy) external view returns (Quote memory);

    /// @notice The premium `buy` (isBuy) or `sell` would charge for `amount` options now, ignoring capacity
    /// limits; reverts where `quote` does. The cheap path the settlement uses for its best-execution check.
    function referencePremium(uint256 seriesId, uint256 amount, bool isBuy) external view returns (uint256);

    /// @notice Buys `amount` options for at most `maxPremium`, delivered to `recipient`. The premium is pulled
    /// from the caller.
    function buy(
        uint256 seriesId,
        uint256 amount,
        uint256 maxPremium,
        uint256 deadline,
        address recipient
    ) external returns (uint256 premium);

    /// @notice Sells `amount` options (pulled from the caller, who must have approved the vault in the ledger)
    /// for at least `minPremium`, paid to `recipient`.
    function sell(
        uint256 seriesId,
        uint256 amount,
        uint256 minPremium,
        uint256 deadline,
        address recipient
    ) external returns (uint256 premium);

    /// @notice Settles the vault's position in an expired series that the ledger has settled: redeems its
    /// shorts or exercises its longs, and returns the proceeds to free assets. Anyone may call it.
    function collect(uint256 seriesId) external returns (uint256 proceeds);

    /// @notice Adds or removes a keeper, which sets vols. Owner only.
    function setKeeper(address keeper, bool allowed) external;

    /// @notice Sets one expiry's vol slice. Keeper only.
    function setVolSlice(uint40 expiry, uint64 atmVol, int64 skew, uint64 curvature) external;

    /// @notice Sets pricing and staleness parameters. Owner only.
    function setParams(Params calldata params) external;

    /// @notice Sets the capacity limits. Owner only.
    function setLimits(Limits calldata limits) external;

    /// @notice Sends `to` the vault's balance of `token` that its books do not account for: all of any token
    /// but the asset, and of the asset only what exceeds free assets (donations). Refuses the asset while an
    /// expired position waits for `collect`, since a keeper may already have paid its proceeds here. Owner only.
    /// @return amount The amount sent.
    function sweep(address token, address to) external returns (uint256 amount);

    /// @notice The option ledger the vault trades in.
    function ledger() external view returns (address);

    /// @notice The pair the vault trades.
    function pairId() external view returns (uint32);

    /// @notice True for the call vault, false for the put vault.
    function isCall() external view returns (bool);

    /// @notice Assets not locked as collateral: what LPs can withdraw and what the vault pays premiums from.
    function freeAssets() external view returns (uint256);

    /// @notice Assets locked as collateral in the ledger.
    function lockedAssets() external view returns (uint256);

    /// @notice locked / (free + locked), WAD.
    function utilisation() external view returns (uint256);

    /// @notice Series the vault has a position in.
    function openSeries() external view returns (uint256[] memory);

    /// @notice The vault's position in a series.
    function position(uint256 seriesId) external view returns (Position memory);

    /// @notice An expiry's vol slice.
    function volSlice(uint40 expiry) external view returns (VolSlice memory);

    /// @notice Pricing and staleness parameters.
    function params() external view returns (Params memory);

    /// @notice Capacity limits.
    function limits() external view returns (Limits memory);

    /// @notice True when `keeper` may set vols.
    function isKeeper(address keeper) external view returns (bool);

    /// @notice When `owner`'s locked shares unlock. Shares minted to an owner are locked for `lpLockup`; shares
    /// minted while a lock runs join it at the share-weighted average unlock time (rounded up, never earlier
    /// than the running lock), so a dust deposit for someone else moves their unlock time by at most a second.
    function lockedUntil(address owner) external view returns (uint256);

    /// @notice Shares of `owner` still locked now (zero once `lockedUntil` has passed); the rest move freely.
    function lockedShares(address owner) external view returns (uint256);
}
