#!/usr/bin/env python3
"""Independent Black-Scholes reference vectors, computed with mpmath at 50 significant digits.

Used to check both pricers (Solidity and the TypeScript twin); neither shares code with this file.
Inputs are rounded to 12 significant digits so their decimal strings convert to WAD exactly.

    python3 scripts/reference/black_scholes_vectors.py > test/vectors/black-scholes.json
"""
import itertools
import json
import math
import random

from mpmath import mp, mpf, ncdf, npdf, exp, log, sqrt

mp.dps = 50
HOUR = 1 / (365 * 24)


def sig(x: float) -> float:
    return float(f"{x:.12g}")


def reference(spot, strike, years, vol, rate):
    s, k, t, v, r = (mpf(repr(x)) for x in (spot, strike, years, vol, rate))
    std = v * sqrt(t)
    d1 = (log(s / k) + (r + v * v / 2) * t) / std
    d2 = d1 - std
    dk = k * exp(-r * t)
    return {
        "call": float(s * ncdf(d1) - dk * ncdf(d2)),
        "put": float(dk * ncdf(-d2) - s * ncdf(-d1)),
        "callDelta": float(ncdf(d1)),
        "vega": float(s * npdf(d1) * sqrt(t)),
    }


def inputs():
    corners = itertools.product(
        [1.0, 3000.0, 80000.0], [-0.9, 0.0, 0.9], [HOUR, 2.0], [0.05, 2.5], [0.0, 0.1]
    )
    for spot, m, years, vol, rate in corners:
        yield spot, sig(spot * math.exp(m)), sig(years), vol, rate
    rng = random.Random(20261121)
    for _ in range(428):
        spot = sig(math.exp(rng.uniform(0, math.log(80000))))
        strike = sig(spot * math.exp(rng.uniform(-0.9, 0.9)))
        years = sig(math.exp(rng.uniform(math.log(HOUR), math.log(2))))
        yield spot, strike, years, sig(rng.uniform(0.05, 2.5)), sig(rng.uniform(0, 0.1))


vectors = [
    {"spot": s, "strike": k, "years": t, "vol": v, "rate": r, "expected": reference(s, k, t, v, r)}
    for s, k, t, v, r in inputs()
]
print(json.dumps(vectors, indent=1))
