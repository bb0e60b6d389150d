import { expect } from "chai";
import { CommitmentBook } from "../../../solver/risk/commitments.js";

const carol = "0x00000000000000000000000000000000000c4201" as const;

describe("CommitmentBook", () => {
  it("counts an open buy against the shared balance and the settlement's allowance, not the ledger's", () => {
    const book = new CommitmentBook();
    book.add({
      quoteId: "a",
      requester: carol,
      key: "asset:W",
      allowanceKey: "asset:W@settlement",
      amount: 5n,
      slot: "1:buy",
      expiresAt: 100,
    });
    // A sell-to-open of another series draws on the same WETH balance, but on the ledger's allowance.
    expect(book.pending(carol, "asset:W", "2:sellToOpen", 0)).to.equal(5n);
    expect(book.pending(carol, "asset:W@ledger", "2:sellToOpen", 0)).to.equal(0n);
    // Another buy pays the same spender.
    expect(book.pending(carol, "asset:W@settlement", "3:buy", 0)).to.equal(5n);
    // A newer quote for the same series and side supersedes the open one: it does not count itself.
    expect(book.pending(carol, "asset:W@settlement", "1:buy", 0)).to.equal(0n);
    expect(book.pending(carol, "asset:W", "1:buy", 0)).to.equal(0n);
    book.release("a");
    expect(book.pending(carol, "asset:W", "2:sellToOpen", 0)).to.equal(0n);
    expect(book.pending(carol, "asset:W@settlement", "3:buy", 0)).to.equal(0n);
  });

  it("drops both totals of an expired quote", () => {
    const book = new CommitmentBook();
    book.add({ quoteId: "a", requester: carol, key: "k", allowanceKey: "k@s", amount: 7n, slot: "x", expiresAt: 10 });
    expect(book.pending(carol, "k@s", "y", 10)).to.equal(7n);
    expect(book.pending(carol, "k@s", "y", 11)).to.equal(0n);
    expect(book.pending(carol, "k", "y", 11)).to.equal(0n);
    expect(book.size).to.equal(0);
  });
});
