import sha3 from "js-sha3";
import { domainSeparator, type Hex, type TypedDataDomain } from "viem";

/** js-sha3's keccak: 9 µs for a 224-byte struct against 34 µs for viem's (noble) on this machine. */
const keccak = (data: Uint8Array): Buffer => Buffer.from(sha3.keccak256.arrayBuffer(data));

/** The static ABI types our signed structs use; each encodes to one 32-byte word. */
export type StaticField = { name: string; type: "address" | "bytes32" | "bool" | `uint${number}` };

/** Thrown when a message field does not fit its EIP-712 type. */
export class TypedDataValueError extends Error {
  constructor(field: string, type: string) {
    super(`EIP-712 field ${field} is not a valid ${type}`);
    this.name = "TypedDataValueError";
  }
}

/**
 * EIP-712 digests of one struct type made only of static fields, for the quote path: the type hash and the
 * domain separator are computed once instead of per message (viem's hashTypedData recomputes both, which
 * was a third of a quote's CPU time). Equal to viem's hashTypedData; a differential test holds it to that.
 */
export function typedDigester<M extends Record<string, unknown>>(
  domain: TypedDataDomain,
  primaryType: string,
  fields: readonly StaticField[],
): (message: M) => Hex {
  const typeString = `${primaryType}(${fields.map((f) => `${f.type} ${f.name}`).join(",")})`;
  const typeHash = keccak(Buffer.from(typeString, "utf8"));
  const separator = Buffer.from(domainSeparator({ domain }).slice(2), "hex");
  const encoders = fields.map((f) => encoderFor(f));
  return (message) => {
    const struct = Buffer.alloc(32 * (fields.length + 1));
    typeHash.copy(struct, 0);
    for (let i = 0; i < encoders.length; i++) encoders[i]!(message[fields[i]!.name], struct, 32 * (i + 1));
    const envelope = Buffer.alloc(66);
    envelope[0] = 0x19;
    envelope[1] = 0x01;
    separator.copy(envelope, 2);
    keccak(struct).copy(envelope, 34);
    return `0x${keccak(envelope).toString("hex")}`;
  };
}

type Encoder = (value: unknown, out: Buffer, offset: number) => void;

function encoderFor({ name, type }: StaticField): Encoder {
  const fail = () => new TypedDataValueError(name, type);
  if (type === "address") {
    return (v, out, at) => {
      if (typeof v !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(v)) throw fail();
      out.write(v.slice(2), at + 12, "hex");
    };
  }
  if (type === "bytes32") {
    return (v, out, at) => {
      if (typeof v !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(v)) throw fail();
      out.write(v.slice(2), at, "hex");
    };
  }
  if (type === "bool") {
    return (v, out, at) => {
      if (typeof v !== "boolean") throw fail();
      out[at + 31] = v ? 1 : 0;
    };
  }
  const bits = Number(type.slice(4));
  if (!Number.isInteger(bits) || bits < 8 || bits > 256 || bits % 8 !== 0) throw fail();
  const max = (1n << BigInt(bits)) - 1n;
  return (v, out, at) => {
    const n = typeof v === "number" && Number.isSafeInteger(v) ? BigInt(v) : v;
    if (typeof n !== "bigint" || n < 0n || n > max) throw fail();
    out.write(n.toString(16).padStart(64, "0"), at, "hex");
  };
}
