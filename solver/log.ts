import { type Logger, pino } from "pino";

export type { Logger };

/** JSON logs on stderr (stdout stays free for command output). Child loggers carry per-order context. */
export function createLogger(level: string = process.env.LOG_LEVEL ?? "info", name = "internalizer"): Logger {
  return pino({ name, level, base: { pid: process.pid } }, pino.destination(2));
}

/** A logger that discards everything, for tests and quiet tools. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
