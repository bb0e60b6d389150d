/**
 * The EVM's fixed-point math, exactly: solady's `expWad`, `lnWad` and `sqrtWad`, and OpenZeppelin's
 * `mulDiv`, ported operation by operation to bigint so that the solver prices what the vault prices, to the
 * wei. BigInt division truncates toward zero like Solidity's (and `sdiv`), `>>` is arithmetic like `sar`;
 * every product here stays inside 256 bits in the original (solady's own bounds), so exact arithmetic is
 * the EVM's wrapping arithmetic. A differential test holds these to the chain.
 */

import { WAD } from "../math/wad.js";

/** Thrown where the Solidity original reverts (`ExpOverflow`, `LnWadUndefined`, division by zero). */
export class WadMathError extends Error {}

/** solady `expWad`: e^(x / 1e18) in WAD; 0 below ~-41.4; throws at and above ~135.3. */
export function expWad(x: bigint): bigint {
  if (x <= -41446531673892822313n) return 0n;
  if (x >= 135305999368893231589n) throw new WadMathError("ExpOverflow");
  // To a 2^96 base: x * 2^78 / 5^18.
  x = (x << 78n) / 5n ** 18n;
  const k = ((x << 96n) / 54916777467707473351141471128n + 2n ** 95n) >> 96n;
  x = x - k * 54916777467707473351141471128n;
  let y = x + 1346386616545796478920950773328n;
  y = ((y * x) >> 96n) + 57155421227552351082224309758442n;
  let p = y + x - 94201549194550492254356042504812n;
  p = ((p * y) >> 96n) + 28719021644029726153956944680412240n;
  p = p * x + (4385272521454847904659076985693276n << 96n);
  let q = x - 2855989394907223263936484059900n;
  q = ((q * x) >> 96n) + 50020603652535783019961831881945n;
  q = ((q * x) >> 96n) - 533845033583426703283633433725380n;
  q = ((q * x) >> 96n) + 3604857256930695427073651918091429n;
  q = ((q * x) >> 96n) - 14423608567350463180887372962807573n;
  q = ((q * x) >> 96n) + 26449188498355588339934803723976023n;
  const r = p / q;
  return (r * 3822833074963236453042738258902158003155416615667n) >> (195n - k);
}

/** solady `lnWad`: ln(x / 1e18) in WAD; throws for x <= 0. */
export function lnWad(x: bigint): bigint {
  if (x <= 0n) throw new WadMathError("LnWadUndefined");
  // r = 255 - floor(log2 x); x scaled to [2^96, 2^97).
  const log2 = BigInt(x.toString(2).length - 1);
  const r = 255n - log2;
  x = ((x << r) & MAX_UINT256) >> 159n;
  let p =
    (((((((3273285459638523848632254066296n + x) * x) >> 96n) + 24828157081833163892658089445524n) * x) >> 96n) +
      43456485725739037958740375743393n) *
    x;
  p = (p >> 96n) - 11111509109440967052023855526967n;
  p = ((p * x) >> 96n) - 45023709667254063763336534515857n;
  p = ((p * x) >> 96n) - 14706773417378608786704636184526n;
  p = p * x - (795164235651350426258249787498n << 96n);
  let q = 5573035233440673466300451813936n + x;
  q = 71694874799317883764090561454958n + ((x * q) >> 96n);
  q = 283447036172924575727196451306956n + ((x * q) >> 96n);
  q = 401686690394027663651624208769553n + ((x * q) >> 96n);
  q = 204048457590392012362485061816622n + ((x * q) >> 96n);
  q = 31853899698501571402653359427138n + ((x * q) >> 96n);
  q = 909429971244387300277376558375n + ((x * q) >> 96n);
  p = p / q;
  p = 1677202110996718588342820967067443963516166n * p;
  p = 16597577552685614221487285958193947469193820559219878177908093499208371n * (159n - r) + p;
  p = 600920179829731861736702779321621459595472258049074101567377883020018308n + p;
  return p >> 174n;
}

const MAX_UINT256 = (1n << 256n) - 1n;

/** Floor square root of a non-negative integer (what solady's `sqrt` returns). */
export function isqrt(x: bigint): bigint {
  if (x < 2n) return x;
  let z = BigInt(Math.floor(Math.sqrt(Number(x))));
  // Newton steps from the float estimate until the floor is exact.
  for (;;) {
    const next = (z + x / z) >> 1n;
    if (next >= z) break;
    z = next;
  }
  while (z * z > x) z--;
  while ((z + 1n) * (z + 1n) <= x) z++;
  return z;
}

/** solady `sqrtWad`: sqrt(x / 1e18) in WAD, rounded down (the branch for x <= 2^256 / 1e18). */
export function sqrtWad(x: bigint): bigint {
  if (x > MAX_UINT256 / WAD) throw new WadMathError("sqrtWad input out of the supported range");
  return isqrt(x * WAD);
}

/** OpenZeppelin `Math.mulDiv(x, y, d)`, floor; `ceil` rounds up when there is a remainder. */
export function mulDiv(x: bigint, y: bigint, d: bigint, ceil = false): bigint {
  if (d === 0n) throw new WadMathError("division by zero");
  const product = x * y;
  const q = product / d;
  return ceil && product % d !== 0n ? q + 1n : q;
}
