import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { runInRequest } from '@twofold/platform';
import { type FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';

/** Makes the request's id, client IP and user agent the context of everything the handler does. */
@Injectable()
export class RequestMetaInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const userAgent = req.headers['user-agent'];
    const meta = {
      requestId: req.id,
      ip: req.ip || null,
      userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 512) : null,
    };
    return new Observable((subscriber) => runInRequest(meta, () => next.handle().subscribe(subscriber)));
  }
}
