// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

/// @title SignatureVerifier
/// @notice Checks a signer's signature over a digest: 65-byte or EIP-2098 64-byte ECDSA first, then, if that does
/// not recover the signer and the signer has code, EIP-1271. High-s (malleable) ECDSA signatures are refused.
/// @dev ECDSA comes first so that an EOA with an EIP-7702 delegation (which has code) can still sign with its
/// key, whatever its delegate's `isValidSignature` says; the key can send transactions anyway, so accepting its
/// signature grants nothing new. A contract account's address has no known key, so for it only EIP-1271 can
/// succeed. OpenZeppelin 5's `SignatureChecker` checks code first and accepts only 65-byte ECDSA signatures;
/// EIP-2098 goes through `ECDSA.tryRecover(hash, r, vs)`, which applies the same low-s rule.
library SignatureVerifier {
    /// @notice True when `signature` is `signer`'s over `digest`.
    function isValid(address signer, bytes32 digest, bytes calldata signature) internal view returns (bool) {
        address recovered;
        ECDSA.RecoverError err;
        if (signature.length == 64) {
            (recovered, err, ) = ECDSA.tryRecover(digest, bytes32(signature[0:32]), bytes32(signature[32:64]));
        } else {
            (recovered, err, ) = ECDSA.tryRecoverCalldata(digest, signature);
        }
        if (err == ECDSA.RecoverError.NoError && recovered == signer) return true;
        return
            signer.code.length != 0 && SignatureChecker.isValidERC1271SignatureNowCalldata(signer, digest, signature);
    }
}
