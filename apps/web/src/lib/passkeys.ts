import {
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  startAuthentication,
  startRegistration,
  WebAuthnAbortService,
} from '@simplewebauthn/browser';
import type {
  AuthenticationResponse,
  CreationOptions,
  RegistrationResponse,
  RequestOptions,
} from '@twofold/contracts';

export const passkeysSupported = (): boolean => browserSupportsWebAuthn();
export const autofillSupported = (): Promise<boolean> => browserSupportsWebAuthnAutofill();

/** The browser's ceremonies (@simplewebauthn/browser); a cancelled prompt answers undefined. */
export async function createPasskey(options: CreationOptions): Promise<RegistrationResponse | undefined> {
  return cancelled(
    () => startRegistration({ optionsJSON: options as never }) as Promise<RegistrationResponse>,
  );
}

export async function usePasskey(
  options: RequestOptions,
  autofill = false,
): Promise<AuthenticationResponse | undefined> {
  return cancelled(
    () =>
      startAuthentication({
        optionsJSON: options as never,
        useBrowserAutofill: autofill,
      }) as Promise<AuthenticationResponse>,
  );
}

/** Ends a pending autofill prompt (leaving the screen, or starting another ceremony). */
export const stopPasskeyPrompt = (): void => WebAuthnAbortService.cancelCeremony();

async function cancelled<T>(ceremony: () => Promise<T>): Promise<T | undefined> {
  try {
    return await ceremony();
  } catch (error) {
    // The member closed the prompt, or another ceremony replaced it: nothing to report.
    if (error instanceof Error && (error.name === 'NotAllowedError' || error.name === 'AbortError')) {
      return undefined;
    }
    throw error;
  }
}
