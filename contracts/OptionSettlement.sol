// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IOptionLedger} from "./interfaces/IOptionLedger.sol";
import {IOptionSettlement} from "./interfaces/IOptionSettlement.sol";
import {IOptionVault} from "./interfaces/IOptionVault.sol";
import {IntentHash} from "./libraries/IntentHash.sol";
import {NonceBitmap} from "./libraries/NonceBitmap.sol";
import {SeriesId} from "./libraries/SeriesId.sol";
import {SignatureVerifier} from "./libraries/SignatureVerifier.sol";
import {LedgerReceiver} from "./utils/LedgerReceiver.sol";
import {TransientReentrancyGuard} from "./utils/TransientReentrancyGuard.sol";

/// @title OptionSettlement
/// @notice Settles wallet-signed option intents internally, through a registered AMM vault, or split, with
/// an on-chain best-execution check against the vault. See {IOptionSettlement}.
/// @dev Holds no tokens between transactions: premiums and options pass straight between user, solver and
/// vault; the only transit balances are the AMM legs' inside a fill, which end at zero. There is no
/// arbitrary call path: the contract calls only the ledger, the tokens of registered vaults, and the vaults.
contract OptionSettlement is IOptionSettlement, LedgerReceiver, EIP712, Ownable2Step, TransientReentrancyGuard {
    using NonceBitmap for mapping(address => mapping(uint256 => uint256));
    using SafeERC20 for IERC20;

    /// @notice Hard cap on the fee: 1% of the internal premium.
    uint16 public constant MAX_FEE_BPS = 100;
    /// @notice Gas each order of a batch may use, so that one order (a gas-burning receiver or wallet) cannot
    /// starve the rest.
    uint256 public constant BATCH_ORDER_GAS = 1_500_000;
    /// @notice Longest revert reason a skipped order logs; longer ones are truncated.
    uint256 public constant MAX_SKIP_REASON = 256;

    IOptionLedger private immutable _ledger;

    Config private _config;
    mapping(address solver => bool allowed) private _solvers;
    mapping(uint256 venueKey => IOptionVault vault) private _vaults;
    mapping(address user => mapping(uint256 wordPos => uint256 bits)) private _nonces;

    /// @dev What one fill needs beyond its calldata, gathered once.
    struct Context {
        bytes32 orderHash;
        address solver;
        IOptionVault vault;
        IERC20 asset;
        uint256 ammAmount;
        uint256 fee;
        uint256 ammReference;
    }

    constructor(IOptionLedger ledger_, address owner_) EIP712("Internalizer Settlement", "1") Ownable(owner_) {
        if (address(ledger_) == address(0)) revert ZeroAddress();
        _ledger = ledger_;
    }

    // ---------------------------------------------------------------- fills

    /// @inheritdoc IOptionSettlement
    function fill(
        Intent calldata intent,
        bytes calldata signature,
        FillParams calldata params
    ) external nonReentrant returns (uint256 premium) {
        Config memory c = _checkedConfig();
        return _fill(intent, signature, params, msg.sender, c);
    }

    /// @inheritdoc IOptionSettlement
    function fillBatch(Order[] calldata orders) external nonReentrant returns (uint256 filled) {
        Config memory c = _checkedConfig();
        for (uint256 i; i < orders.length; ++i) {
            // Each order runs in its own call frame, with bounded gas and bounded revert data, so that a
            // failure rolls back that order alone and no order can grief the others.
            (bool ok, bytes memory reason) = _tryFill(orders[i], c);
            if (ok) {
                ++filled;
            } else {
                Intent calldata intent = orders[i].intent;
                emit FillSkipped(_hashTypedDataV4(IntentHash.hash(intent)), intent.user, reason);
            }
        }
    }

    /// @notice One order of a batch. Only the contract itself may call it, from `fillBatch`, which has
    /// already checked the solver and holds the reentrancy lock.
    function fillFromBatch(Order calldata order, address solver, Config calldata c) external returns (uint256) {
        if (msg.sender != address(this)) revert OnlySelf();
        return _fill(order.intent, order.signature, order.params, solver, c);
    }

    /// @inheritdoc IOptionSettlement
    function invalidateNonces(uint256 wordPos, uint256 mask) external {
        _nonces[msg.sender][wordPos] |= mask;
        emit NoncesInvalidated(msg.sender, wordPos, mask);
    }

    // ---------------------------------------------------------------- admin

    /// @inheritdoc IOptionSettlement
    function setSolver(address solver, bool allowed) external onlyOwner {
        if (solver == address(0)) revert ZeroAddress();
        _solvers[solver] = allowed;
        emit SolverSet(solver, allowed);
    }

    /// @inheritdoc IOptionSettlement
    function setVault(uint32 pairId, bool isCall, address vault) external onlyOwner {
        uint256 key = _venueKey(pairId, isCall);
        IOptionVault old = _vaults[key];
        if (address(old) != address(0)) {
            IERC20(old.asset()).forceApprove(address(old), 0);
            _ledger.setApprovalForAll(address(old), false);
        }
        if (vault != address(0)) {
            IOptionVault v = IOptionVault(vault);
            if (v.ledger() != address(_ledger) || v.pairId() != pairId || v.isCall() != isCall) {
                revert InvalidVault(vault);
            }
            // The vault pulls AMM-leg premiums and longs from this contract inside a fill.
            IERC20(v.asset()).forceApprove(vault, type(uint256).max);
            _ledger.setApprovalForAll(vault, true);
        }
        _vaults[key] = IOptionVault(vault);
        emit VaultSet(pairId, isCall, vault);
    }

    /// @inheritdoc IOptionSettlement
    function setFee(uint16 feeBps, address feeRecipient) external onlyOwner {
        if (feeBps > MAX_FEE_BPS) revert FeeTooHigh(feeBps);
        if (feeBps != 0 && feeRecipient == address(0)) revert ZeroAddress();
        _config.feeBps = feeBps;
        _config.feeRecipient = feeRecipient;
        emit FeeSet(feeBps, feeRecipient);
    }

    /// @inheritdoc IOptionSettlement
    function setPaused(bool paused) external onlyOwner {
        _config.paused = paused;
        emit PausedSet(paused);
    }

    /// @inheritdoc IOptionSettlement
    function sweep(address token, address to) external onlyOwner nonReentrant returns (uint256 amount) {
        if (to == address(0)) revert ZeroAddress();
        amount = IERC20(token).balanceOf(address(this));
        if (amount == 0) revert NothingToSweep(token);
        emit Swept(token, to, amount);
        IERC20(token).safeTransfer(to, amount);
    }

    /// @notice Disabled: without an owner no solver or vault could be changed and fills could not be paused.
    function renounceOwnership() public pure override {
        revert RenounceDisabled();
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IOptionSettlement
    function hashIntent(Intent calldata intent) external view returns (bytes32) {
        return _hashTypedDataV4(IntentHash.hash(intent));
    }

    /// @inheritdoc IOptionSettlement
    function nonceBitmap(address user, uint256 wordPos) external view returns (uint256) {
        return _nonces[user][wordPos];
    }

    /// @inheritdoc IOptionSettlement
    function isNonceUsed(address user, uint256 nonce) external view returns (bool) {
        return _nonces.isUsed(user, nonce);
    }

    /// @inheritdoc IOptionSettlement
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @inheritdoc IOptionSettlement
    function ledger() external view returns (address) {
        return address(_ledger);
    }

    /// @inheritdoc IOptionSettlement
    function isSolver(address solver) external view returns (bool) {
        return _solvers[solver];
    }

    /// @inheritdoc IOptionSettlement
    function vaultFor(uint32 pairId, bool isCall) external view returns (address) {
        return address(_vaults[_venueKey(pairId, isCall)]);
    }

    /// @inheritdoc IOptionSettlement
    function config() external view returns (Config memory) {
        return _config;
    }

    /// @dev Longs arrive only from the ledger, in transfers this contract starts (see LedgerReceiver).
    function _receiptLedger() internal view override returns (address) {
        return address(_ledger);
    }

    // ---------------------------------------------------------------- internals

    /// @dev Calls `fillFromBatch` on this contract with at most BATCH_ORDER_GAS gas, copying at most
    /// MAX_SKIP_REASON bytes of revert data (a "return bomb" cannot make the batch pay for a huge copy).
    function _tryFill(Order calldata order, Config memory c) private returns (bool ok, bytes memory reason) {
        bytes memory data = abi.encodeCall(this.fillFromBatch, (order, msg.sender, c));
        uint256 gasLimit = BATCH_ORDER_GAS;
        uint256 maxReason = MAX_SKIP_REASON;
        assembly ("memory-safe") {
            ok := call(gasLimit, address(), 0, add(data, 0x20), mload(data), 0, 0)
            reason := mload(0x40)
            let size := 0
            if iszero(ok) {
                size := returndatasize()
                if gt(size, maxReason) {
                    size := maxReason
                }
                returndatacopy(add(reason, 0x20), 0, size)
            }
            mstore(reason, size)
            mstore(0x40, add(add(reason, 0x20), and(add(size, 31), not(31))))
        }
    }

    function _checkedConfig() private view returns (Config memory c) {
        c = _config;
        if (c.paused) revert Paused();
        if (!_solvers[msg.sender]) revert SolverNotAllowed(msg.sender);
    }

    function _fill(
        Intent calldata intent,
        bytes calldata signature,
        FillParams calldata params,
        address solver,
        Config memory c
    ) private returns (uint256 premium) {
        Context memory ctx;
        ctx.solver = solver;
        ctx.orderHash = _hashTypedDataV4(IntentHash.hash(intent));
        _validate(intent, params, solver);
        if (!SignatureVerifier.isValid(intent.user, ctx.orderHash, signature)) revert InvalidSignature();
        _nonces.use(intent.user, intent.nonce);

        (uint32 pairId, , , bool isCall) = SeriesId.decode(intent.seriesId);
        ctx.vault = _vaults[_venueKey(pairId, isCall)];
        if (address(ctx.vault) == address(0)) revert VaultNotRegistered(pairId, isCall);
        // Premiums or options sent to this contract or to the vault would be lost or skew the vault's books.
        if (intent.recipient == address(this) || intent.recipient == address(ctx.vault)) revert InvalidRecipient();
        ctx.asset = IERC20(ctx.vault.asset());
        ctx.ammAmount = intent.amount - params.internalAmount;

        bool isBuy = intent.side == Side.Buy;
        if (params.internalAmount != 0) {
            // Best execution: the internal part must be at least as good for the user as the vault's own
            // price for the same amount, read in this transaction.
            ctx.ammReference = ctx.vault.referencePremium(intent.seriesId, params.internalAmount, isBuy);
            if (isBuy ? params.internalPremium > ctx.ammReference : params.internalPremium < ctx.ammReference) {
                revert WorseThanAmm(params.internalPremium, ctx.ammReference);
            }
            // The fee is the protocol's cut of the solver's side; the user's price is unaffected.
            if (c.feeBps != 0) ctx.fee = (params.internalPremium * c.feeBps) / 10_000;
        }

        premium = isBuy ? _settleBuy(intent, params, ctx, c) : _settleSell(intent, params, ctx, c);

        emit Filled(
            ctx.orderHash,
            intent.user,
            solver,
            intent.seriesId,
            intent.side,
            params.internalAmount,
            ctx.ammAmount,
            premium,
            params.internalPremium,
            ctx.ammReference
        );
    }

    function _validate(Intent calldata intent, FillParams calldata params, address solver) private view {
        if (intent.amount == 0) revert ZeroAmount();
        if (block.timestamp > intent.deadline) revert IntentExpired(intent.deadline);
        if (intent.exclusiveSolver != address(0) && intent.exclusiveSolver != solver) {
            revert WrongSolver(intent.exclusiveSolver, solver);
        }
        if (intent.recipient == address(0)) revert InvalidRecipient();
        if (
            params.internalAmount > intent.amount ||
            params.mintAmount > params.internalAmount ||
            (intent.side != Side.Buy && params.mintAmount != 0) ||
            (params.internalAmount == 0 && params.internalPremium != 0)
        ) revert InvalidFillParams();
    }

    function _settleBuy(
        Intent calldata intent,
        FillParams calldata params,
        Context memory ctx,
        Config memory c
    ) private returns (uint256 premium) {
        uint256 id = intent.seriesId;
        premium = params.internalPremium;
        if (params.internalAmount != 0) {
            if (premium > intent.limitPremium) revert LimitExceeded(premium, intent.limitPremium);
            if (premium != 0) ctx.asset.safeTransferFrom(intent.user, ctx.solver, premium - ctx.fee);
            if (ctx.fee != 0) ctx.asset.safeTransferFrom(intent.user, c.feeRecipient, ctx.fee);
            uint256 fromInventory = params.internalAmount - params.mintAmount;
            if (fromInventory != 0) _ledger.safeTransferFrom(ctx.solver, intent.recipient, id, fromInventory, "");
            if (params.mintAmount != 0) _ledger.mint(id, params.mintAmount, ctx.solver, intent.recipient);
        }
        if (ctx.ammAmount != 0) {
            // The AMM leg's budget is pulled in full and whatever the vault does not take is refunded, so the
            // user never has more than its limit in flight and nothing stays here.
            uint256 budget = params.ammPremium;
            if (premium + budget > intent.limitPremium) revert LimitExceeded(premium + budget, intent.limitPremium);
            ctx.asset.safeTransferFrom(intent.user, address(this), budget);
            uint256 paid = ctx.vault.buy(id, ctx.ammAmount, budget, intent.deadline, intent.recipient);
            if (paid < budget) ctx.asset.safeTransfer(intent.user, budget - paid);
            premium += paid;
        }
    }

    function _settleSell(
        Intent calldata intent,
        FillParams calldata params,
        Context memory ctx,
        Config memory c
    ) private returns (uint256 premium) {
        uint256 id = intent.seriesId;
        bool toOpen = intent.side == Side.SellToOpen;
        premium = params.internalPremium;
        if (params.internalAmount != 0) {
            if (toOpen) _ledger.mint(id, params.internalAmount, intent.user, ctx.solver);
            else _ledger.safeTransferFrom(intent.user, ctx.solver, id, params.internalAmount, "");
            if (premium != 0) ctx.asset.safeTransferFrom(ctx.solver, intent.recipient, premium);
            if (ctx.fee != 0) ctx.asset.safeTransferFrom(ctx.solver, c.feeRecipient, ctx.fee);
        }
        if (ctx.ammAmount != 0) {
            if (toOpen) _ledger.mint(id, ctx.ammAmount, intent.user, address(this));
            else _ledger.safeTransferFrom(intent.user, address(this), id, ctx.ammAmount, "");
            // Counted as what the recipient actually received, not what the vault says it paid.
            uint256 before = ctx.asset.balanceOf(intent.recipient);
            ctx.vault.sell(id, ctx.ammAmount, params.ammPremium, intent.deadline, intent.recipient);
            premium += ctx.asset.balanceOf(intent.recipient) - before;
        }
        if (premium < intent.limitPremium) revert LimitNotMet(premium, intent.limitPremium);
    }

    function _venueKey(uint32 pairId, bool isCall) private pure returns (uint256) {
        return (uint256(pairId) << 1) | (isCall ? 1 : 0);
    }
}
