import { deviceName } from './device-name';

describe('deviceName', () => {
  it.each([
    ['Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', 'Firefox on Linux'],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
      'Safari on macOS',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      'Chrome on Windows',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
      'Mobile Safari on iOS',
    ],
  ])('names a browser by browser and system: %s', (ua, name) => {
    expect(deviceName(ua)).toBe(name);
  });

  it.each([
    ['curl/8.5.0', 'curl 8.5.0'],
    [
      'python-keystoneclient keystoneauth1/5.8.0 python-requests/2.32.3 CPython/3.12.8',
      'python-keystoneclient',
    ],
    ['keystoneauth1/5.8.0 python-requests/2.32.3 CPython/3.12.8', 'keystoneauth1 5.8.0'],
    ['node', 'node'],
  ])('names another client by its first product: %s', (ua, name) => {
    expect(deviceName(ua)).toBe(name);
  });

  it('says so when the user agent says nothing usable', () => {
    expect(deviceName(undefined)).toBe('Unknown device');
    expect(deviceName('   ')).toBe('Unknown device');
    expect(deviceName('(((')).toBe('Unknown device');
  });

  it('keeps a long or odd user agent to a short printable name', () => {
    const name = deviceName(`${'x'.repeat(300)}\u0000\n/1`);
    expect(name.length).toBeLessThanOrEqual(80);
    expect([...name].every((c) => (c >= ' ' && c <= '~') || c === '…')).toBe(true);
  });
});
