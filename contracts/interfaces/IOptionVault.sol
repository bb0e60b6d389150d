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
    /// error they would revert with (liquidity, exposure, delta or expiry bounds). The price is still valid
    /// as a reference.
    struct Quote {
        uint256 premium;
        uint256 fee;
        uint256 modelValue;
        uint256 spot;
        uint256 vol;
        int256 delta;
        bytes4 refusal;
    }

    /// @notice Pricing and staleness parameters, one storage word. Rates and spreads are in ppm (1e-6).
    /// @param rate Risk-free rate, ppm per year.
    /// @param baseSpread Spread at zero utilisation and size, ppm of model value.
    /// @param utilSpread Added spread per unit of utilisation (locked / capital), ppm.
    /// @param sizeSpread Added spread per unit of trade size (trade collateral / capital), ppm.
    /// @param oracleMaxAge Oldest oracle round the vault trades on, seconds.
    /// @param volMaxAge Oldest vol slice the vault trades on, seconds.
    /// @param maxTimeToExpiry Longest time to expiry the vault trades, seconds.
    /// @param seriesCap Largest exposure to one series, ppm of capital.
    struct Params {
        uint32 rate;
        uint32 baseSpread;
        uint32 utilSpread;
        uint32 sizeSpread;
        uint32 oracleMaxAge;
        uint32 volMaxAge;
        uint32 maxTimeToExpiry;
        uint32 seriesCap;
    }

    /// @notice Bounds on |delta| per option for trades, ppm.
    struct DeltaBounds {
        uint32 minAbsDelta;
        uint32 maxAbsDelta;
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
    /// @notice Emitted when the admin sets pricing parameters.
    event ParamsSet(Params params);
    /// @notice Emitted when the admin sets delta bounds.
    event DeltaBoundsSet(DeltaBounds bounds);
    /// @notice Emitted when an expired, settled position is collected back into free assets.
    event Collected(uint256 indexed seriesId, int256 position, uint256 proceeds);

    /// @notice The series is not of this vault's pair and type.
    error UnsupportedSeries(uint256 seriesId);
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

    /// @notice Sets one expiry's vol slice. Keeper only.
    function setVolSlice(uint40 expiry, uint64 atmVol, int64 skew, uint64 curvature) external;

    /// @notice Sets pricing and staleness parameters. Admin only.
    function setParams(Params calldata params) external;

    /// @notice Sets the delta bounds. Admin only.
    function setDeltaBounds(DeltaBounds calldata bounds) external;

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

    /// @notice Delta bounds.
    function deltaBounds() external view returns (DeltaBounds memory);
}
