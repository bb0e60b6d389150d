import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyReply } from "fastify";
import type { z } from "zod";
import { ErrorCode, type InternalizerError, QuoteDeclined, RequestRejected } from "../errors.js";

/** HTTP status of each refusal code. Declines of a quote request are answers (200), not errors. */
const STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.InvalidRequest]: 400,
  [ErrorCode.MalformedJson]: 400,
  [ErrorCode.WrongChain]: 400,
  [ErrorCode.SeriesUnknown]: 404,
  [ErrorCode.SeriesAmbiguous]: 400,
  [ErrorCode.SignatureInvalid]: 401,
  [ErrorCode.TokenMissing]: 401,
  [ErrorCode.TokenInvalid]: 401,
  [ErrorCode.AuthRequired]: 401,
  [ErrorCode.AuthInvalid]: 401,
  [ErrorCode.QuoteUnknown]: 404,
  [ErrorCode.OrderUnknown]: 404,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.MethodNotAllowed]: 405,
  [ErrorCode.RequestReplayed]: 409,
  [ErrorCode.OrderDuplicate]: 409,
  [ErrorCode.NonceUsed]: 409,
  [ErrorCode.OrderNotCancellable]: 409,
  [ErrorCode.RequestExpired]: 410,
  [ErrorCode.QuoteExpired]: 410,
  [ErrorCode.BodyTooLarge]: 413,
  [ErrorCode.UriTooLong]: 414,
  [ErrorCode.UnsupportedMediaType]: 415,
  [ErrorCode.QuoteMismatch]: 422,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.Busy]: 429,
  [ErrorCode.HeadersTooLarge]: 431,
  [ErrorCode.ChainUnavailable]: 503,
  [ErrorCode.HedgeUnavailable]: 409,
};

/** Fastify's own error codes, as refusals in the API's shape. */
export const FRAMEWORK_CODES: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: ErrorCode.BodyTooLarge, message: "the body is too large" },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: ErrorCode.UnsupportedMediaType,
    message: "send the body as application/json",
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: ErrorCode.InvalidRequest, message: "the content length is wrong" },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: ErrorCode.MalformedJson, message: "the body is empty" },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: ErrorCode.MalformedJson, message: "the body is not valid JSON" },
  FST_ERR_BAD_URL: { code: ErrorCode.InvalidRequest, message: "the URL is not valid" },
  FST_ERR_MAX_PARAM_LENGTH: { code: ErrorCode.UriTooLong, message: "a path parameter is too long" },
  FST_ERR_ASYNC_CONSTRAINT: { code: ErrorCode.InvalidRequest, message: "the request does not match a route" },
  FST_ERR_CTP_INVALID_TYPE: { code: ErrorCode.UnsupportedMediaType, message: "unsupported content type" },
};

/** The HTTP status of a refusal. */
export function statusOf(error: InternalizerError): number {
  return STATUS[error.code] ?? (error instanceof QuoteDeclined ? 422 : 400);
}

/** The API's error body. Messages are the server's own words: nothing the client sent is echoed back. */
export function errorBody(error: InternalizerError) {
  return {
    error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
  };
}

export function send(reply: FastifyReply, error: InternalizerError) {
  if (error.code === ErrorCode.RateLimited) reply.header("retry-after", String(error.details?.retryAfterSeconds ?? 1));
  return reply.status(statusOf(error)).send(errorBody(error));
}

/** Parses with a zod schema; a mismatch is a 400 INVALID_REQUEST naming the fields, not their values. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new RequestRejected(ErrorCode.InvalidRequest, "invalid request", {
      details: {
        issues: r.error.issues.slice(0, 20).map((i) => ({ path: i.path.join("."), message: i.message.slice(0, 200) })),
      },
    });
  }
  return r.data;
}

/**
 * Errors Node's HTTP parser raises before Fastify sees a request (headers too large, a malformed request
 * line, a timeout), answered in the API's error shape on the raw socket.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const [status, code, message] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? [431, ErrorCode.HeadersTooLarge, "the request headers are too large"]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, ErrorCode.InvalidRequest, "the request took too long to arrive"]
        : [400, ErrorCode.InvalidRequest, "the request is not valid HTTP"];
  const body = JSON.stringify({ error: { code, message } });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/**
 * The API's JSON body parser. Fastify's own drops the reason for a refusal (every failure is "invalid JSON"),
 * so this one says which: an empty body, text that is not JSON, or valid JSON with a `__proto__` key or a
 * `constructor.prototype` (prototype poisoning, refused as Fastify's parser refuses it).
 */
export function parseJsonBody(text: string): unknown {
  if (text.length === 0) throw new RequestRejected(ErrorCode.MalformedJson, "the body is empty");
  const poisoned = () =>
    new RequestRejected(ErrorCode.InvalidRequest, "the body may not use __proto__ or constructor keys");
  // Without a backslash no key can be escaped, so a body that never spells either key cannot hold one:
  // parse it without the reviver (which costs more than the parse itself).
  if (!text.includes("\\") && !text.includes("__proto__") && !text.includes("constructor")) {
    try {
      return JSON.parse(text);
    } catch {
      throw new RequestRejected(ErrorCode.MalformedJson, "the body is not valid JSON");
    }
  }
  let forbidden = false;
  let value: unknown;
  try {
    value = JSON.parse(text, (key, v: unknown) => {
      if (
        key === "__proto__" ||
        (key === "constructor" && v !== null && typeof v === "object" && Object.hasOwn(v, "prototype"))
      )
        forbidden = true;
      return v;
    });
  } catch {
    throw new RequestRejected(ErrorCode.MalformedJson, "the body is not valid JSON");
  }
  if (forbidden) throw poisoned();
  return value;
}
