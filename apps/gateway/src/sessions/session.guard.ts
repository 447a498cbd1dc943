import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { DomainError } from '@twofold/contracts';
import { type RequestMeta } from '@twofold/platform';
import { type FastifyRequest } from 'fastify';
import { requestMetaOf } from '../http/request-meta';
import { type Session } from './session';
import { SessionStore } from './session.store';

export interface Authenticated {
  token: string;
  session: Session;
  /** Who asked (for the RPC calls the request makes). */
  meta: RequestMeta;
}

type RequestWithSession = FastifyRequest & { auth?: Authenticated };

/** `Authorization: Bearer <token>`, or Keystone's `X-Auth-Token: <token>`. */
export function presentedToken(req: FastifyRequest): string | undefined {
  const authorization = req.headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+([A-Za-z0-9_-]{16,128})$/i.exec(authorization.trim());
    return match?.[1];
  }
  const xAuth = req.headers['x-auth-token'];
  return typeof xAuth === 'string' && /^[A-Za-z0-9_-]{16,128}$/.test(xAuth) ? xAuth : undefined;
}

@Injectable()
export class SessionGuard implements CanActivate {
  constructor(private readonly sessions: SessionStore) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<RequestWithSession>();
    const token = presentedToken(req);
    const session = token ? await this.sessions.resolve(token) : undefined;
    if (!token || !session) {
      throw new DomainError(
        'unauthenticated',
        'A valid session token is required (Authorization: Bearer <token>).',
      );
    }
    req.auth = { token, session, meta: requestMetaOf(req) };
    return true;
  }
}
