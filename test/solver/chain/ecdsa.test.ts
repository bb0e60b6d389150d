import { randomBytes } from "node:crypto";
import { expect } from "chai";
import { bytesToHex, type Hex, hexToBytes, parseSignature, recoverAddress, serializeSignature } from "viem";
import { generatePrivateKey, privateKeyToAccount, sign } from "viem/accounts";
import {
  nativeSecp256k1,
  recoverDigestSigner,
  SignatureFormatError,
  signDigest,
  splitSignature,
} from "../../../solver/chain/ecdsa.js";

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const digest = (): Hex => bytesToHex(randomBytes(32));
const hex32 = (x: bigint) => `0x${x.toString(16).padStart(64, "0")}` as Hex;

describe("ecdsa (libsecp256k1 on the API's hot path)", () => {
  it("uses the native binding on this machine", () => {
    expect(nativeSecp256k1).to.equal(true);
  });

  it("signs exactly as viem does (RFC 6979, low s) and recovers the same signer, over 200 random keys", async () => {
    for (let i = 0; i < 200; i++) {
      const key = generatePrivateKey();
      const hash = digest();
      const ours = await signDigest(hash, key);
      expect(ours).to.equal(await sign({ hash, privateKey: key, to: "hex" }));
      const signer = privateKeyToAccount(key).address;
      expect(await recoverDigestSigner(hash, ours)).to.equal(signer);
      expect(await recoverAddress({ hash, signature: ours })).to.equal(signer);
    }
  });

  it("recovers EIP-2098 64-byte signatures, and refuses v in {0, 1} as the settlement does", async () => {
    const key = generatePrivateKey();
    const signer = privateKeyToAccount(key).address;
    for (let i = 0; i < 20; i++) {
      const hash = digest();
      const sig = parseSignature(await signDigest(hash, key));
      const compact = serializeSignature({ r: sig.r, s: sig.s, yParity: sig.yParity! });
      const yParity = sig.yParity!;
      const short = `${sig.r}${(BigInt(sig.s) | (BigInt(yParity) << 255n)).toString(16).padStart(64, "0")}` as Hex;
      expect(await recoverDigestSigner(hash, short)).to.equal(signer);
      const v01 = `${compact.slice(0, 130)}${yParity === 0 ? "00" : "01"}` as Hex;
      await expectFormatError(recoverDigestSigner(hash, v01), `v = ${yParity}`);
    }
  });

  it("refuses the high-s twin of a valid signature", async () => {
    const hash = digest();
    const sig = parseSignature(await signDigest(hash, generatePrivateKey()));
    const highS = serializeSignature({ r: sig.r, s: hex32(N - BigInt(sig.s)), yParity: 1 - sig.yParity! });
    await expectFormatError(recoverDigestSigner(hash, highS), "high s");
  });

  it("refuses wrong lengths, a bad v and zero r or s", async () => {
    const hash = digest();
    const good = await signDigest(hash, generatePrivateKey());
    await expectFormatError(recoverDigestSigner(hash, good.slice(0, 128) as Hex), "63 bytes");
    await expectFormatError(recoverDigestSigner(hash, `${good}00`), "66 bytes");
    await expectFormatError(recoverDigestSigner(hash, `${good.slice(0, 130)}1d` as Hex), "v = 29");
    const bytes = hexToBytes(good);
    bytes.fill(0, 0, 32);
    await expectFormatError(recoverDigestSigner(hash, bytesToHex(bytes)), "zero r or s");
    expect(() => splitSignature("0x")).to.throw(SignatureFormatError, "0 bytes");
  });

  it("refuses an r beyond the curve order (no key recovers)", async () => {
    const hash = digest();
    const bad = `${hex32(2n ** 256n - 1n)}${hex32(1n).slice(2)}1b` as Hex;
    await expectFormatError(recoverDigestSigner(hash, bad), "no key recovers");
  });
});

/** Awaits `p` and checks it failed with SignatureFormatError for `reason` (a prefix of the detail). */
async function expectFormatError(p: Promise<unknown>, reason: string) {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected SignatureFormatError (${reason})`).to.be.instanceOf(SignatureFormatError);
  expect((error as Error).message.startsWith(`malformed signature: ${reason}`), (error as Error).message).to.equal(
    true,
  );
}
