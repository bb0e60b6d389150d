/**
 * npm run check:functions [-- --max 50 --dir solver]
 *
 * Lists every function, method, arrow function and accessor under `--dir` longer than `--max` lines (from
 * its first line to its last, comments inside included), longest first, with each file's line count. Exits 1
 * when there is any. Parsed with the TypeScript compiler, so nested functions count on their own.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import ts from "typescript";

const { values } = parseArgs({ options: { max: { type: "string" }, dir: { type: "string" } } });
const max = Number(values.max ?? 50);
const dir = values.dir ?? "solver";

function files(d: string): string[] {
  return readdirSync(d).flatMap((f) => {
    const p = join(d, f);
    if (statSync(p).isDirectory()) return p.endsWith("abi") ? [] : files(p);
    return p.endsWith(".ts") ? [p] : [];
  });
}

interface Long {
  file: string;
  name: string;
  line: number;
  lines: number;
}

function longFunctions(file: string): Long[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const out: Long[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      const name =
        node.name && ts.isIdentifier(node.name) ? node.name.text : (node.name?.getText(source) ?? "(anonymous)");
      if (lines > max) out.push({ file, name, line: start + 1, lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

const long = files(dir)
  .flatMap(longFunctions)
  .sort((a, b) => b.lines - a.lines);
for (const f of long) console.log(`${String(f.lines).padStart(4)} lines  ${f.file}:${f.line}  ${f.name}`);
console.log(JSON.stringify({ dir, max, functionsOverMax: long.length }));
process.exit(long.length > 0 ? 1 : 0);
