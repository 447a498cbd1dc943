import { type ErrorCode } from '@twofold/contracts';

/** Every error code's HTTP status. The compiler refuses a new code until it is mapped here. */
export const HTTP_STATUS_OF = {
  validation_failed: 400,
  invalid_credentials: 401,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  account_name_taken: 409,
  login_taken: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  service_unavailable: 503,
  internal: 500,
} as const satisfies Record<ErrorCode, number>;

/** The code to report for an HTTP-level failure raised by the framework itself (bad JSON, no route). */
export function codeOfHttpStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'validation_failed';
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
    case 405:
      return 'not_found';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 503:
      return 'service_unavailable';
    default:
      return status >= 500 ? 'internal' : 'validation_failed';
  }
}
