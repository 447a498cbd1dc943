import { webauthnSettings } from './webauthn-settings';

describe('webauthnSettings', () => {
  const rpName = 'Twofold';

  it('takes the relying party and the origin from PUBLIC_URL', () => {
    expect(webauthnSettings({ PUBLIC_URL: 'https://id.example.com', rpName })).toEqual({
      enabled: true,
      rpId: 'id.example.com',
      rpName,
      origins: ['https://id.example.com'],
    });
    expect(webauthnSettings({ PUBLIC_URL: 'http://localhost:8080', rpName })).toMatchObject({
      rpId: 'localhost',
      origins: ['http://localhost:8080'],
    });
  });

  it('turns passkeys off for an IP address, which browsers refuse as a relying party', () => {
    for (const PUBLIC_URL of ['http://127.0.0.1:8080', 'http://[::1]:8080']) {
      expect(webauthnSettings({ PUBLIC_URL, rpName })).toMatchObject({ enabled: false });
    }
  });

  it('lets the relying party be a parent domain of several origins', () => {
    expect(
      webauthnSettings({
        PUBLIC_URL: 'https://id.example.com',
        WEBAUTHN_RP_ID: 'example.com',
        WEBAUTHN_ORIGINS: ['https://id.example.com', 'https://console.example.com'],
        rpName,
      }),
    ).toMatchObject({ enabled: true, rpId: 'example.com' });
  });

  it('refuses an origin outside the relying party, or with a path, naming the variable only', () => {
    const outside = webauthnSettings({
      PUBLIC_URL: 'https://id.example.com',
      WEBAUTHN_ORIGINS: ['https://evil.example.net'],
      rpName,
    });
    expect(outside).toEqual({
      problems: [
        'WEBAUTHN_ORIGINS: each must be on the relying party (WEBAUTHN_RP_ID) or one of its subdomains',
      ],
    });
    expect(
      webauthnSettings({
        PUBLIC_URL: 'https://id.example.com',
        WEBAUTHN_ORIGINS: ['https://id.example.com/app'],
        rpName,
      }),
    ).toMatchObject({ problems: [expect.stringContaining('no path')] });
  });
});
