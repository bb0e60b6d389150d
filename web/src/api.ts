/**
 * The solver's API from the page: same origin, JSON in and out, every refusal an `ApiError` with the API's code
 * (`{"error":{"code","message","details"}}`). The admin token lives only in this tab's sessionStorage and is
 * sent only by `admin*` calls: the trader's pages never read it.
 */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

const TOKEN_KEY = "internalizer.adminToken";

export const adminToken = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

async function request<T>(method: string, path: string, body?: unknown, token?: string | null): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  } catch (cause) {
    throw new ApiError("API_UNAVAILABLE", `the solver's API cannot be reached (${String(cause)})`, 0);
  }
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    if (!res.ok) throw new ApiError("HTTP_ERROR", `HTTP ${res.status}`, res.status);
    return text as T;
  }
  const error = (parsed as { error?: { code: string; message: string; details?: unknown } } | null)?.error;
  if (!res.ok || error) {
    throw new ApiError(error?.code ?? "HTTP_ERROR", error?.message ?? `HTTP ${res.status}`, res.status, error?.details);
  }
  return parsed as T;
}

export const api = {
  get: <T>(path: string) => request<T>("GET", path),
  post: <T>(path: string, body?: unknown) => request<T>("POST", path, body),
};

function requireToken(): string {
  const token = adminToken.get();
  if (!token) throw new ApiError("ADMIN_TOKEN_MISSING", "enter the admin token to use the operator's pages", 401);
  return token;
}

export const admin = {
  get: <T>(path: string) => request<T>("GET", path, undefined, requireToken()),
  post: <T>(path: string, body?: unknown) => request<T>("POST", path, body ?? {}, requireToken()),
  put: <T>(path: string, body: unknown) => request<T>("PUT", path, body, requireToken()),
};
