import { ROUTES } from '@twofold/contracts';
import { AppModule } from '../app.module';
import { Route, type RouteHandlers, type RouteInput, unboundRoutes } from './route';

const R = ROUTES.twoFactor;

describe('the routes of the contract', () => {
  it('are each mapped by a controller of the gateway', () => {
    expect(AppModule).toBeDefined();
    expect(unboundRoutes()).toEqual([]);
  });

  it('are implemented in their shape, or the gateway does not compile', () => {
    // Each @ts-expect-error below fails `npm run typecheck` once the compiler stops refusing its line.
    class TakesAnotherBody implements Pick<RouteHandlers<typeof R>, 'test'> {
      // @ts-expect-error: the body of POST /me/two-factor/test has `code`, not `password`.
      test({ body }: { body: { password: string } }) {
        return { valid: body.password.length > 0 };
      }
    }
    class AnswersAnotherShape {
      // @ts-expect-error: the answer of that route is `{ valid: boolean }`.
      @Route(R.test)
      test({ body }: RouteInput<typeof R.test>) {
        return { valid: body.code };
      }
    }
    expect([TakesAnotherBody, AnswersAnotherShape]).toHaveLength(2);
  });
});
