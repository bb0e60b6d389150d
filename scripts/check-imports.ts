/**
 * npm run check:imports [-- --dir solver]
 *
 * Fails when the folders under `--dir` import each other in a loop (a file at the top level counts as its
 * own node: `types.ts`, `errors.ts`, the entry points). Prints each loop, then a JSON line
 * {"dir","loops"}; exits 1 when there is any. The layering it keeps: domain and chain below everything,
 * then pricing, inventory, risk, router, market, settlement, keeper, store, engine, api, cli.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative, resolve } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { dir: { type: "string" } } });
const root = resolve(values.dir ?? "solver");

function files(d: string): string[] {
  return readdirSync(d).flatMap((f) => {
    const p = join(d, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** The node a file belongs to: its top folder under the root, or the file itself at the top level. */
const nodeOf = (file: string) =>
  relative(root, file)
    .split("/")[0]!
    .replace(/\.(ts|js)$/, "");

const edges = new Map<string, Set<string>>();
for (const file of files(root)) {
  const from = nodeOf(file);
  for (const [, spec] of readFileSync(file, "utf8").matchAll(/from "(\.[^"]+)"/g)) {
    const to = nodeOf(normalize(join(dirname(file), spec!)));
    if (to !== from && !to.startsWith("..")) edges.set(from, (edges.get(from) ?? new Set()).add(to));
  }
}

// Tarjan's strongly connected components: every component with more than one node is a loop.
const index = new Map<string, number>();
const low = new Map<string, number>();
const stack: string[] = [];
const loops: string[][] = [];
function visit(v: string): void {
  index.set(v, index.size);
  low.set(v, index.get(v)!);
  stack.push(v);
  for (const w of edges.get(v) ?? []) {
    if (!index.has(w)) {
      visit(w);
      low.set(v, Math.min(low.get(v)!, low.get(w)!));
    } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
  }
  if (low.get(v) !== index.get(v)) return;
  const component: string[] = [];
  let w: string;
  do {
    w = stack.pop()!;
    component.push(w);
  } while (w !== v);
  if (component.length > 1) loops.push(component.sort());
}
for (const v of edges.keys()) if (!index.has(v)) visit(v);

for (const loop of loops) console.error(`import loop: ${loop.join(" ↔ ")}`);
console.log(JSON.stringify({ dir: relative(process.cwd(), root), loops: loops.length }));
process.exit(loops.length > 0 ? 1 : 0);
