import type { ErrorCode, HttpRoute, RouteAt, RouteKey, RouteRequest, RouteResult } from '@twofold/contracts';

/** What step_up_required asks for: the code (or, without 2FA, the password) within so many seconds. */
export interface StepUpNeed {
  with: 'code' | 'password';
  maxAgeSeconds: number;
  passkey?: boolean;
}

export interface FieldProblem {
  path: string;
  message: string;
}

/** A refusal of the API, by its `code`; `network` when the gateway could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network',
    message: string,
    readonly retryAfterSeconds?: number,
    readonly details: readonly FieldProblem[] = [],
    readonly stepUp?: StepUpNeed,
  ) {
    super(message);
  }
}

export interface ClientOptions {
  /** Where the gateway answers; '' for the page's own origin. */
  baseUrl?: string;
  /** Sent as a bearer token, never in a URL. */
  token?: () => string | null;
  /** The token was refused: the session ended (signed out elsewhere, expired, revoked). */
  onSessionEnded?: () => void;
  /** Resolves true once the member stepped up; the change is then sent again, once. */
  onStepUp?: (need: StepUpNeed) => Promise<boolean>;
  fetch?: typeof fetch;
}

type RequestArgs<R extends HttpRoute> =
  Record<string, never> extends RouteRequest<R> ? [request?: RouteRequest<R>] : [request: RouteRequest<R>];

export interface Client {
  /** `call('POST /api/v1/me/two-factor/test', { body: { code } })`: checked against the contract. */
  call<K extends RouteKey>(route: K, ...request: RequestArgs<RouteAt<K>>): Promise<RouteResult<RouteAt<K>>>;
}

interface AnyRequest {
  body?: unknown;
  params?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined>;
}

const STEP_UP = 'POST /api/v1/auth/step-up';

/** The URL of a route: each `:name` from params (encoded), the query's defined values. */
export function urlOf(route: string, request: AnyRequest = {}): { method: string; url: string } {
  const [method = 'GET', template = '/'] = route.split(' ');
  const path = template.replace(/:(\w+)/g, (_, name: string) => {
    const value = request.params?.[name];
    if (value === undefined) throw new TypeError(`${route} needs the path parameter ${name}`);
    return encodeURIComponent(value);
  });
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) query.set(name, String(value));
  }
  const search = query.toString();
  return { method, url: search ? `${path}?${search}` : path };
}

/** A typed client of the gateway's REST API, for browsers and any runtime with fetch. */
export function createClient(options: ClientOptions = {}): Client {
  const { baseUrl = '', token = () => null, onSessionEnded, onStepUp } = options;
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));

  async function send(route: string, request: AnyRequest, again: boolean): Promise<unknown> {
    const { method, url } = urlOf(route, request);
    const headers: Record<string, string> = { accept: 'application/json' };
    const bearer = token();
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetchImpl(`${baseUrl}${url}`, {
        method,
        headers,
        body: request.body === undefined ? null : JSON.stringify(request.body),
        // The only cookie is the device cookie of the sign-in routes (HttpOnly, grants nothing).
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, 'network', 'The server cannot be reached.');
    }
    const text = await res.text();
    const parsed: unknown = text ? safeJson(text) : undefined;
    if (res.ok) return parsed;
    const error = (
      parsed as
        | { error?: { code?: ErrorCode; message?: string; details?: FieldProblem[]; stepUp?: StepUpNeed } }
        | undefined
    )?.error;
    const retryAfter = Number(res.headers.get('retry-after'));
    const problem = new ApiError(
      res.status,
      error?.code ?? 'internal',
      error?.message ?? `The server answered ${res.status}.`,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
      error?.details ?? [],
      error?.stepUp,
    );
    if (problem.code === 'unauthenticated' && bearer) onSessionEnded?.();
    if (problem.code === 'step_up_required' && problem.stepUp && onStepUp && !again && route !== STEP_UP) {
      if (await onStepUp(problem.stepUp)) return send(route, request, true);
    }
    throw problem;
  }

  return {
    call: (route, ...[request]) => send(route, request ?? {}, false) as Promise<never>,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
