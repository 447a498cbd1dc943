import { ERROR_CODES } from '@twofold/contracts';
import { codeOfHttpStatus, HTTP_STATUS_OF } from './error-status';

describe('HTTP_STATUS_OF', () => {
  it('gives every error code a 4xx or 5xx status', () => {
    for (const code of ERROR_CODES) {
      expect(HTTP_STATUS_OF[code]).toBeGreaterThanOrEqual(400);
      expect(HTTP_STATUS_OF[code]).toBeLessThan(600);
    }
  });

  it('answers a wrong login and a missing session with 401, a dependency outage with 503', () => {
    expect(HTTP_STATUS_OF.invalid_credentials).toBe(401);
    expect(HTTP_STATUS_OF.unauthenticated).toBe(401);
    expect(HTTP_STATUS_OF.service_unavailable).toBe(503);
  });
});

describe(codeOfHttpStatus.name, () => {
  it('maps framework statuses to the codes clients already handle', () => {
    expect(codeOfHttpStatus(400)).toBe('validation_failed');
    expect(codeOfHttpStatus(404)).toBe('not_found');
    expect(codeOfHttpStatus(413)).toBe('payload_too_large');
    expect(codeOfHttpStatus(415)).toBe('unsupported_media_type');
    expect(codeOfHttpStatus(502)).toBe('internal');
  });

  it('agrees with HTTP_STATUS_OF for the statuses both know', () => {
    for (const status of [400, 401, 403, 404, 413, 415, 503]) {
      expect(HTTP_STATUS_OF[codeOfHttpStatus(status)]).toBe(status);
    }
  });
});
