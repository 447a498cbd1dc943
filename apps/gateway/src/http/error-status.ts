import { type ErrorCode } from '@twofold/contracts';

/** Every error code's HTTP status. The compiler refuses a new code until it is mapped here. */
export const HTTP_STATUS_OF = {
  validation_failed: 400,
  unsupported_auth_method: 400,
  scope_not_allowed: 400,
  invalid_credentials: 401,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  account_name_taken: 409,
  login_taken: 409,
  application_credential_name_taken: 409,
  invalid_code: 401,
  code_already_used: 401,
  too_many_attempts: 429,
  second_factor_locked: 423,
  sign_in_locked: 423,
  use_me_route: 403,
  mfa_token_invalid: 401,
  second_factor_session_required: 403,
  two_factor_required: 403,
  step_up_required: 403,
  two_factor_not_enabled: 409,
  two_factor_already_enabled: 409,
  two_factor_required_by_policy: 409,
  enrollment_not_found: 409,
  link_invalid: 400,
  second_factor_required: 401,
  password_reset_required: 403,
  application_credential_unconfirmed: 401,
  email_not_verified: 409,
  passkey_refused: 401,
  passkey_already_registered: 409,
  passkeys_unavailable: 501,
  phishing_resistant_factor_required: 403,
  second_factor_not_allowed: 403,
  no_authenticator_app: 400,
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
    case 429:
      return 'too_many_attempts';
    case 503:
      return 'service_unavailable';
    default:
      return status >= 500 ? 'internal' : 'validation_failed';
  }
}
