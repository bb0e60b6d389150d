import type { Result } from "ethers";

/** A struct returned by ethers as a `Result`, turned into a plain object usable as a call argument. */
export function toStruct<S>(output: unknown): S {
  return (output as Result).toObject() as S;
}
