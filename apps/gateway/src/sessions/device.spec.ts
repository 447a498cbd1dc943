import { addressPrefix, DEVICE_COOKIE, deviceCookieOf, deviceKeyOf } from './device';

describe('device identity', () => {
  describe(addressPrefix.name, () => {
    it.each([
      ['203.0.113.7', '203.0.113.0/24'],
      ['::ffff:203.0.113.7', '203.0.113.0/24'],
      ['2001:db8:85a3::8a2e:370:7334', '2001:db8:85a3::/48'],
      ['2001:0db8:0001:0002:0003:0004:0005:0006', '2001:db8:1::/48'],
      ['::1', '0:0:0::/48'],
      ['not an address', ''],
    ])('puts %s in %s', (ip, prefix) => {
      expect(addressPrefix(ip)).toBe(prefix);
    });
  });

  describe(deviceCookieOf.name, () => {
    const id = 'AbCdEfGhIjKlMnOpQrStUv';

    it('finds the device id among other cookies', () => {
      expect(deviceCookieOf(`theme=dark; ${DEVICE_COOKIE}=${id}; other=1`)).toBe(id);
    });

    it('ignores a missing, malformed or oversized id', () => {
      expect(deviceCookieOf(undefined)).toBeUndefined();
      expect(deviceCookieOf(`${DEVICE_COOKIE}=short`)).toBeUndefined();
      expect(deviceCookieOf(`${DEVICE_COOKIE}=${id}${id}`)).toBeUndefined();
      expect(deviceCookieOf(`${DEVICE_COOKIE}=${id.slice(1)};`)).toBeUndefined();
    });
  });

  describe(deviceKeyOf.name, () => {
    const api = { userAgent: 'python-keystoneclient', ip: '198.51.100.20' };

    it('knows an API client again from another address of the same /24', () => {
      expect(deviceKeyOf({ ...api, ip: '198.51.100.99' })).toBe(deviceKeyOf(api));
    });

    it('tells apart another network, another user agent, and a browser cookie', () => {
      const key = deviceKeyOf(api);

      expect(deviceKeyOf({ ...api, ip: '198.51.101.20' })).not.toBe(key);
      expect(deviceKeyOf({ ...api, userAgent: 'curl/8.5.0' })).not.toBe(key);
      expect(deviceKeyOf({ ...api, cookie: 'AbCdEfGhIjKlMnOpQrStUv' })).not.toBe(key);
    });

    it('knows a browser by its cookie wherever it signs in from', () => {
      const cookie = 'AbCdEfGhIjKlMnOpQrStUv';

      expect(deviceKeyOf({ cookie, userAgent: 'Firefox', ip: '192.0.2.1' })).toBe(
        deviceKeyOf({ cookie, userAgent: 'Firefox 2', ip: '203.0.113.1' }),
      );
    });

    it('keeps only a hash, never the cookie', () => {
      const cookie = 'AbCdEfGhIjKlMnOpQrStUv';

      expect(deviceKeyOf({ cookie, userAgent: null, ip: null })).not.toContain(cookie);
      expect(deviceKeyOf({ cookie, userAgent: null, ip: null })).toMatch(/^[A-Za-z0-9_-]{22}$/);
    });
  });
});
