import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { delimiter, join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "node_modules", ".bin");
const ENV = {
  ...process.env,
  PATH: `${BIN}${delimiter}${process.env.PATH ?? ""}`,
  NODE_OPTIONS: "--disable-warning=ExperimentalWarning",
};

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Spawns a project tool (from node_modules/.bin) with the project's Node 22 on PATH. */
export function spawnTool(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): ChildProcess & { output: string[] } {
  return spawnProcess(join(BIN, command), args, env);
}

function spawnProcess(
  file: string,
  args: string[],
  env: Record<string, string>,
  opts: { group?: boolean } = {},
): ChildProcess & { output: string[] } {
  const child = spawn(file, args, {
    cwd: ROOT,
    env: { ...ENV, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    // A process group of its own, so that a kill reaches the command and everything it started.
    detached: opts.group ?? false,
  }) as ChildProcess & {
    output: string[];
    group?: boolean;
  };
  child.group = opts.group ?? false;
  child.output = [];
  child.stdout?.on("data", (d: Buffer) => child.output.push(d.toString()));
  child.stderr?.on("data", (d: Buffer) => child.output.push(d.toString()));
  return child;
}

/**
 * Spawns a TypeScript entry point as one Node process (tsx as an import hook, not tsx's wrapper, whose
 * child would survive a SIGKILL of the wrapper and keep serving).
 */
export function spawnTs(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): ChildProcess & { output: string[] } {
  return spawnProcess(process.execPath, ["--import", "tsx", script, ...args], {
    INTERNALIZER_EXIT_WITH_PARENT: "1",
    ...env,
  });
}

/** Runs a project tool to completion; rejects with its output on a non-zero exit. */
export async function runTool(command: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  const child = spawnTool(command, args, env);
  const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? 1)));
  const out = child.output.join("");
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} exited ${code}:\n${out}`);
  return out;
}

/** Polls `check` until it returns a value (not undefined) or the timeout passes. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000, pollMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch {
      // not ready yet
    }
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Sends a JSON-RPC request. */
export async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(body.error.message);
  return body.result;
}

/**
 * Starts a Hardhat node on loopback and waits until it answers. It mines a block every `intervalMs` while
 * idle (and at once for each transaction), so chain time keeps pace with the clock; 0 mines only on
 * transactions. The node runs under a guard that ends it if this process dies.
 */
export async function startNode(
  port: number,
  opts: { intervalMs?: number } = {},
): Promise<ChildProcess & { output: string[]; url: string }> {
  const node = spawnProcess(
    process.execPath,
    [
      join(ROOT, "scripts", "lib", "guard.mjs"),
      join(BIN, "hardhat"),
      "node",
      "--hostname",
      "127.0.0.1",
      "--port",
      String(port),
    ],
    {},
    { group: true },
  ) as ChildProcess & { output: string[]; url: string };
  node.url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(() => rpc(node.url, "eth_chainId"), 60_000);
  } catch (error) {
    await kill(node, "SIGTERM");
    throw new Error(`the Hardhat node did not start on port ${port}:\n${node.output.join("").slice(-2000)}`, {
      cause: error,
    });
  }
  await setIntervalMining(node.url, opts.intervalMs ?? 1_000);
  return node;
}

/** Interval mining: a block every `ms` while idle (0: only when a transaction arrives). */
export async function setIntervalMining(url: string, ms: number): Promise<void> {
  await rpc(url, "evm_setIntervalMining", [ms]);
}

/** Sends a signal to a child (and, if it runs as a group, to everything it started): SIGSTOP freezes a node. */
export function signal(child: ChildProcess, s: NodeJS.Signals): void {
  if ((child as { group?: boolean }).group && child.pid) process.kill(-child.pid, s);
  else child.kill(s);
}

/** Kills a child process and waits for it to exit; SIGKILL if it is still running after `graceMs`. */
export async function kill(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL", graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const send = (s: NodeJS.Signals) => {
    try {
      if ((child as { group?: boolean }).group && child.pid) process.kill(-child.pid, s);
      else child.kill(s);
    } catch {
      // already gone
    }
  };
  send(signal);
  const timer = signal === "SIGKILL" ? undefined : setTimeout(() => send("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}
