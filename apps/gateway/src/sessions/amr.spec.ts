import { amrOf } from './session';

/** RFC 8176's authentication method reference values of a session, from the methods it proved. */
describe(amrOf.name, () => {
  it('names a password and a code pwd and otp', () => {
    expect(amrOf(['password'])).toEqual(['pwd']);
    expect(amrOf(['password', 'totp'])).toEqual(['pwd', 'otp']);
  });

  it('names a passkey by where its key lives: hwk on one device, swk synced', () => {
    expect(amrOf(['password', 'webauthn'], 'hwk')).toEqual(['pwd', 'hwk']);
    expect(amrOf(['password', 'webauthn'], 'swk')).toEqual(['pwd', 'swk']);
  });

  it('adds mfa for a passkey alone, which verified its user', () => {
    expect(amrOf(['passkey'], 'swk')).toEqual(['swk', 'mfa']);
  });

  it('says nothing of an application credential, which proves no factor of a person', () => {
    expect(amrOf(['application_credential'])).toEqual([]);
  });
});
