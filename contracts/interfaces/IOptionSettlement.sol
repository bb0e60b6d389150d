// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IOptionSettlement
/// @notice Settles wallet-signed option intents: from the solver's own inventory (internal), through a
/// registered AMM vault, or split between the two, all-or-nothing. For the internal part the contract reads
/// the vault's quote for the same amount in the same transaction and reverts unless the user's price is at
/// least as good as the AMM's.
/// @dev The solver's inventory is the solver's own account. The contract moves a solver's tokens only in a
/// transaction that solver sends (`msg.sender`), and a user's tokens only as the user's signed intent says.
interface IOptionSettlement {
    /// @notice What the user does. Buy: pays premium, receives longs. SellToClose: delivers longs it holds,
    /// receives premium. SellToOpen: writes options with its own collateral (keeping the short), delivers the
    /// longs, receives premium.
    enum Side {
        Buy,
        SellToClose,
        SellToOpen
    }

    /// @notice The EIP-712 message a user signs.
    /// @param user Signer, payer and owner of the position.
    /// @param seriesId Ledger series id.
    /// @param side See {Side}.
    /// @param amount Options, in underlying base units.
    /// @param limitPremium Most the user pays in total (buy) or least it receives (sells), in the series'
    /// collateral asset.
    /// @param deadline Last second the intent can be filled.
    /// @param nonce Permit2-style unordered nonce: word = nonce >> 8, bit = nonce & 255.
    /// @param recipient Receives the longs (buy) or the premium (sells).
    /// @param exclusiveSolver When non-zero, the only solver that may fill.
    /// @param quoteId The solver's off-chain quote this intent accepts, for the audit trail.
    struct Intent {
        address user;
        uint256 seriesId;
        Side side;
        uint256 amount;
        uint256 limitPremium;
        uint256 deadline;
        uint256 nonce;
        address recipient;
        address exclusiveSolver;
        bytes32 quoteId;
    }

    /// @notice How the solver fills an intent.
    /// @param internalAmount Options the solver takes itself; the rest goes to the AMM vault.
    /// @param internalPremium Premium of the internal part: paid by the user on buys, by the solver on sells.
    /// @param mintAmount Buys only: of the internal part, how many the solver writes with its own collateral;
    /// the rest comes from longs it holds.
    /// @param ammPremium The AMM leg's bound: on buys the most it may cost (pulled from the user, any unused
    /// part refunded), on sells the least it must pay.
    struct FillParams {
        uint256 internalAmount;
        uint256 internalPremium;
        uint256 mintAmount;
        uint256 ammPremium;
    }

    /// @notice One signed intent and how to fill it.
    struct Order {
        Intent intent;
        bytes signature;
        FillParams params;
    }

    /// @notice Admin settings in one storage word.
    struct Config {
        bool paused;
        uint16 feeBps;
        address feeRecipient;
    }

    /// @notice Emitted for every fill.
    /// @param premium Total premium of the fill (internal + AMM).
    /// @param internalPremium Premium of the internal part.
    /// @param ammReferencePremium The vault's price for the internal part at fill time; the user's price
    /// improvement is its difference from `internalPremium`.
    event Filled(
        bytes32 indexed orderHash,
        address indexed user,
        address indexed solver,
        uint256 seriesId,
        Side side,
        uint256 internalAmount,
        uint256 ammAmount,
        uint256 premium,
        uint256 internalPremium,
        uint256 ammReferencePremium
    );
    /// @notice Emitted when a batch skips an order; `reason` is the revert data of its fill (at most 256 bytes).
    event FillSkipped(bytes32 indexed orderHash, address indexed user, bytes reason);
    /// @notice Emitted when a user cancels nonces.
    event NoncesInvalidated(address indexed user, uint256 indexed wordPos, uint256 mask);
    /// @notice Emitted when the owner adds or removes a solver.
    event SolverSet(address indexed solver, bool allowed);
    /// @notice Emitted when the owner registers the vault of a pair and option type.
    event VaultSet(uint32 indexed pairId, bool indexed isCall, address vault);
    /// @notice Emitted when the owner sets the fee.
    event FeeSet(uint16 feeBps, address feeRecipient);
    /// @notice Emitted when the owner pauses or unpauses fills.
    event PausedSet(bool paused);
    /// @notice Emitted when the owner sweeps tokens sent to the contract.
    event Swept(address indexed token, address indexed to, uint256 amount);

