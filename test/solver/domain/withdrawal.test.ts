import { expect } from "chai";
import { withdrawBlock } from "../../../solver/domain/withdrawal.js";

const NOW = 1_800_000_000;
/** An LP worth 10 of a vault with 50 free, 10 withdrawable, no lock-up. */
const state = (over: Partial<Parameters<typeof withdrawBlock>[0]> = {}) => ({
  lockedUntil: 0,
  maxWithdraw: 10n,
  worth: 10n,
  freeAssets: 50n,
  ...over,
});

describe("withdrawBlock: why an LP cannot withdraw an amount now", () => {
  it("names the lock-up when every share is inside it", () => {
    expect(withdrawBlock(state({ lockedUntil: NOW + 1, maxWithdraw: 0n }), 1n, NOW)).to.equal("sharesLocked");
  });

  it("names the latest deposits' lock-up when neither the worth nor the free assets stop the amount", () => {
    expect(withdrawBlock(state({ lockedUntil: NOW + 1, maxWithdraw: 8n }), 9n, NOW)).to.equal("latestDepositsLocked");
    // At the worth exactly, still the lock-up; one more is the worth.
    expect(withdrawBlock(state({ lockedUntil: NOW + 1, maxWithdraw: 8n }), 10n, NOW)).to.equal("latestDepositsLocked");
    expect(withdrawBlock(state({ lockedUntil: NOW + 1, maxWithdraw: 8n }), 11n, NOW)).to.equal("insufficientBalance");
  });

  it("names the vault's free assets when the shares are worth the amount but the vault holds less free", () => {
    expect(withdrawBlock(state({ freeAssets: 2n, maxWithdraw: 2n }), 5n, NOW)).to.equal("vaultAssetsLocked");
    expect(withdrawBlock(state({ lockedUntil: NOW + 1, freeAssets: 2n, maxWithdraw: 2n }), 5n, NOW)).to.equal(
      "vaultAssetsLocked",
    );
  });

  it("names the shares' worth when the amount is over it", () => {
    expect(withdrawBlock(state(), 11n, NOW)).to.equal("insufficientBalance");
  });

  it("reads the lock-up in chain time: a lock that ended at `now` binds nothing", () => {
    expect(withdrawBlock(state({ lockedUntil: NOW, maxWithdraw: 0n, freeAssets: 0n }), 1n, NOW)).to.equal(
      "vaultAssetsLocked",
    );
  });
});
