import type { ErrorCode } from '@twofold/contracts';
import type { ProblemLike } from './format';

export class ApiError extends Error implements ProblemLike {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network',
    message: string,
    readonly retryAfterSeconds?: number,
    readonly details: readonly { path: string; message: string }[] = [],
    readonly stepUp?: StepUpNeed,
  ) {
    super(message);
  }
}

export interface StepUpNeed {
  with: 'code' | 'password';
  maxAgeSeconds: number;
}

export interface Api {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body?: unknown): Promise<T>;
  del<T>(path: string): Promise<T>;
}

interface ApiOptions {
  /** Sent as a bearer token, never in a URL. */
  token: () => string | null;
  onSessionEnded: () => void;
  /** Resolves true once the member stepped up; the change is then sent again, once. */
  onStepUp?: (need: StepUpNeed) => Promise<boolean>;
  fetch?: typeof fetch;
}

const STEP_UP_PATH = '/auth/step-up';

export function createApi({ token, onSessionEnded, onStepUp, fetch: fetchImpl = fetch }: ApiOptions): Api {
  async function call<T>(method: string, path: string, body?: unknown, again = false): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const bearer = token();
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetchImpl(`/api/v1${path}`, {
        method,
        headers,
        body: body === undefined ? null : JSON.stringify(body),
        // The only cookie is the device cookie of the sign-in routes (HttpOnly, grants nothing):
        // it tells the member of sign-ins from new browsers. The session is the bearer token.
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, 'network', 'The server cannot be reached.');
    }
    const text = await res.text();
    const parsed: unknown = text ? safeJson(text) : undefined;
    if (res.ok) return parsed as T;
    const error = (
      parsed as {
        error?: { code?: ErrorCode; message?: string; details?: ApiError['details']; stepUp?: StepUpNeed };
      }
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
    if (problem.code === 'unauthenticated' && bearer) onSessionEnded();
    if (
      problem.code === 'step_up_required' &&
      problem.stepUp &&
      onStepUp &&
      !again &&
      path !== STEP_UP_PATH
    ) {
      if (await onStepUp(problem.stepUp)) return call<T>(method, path, body, true);
    }
    throw problem;
  }
  return {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
    put: (path, body) => call('PUT', path, body),
    patch: (path, body) => call('PATCH', path, body),
    del: (path) => call('DELETE', path),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
