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
import { unexpectedError } from '@twofold/platform';
import { PinoLogger } from 'nestjs-pino';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config';

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

/** Keystone's refusal by a policy rule, which it names. */
export const notAuthorized = (rule: string): DomainError =>
  new DomainError('forbidden', `You are not authorized to perform the requested action: ${rule}.`);

/** What Keystone's v3 API authenticates with here (named in the answer to any other). */
export const KEYSTONE_AUTH_METHODS = ['password', 'totp', 'application_credential'] as const;

/** Keystone's generic answer: it never says whether the user, the password or the code was wrong. */
export const REQUIRES_AUTHENTICATION = 'The request you have made requires authentication.';

interface KeystonePresentation {
  status: number;
  /** Keystone's own words; without, the error's message (written for Keystone where only it throws). */
  message?: string;
  /** Keystone's `identity` member of some 401 bodies. */
  identity?: Record<string, unknown>;
}

// Identity failures all read the same (no user enumeration); the back-off, locks and forced reset keep
// their words, since only someone who already passed the password can meet them.
export const KEYSTONE_ERROR_OF = {
  validation_failed: { status: 400 },
  unsupported_auth_method: {
    status: 401,
    message: 'Attempted to authenticate with an unsupported method.',
    identity: { methods: KEYSTONE_AUTH_METHODS },
  },
  scope_not_allowed: { status: 401, identity: {} },
  invalid_credentials: { status: 401, message: REQUIRES_AUTHENTICATION },
  unauthenticated: { status: 401, message: REQUIRES_AUTHENTICATION },
  invalid_code: { status: 401, message: REQUIRES_AUTHENTICATION },
  mfa_token_invalid: { status: 401, message: 'Could not find auth receipt.' },
  not_found: { status: 404 },
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
  passkey_refused: { status: 401, message: REQUIRES_AUTHENTICATION },
  passkey_already_registered: { status: 409 },
  passkeys_unavailable: { status: 501 },
  // Only after the password: an OpenStack client cannot do WebAuthn, and is told what it can do.
  phishing_resistant_factor_required: { status: 401 },
  second_factor_not_allowed: { status: 401 },
  no_authenticator_app: { status: 401 },
  payload_too_large: { status: 413 },
  unsupported_media_type: { status: 400, message: 'Expecting to find auth in request body.' },
  service_unavailable: { status: 503 },
  internal: { status: 500 },
} as const satisfies Record<ErrorCode, KeystonePresentation>;

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
    if (exception instanceof DomainError) {
      const mapped: KeystonePresentation = KEYSTONE_ERROR_OF[exception.code];
      return {
        status: mapped.status,
        message: mapped.message ?? exception.message,
        extra: mapped.identity ? { identity: mapped.identity } : {},
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
    const internal = unexpectedError(this.logger, exception, req.id, 'Unhandled error on the Identity API');
    return { status: 500, message: internal.message, extra: {} };
  }
}

export function identityV3Url(req: FastifyRequest, publicUrl?: string): string {
  return `${identityBaseUrl(req, publicUrl)}/v3`;
}

/** KEYSTONE_PUBLIC_URL when configured (behind a proxy), otherwise the URL the client reached. */
export function identityBaseUrl(req: FastifyRequest, publicUrl?: string): string {
  return publicUrl ?? `${req.protocol}://${req.host}/identity`;
}
