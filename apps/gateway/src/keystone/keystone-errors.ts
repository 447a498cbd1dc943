import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Inject,
  Injectable,
} from '@nestjs/common';
import { DomainError, type ErrorCode } from '@twofold/contracts';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config';

export class KeystoneError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 429 | 503,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  423: 'Locked',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const NOT_AUTHORIZED = 'You are not authorized to perform the requested action.';

export const notAuthorized = (rule: string): KeystoneError =>
  new KeystoneError(403, `You are not authorized to perform the requested action: ${rule}.`);

/** Keystone's generic answer: it never says whether the user, the password or the code was wrong. */
export const REQUIRES_AUTHENTICATION = 'The request you have made requires authentication.';

// Identity failures all read the same (no user enumeration); the back-off, locks and forced reset keep
// their words, since only someone who already passed the password can meet them.
export const KEYSTONE_ERROR_OF = {
  validation_failed: { status: 400 },
  invalid_credentials: { status: 401, message: REQUIRES_AUTHENTICATION },
  unauthenticated: { status: 401, message: REQUIRES_AUTHENTICATION },
  invalid_code: { status: 401, message: REQUIRES_AUTHENTICATION },
  mfa_token_invalid: { status: 401, message: REQUIRES_AUTHENTICATION },
  not_found: { status: 401, message: REQUIRES_AUTHENTICATION },
  two_factor_not_enabled: { status: 401, message: REQUIRES_AUTHENTICATION },
  code_already_used: { status: 401 },
  second_factor_locked: { status: 401 },
  sign_in_locked: { status: 401 },
  use_me_route: { status: 403 },
  too_many_attempts: { status: 429 },
  forbidden: { status: 403 },
  second_factor_session_required: { status: 403 },
  step_up_required: { status: 403 },
  two_factor_required: { status: 401 },
  account_name_taken: { status: 409 },
  login_taken: { status: 409 },
  application_credential_name_taken: { status: 409 },
  two_factor_already_enabled: { status: 409 },
  two_factor_required_by_policy: { status: 409 },
  enrollment_not_found: { status: 409 },
  link_invalid: { status: 400 },
  second_factor_required: { status: 401, message: REQUIRES_AUTHENTICATION },
  password_reset_required: { status: 401 },
  application_credential_unconfirmed: { status: 401 },
  email_not_verified: { status: 409 },
  payload_too_large: { status: 413 },
  unsupported_media_type: { status: 400, message: 'Expecting to find auth in request body.' },
  service_unavailable: { status: 503 },
  internal: { status: 500 },
} as const satisfies Record<ErrorCode, { status: number; message?: string }>;

/** Keystone's error body, and on 401 the `WWW-Authenticate` header its clients look for. */
@Catch()
@Injectable()
export class KeystoneErrorFilter implements ExceptionFilter {
  constructor(
    private readonly logger: PinoLogger,
    @Inject(GATEWAY_CONFIG) private readonly config: Pick<GatewayConfig, 'KEYSTONE_PUBLIC_URL'>,
  ) {
    this.logger.setContext(KeystoneErrorFilter.name);
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    const { status, message, extra, retryAfter } = this.describe(exception, req);
    if (status === 401)
      void reply.header(
        'www-authenticate',
        `Keystone uri="${identityV3Url(req, this.config.KEYSTONE_PUBLIC_URL)}"`,
      );
    if (retryAfter) void reply.header('retry-after', String(retryAfter));
    void reply
      .status(status)
      .send({ error: { code: status, ...extra, message, title: TITLES[status] ?? 'Error' } });
  }

  private describe(
    exception: unknown,
    req: FastifyRequest,
  ): {
    status: number;
    message: string;
    extra: Record<string, unknown>;
    retryAfter?: number;
  } {
    if (exception instanceof KeystoneError)
      return { status: exception.status, message: exception.message, extra: exception.extra };
    if (exception instanceof DomainError) {
      const mapped: { status: number; message?: string } = KEYSTONE_ERROR_OF[exception.code];
      return {
        status: mapped.status,
        message: mapped.message ?? exception.message,
        extra: {},
        ...(exception.retryAfterSeconds ? { retryAfter: exception.retryAfterSeconds } : {}),
      };
    }
    const status =
      exception instanceof HttpException
        ? exception.getStatus()
        : (exception as { statusCode?: number }).statusCode;
    if (status === 404) {
      // Keystone's own 404 names what it could not find; a path is what is missing here.
      const path = req.url
        .split('?')[0]
        .replace(/[^\x20-\x7e]/g, '')
        .slice(0, 200);
      return { status, message: `The resource could not be found: ${req.method} ${path}.`, extra: {} };
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const message =
        status === 400
          ? 'Expecting to find valid JSON in request body. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.'
          : 'The request could not be read.';
      return { status: status === 415 ? 400 : status, message, extra: {} };
    }
    const errorId = randomUUID();
    this.logger.error({ reqId: req.id, err: exception, errorId }, 'Unhandled error on the Identity API');
    return { status: 500, message: `An unexpected error occurred (errorId ${errorId}).`, extra: {} };
  }
}

export function identityV3Url(req: FastifyRequest, publicUrl?: string): string {
  return `${identityBaseUrl(req, publicUrl)}/v3`;
}

/** KEYSTONE_PUBLIC_URL when configured (behind a proxy), otherwise the URL the client reached. */
export function identityBaseUrl(req: FastifyRequest, publicUrl?: string): string {
  return publicUrl ?? `${req.protocol}://${req.host}/identity`;
}