    /// @notice Fills are paused.
    error Paused();
    /// @notice The caller is not an allowlisted solver.
    error SolverNotAllowed(address caller);
    /// @notice The intent's amount is zero.
    error ZeroAmount();
    /// @notice The intent's deadline has passed.
    error IntentExpired(uint256 deadline);
    /// @notice The intent names another exclusive solver.
    error WrongSolver(address exclusiveSolver, address caller);
    /// @notice The intent's recipient is the zero address, this contract or the vault.
    error InvalidRecipient();
    /// @notice The signature is not the user's (or is malleable, or the wallet refused it).
    error InvalidSignature();
    /// @notice The nonce was already used or cancelled.
    error NonceAlreadyUsed(address user, uint256 nonce);
    /// @notice The fill parameters do not fit the intent.
    error InvalidFillParams();
    /// @notice A buy would cost more than the user's limit.
    error LimitExceeded(uint256 premium, uint256 limit);
    /// @notice A sell would pay less than the user's limit.
    error LimitNotMet(uint256 premium, uint256 limit);
    /// @notice The internal price is worse for the user than the AMM's price for the same amount.
    error WorseThanAmm(uint256 internalPremium, uint256 ammReferencePremium);
    /// @notice No vault is registered for this pair and option type.
    error VaultNotRegistered(uint32 pairId, bool isCall);
    /// @notice The vault does not trade the pair and type it is registered for, or not in this ledger.
    error InvalidVault(address vault);
    /// @notice The fee is above MAX_FEE_BPS.
    error FeeTooHigh(uint16 feeBps);
    /// @notice An address argument was zero.
    error ZeroAddress();
    /// @notice Only the contract itself may call this.
    error OnlySelf();
    /// @notice The contract holds none of this token.
    error NothingToSweep(address token);
    /// @notice Ownership cannot be renounced: the owner is the only one who can pause fills or change solvers.
    error RenounceDisabled();

    /// @notice Fills one order. Callable by an allowlisted solver, which is the internal counterparty.
    /// @return premium Total premium.
    function fill(
        Intent calldata intent,
        bytes calldata signature,
        FillParams calldata params
    ) external returns (uint256 premium);

    /// @notice Fills several orders. An order that fails (or uses more than BATCH_ORDER_GAS) is skipped with
    /// a `FillSkipped` event and the rest still fill; each order is all-or-nothing on its own.
    /// @return filled Number of orders filled.
    function fillBatch(Order[] calldata orders) external returns (uint256 filled);

    /// @notice Cancels the caller's nonces whose bits are set in `mask`, in word `wordPos`.
    function invalidateNonces(uint256 wordPos, uint256 mask) external;

    /// @notice The EIP-712 digest of an intent: its order hash.
    function hashIntent(Intent calldata intent) external view returns (bytes32);

    /// @notice The nonce bitmap word of a user.
    function nonceBitmap(address user, uint256 wordPos) external view returns (uint256);

    /// @notice True when a nonce is used or cancelled.
    function isNonceUsed(address user, uint256 nonce) external view returns (bool);

    /// @notice The EIP-712 domain separator for this chain and contract.
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32);

    /// @notice The option ledger.
    function ledger() external view returns (address);

    /// @notice True when `solver` may fill.
    function isSolver(address solver) external view returns (bool);

    /// @notice The vault registered for a pair and option type, or zero.
    function vaultFor(uint32 pairId, bool isCall) external view returns (address);

    /// @notice Admin settings.
    function config() external view returns (Config memory);

    /// @notice Adds or removes a solver. Owner only.
    function setSolver(address solver, bool allowed) external;

    /// @notice Registers the vault for a pair and option type. Owner only.
    function setVault(uint32 pairId, bool isCall, address vault) external;

    /// @notice Sets the fee on internal premiums, paid by the solver. Owner only.
    function setFee(uint16 feeBps, address feeRecipient) external;

    /// @notice Pauses or unpauses fills. Owner only.
    function setPaused(bool paused) external;

    /// @notice Sends `to` the contract's whole balance of `token`. The contract holds no tokens between
    /// transactions, so any balance was sent to it by mistake. Owner only; not callable during a fill.
    /// @return amount The amount sent.
    function sweep(address token, address to) external returns (uint256 amount);
}
