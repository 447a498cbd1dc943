import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@twofold/platform';
import { loadGatewayConfig } from '../config/gateway-config';
import { catalogBody } from './keystone-presenter';
import { endpointUrlFor, readServiceCatalog } from './service-catalog';

const file = (name: string, text: string): string => {
  const path = join(mkdtempSync(join(tmpdir(), 'catalog-')), name);
  writeFileSync(path, text);
  return path;
};

const SWIFT_YAML = `
- type: object-store
  name: swift
  endpoints:
    - { interface: public, region: RegionTwo, url: "https://swift.example.com/v1/AUTH_%(project_id)s" }
    - { interface: internal, url: "http://swift.internal:8080/v1/AUTH_$(tenant_id)s" }
- type: compute
  name: nova
  endpoints:
    - { interface: public, region_id: RegionOne, url: https://nova.example.com/v2.1 }
`;

const problemOf = (path: string): string => {
  try {
    readServiceCatalog(path);
  } catch (error) {
    return (error as Error).message;
  }
  return 'no problem';
};

describe(readServiceCatalog.name, () => {
  it('reads Keystone’s catalog shape from YAML', () => {
    expect(readServiceCatalog(file('catalog.yaml', SWIFT_YAML))).toEqual([
      {
        type: 'object-store',
        name: 'swift',
        endpoints: [
          {
            interface: 'public',
            region: 'RegionTwo',
            url: 'https://swift.example.com/v1/AUTH_%(project_id)s',
          },
          { interface: 'internal', url: 'http://swift.internal:8080/v1/AUTH_$(tenant_id)s' },
        ],
      },
      {
        type: 'compute',
        name: 'nova',
        endpoints: [{ interface: 'public', region: 'RegionOne', url: 'https://nova.example.com/v2.1' }],
      },
    ]);
  });

  it('reads JSON too', () => {
    const json = JSON.stringify([
      { type: 'image', name: 'glance', endpoints: [{ interface: 'public', url: 'http://glance:9292' }] },
    ]);

    expect(readServiceCatalog(file('catalog.json', json))).toHaveLength(1);
  });

  it.each([
    [
      'an unknown interface',
      '[{type: a, name: b, endpoints: [{interface: private, url: "http://x"}]}]',
      '0.endpoints.0.interface must be public, internal or admin',
    ],
    [
      'a URL that is not http(s)',
      '[{type: a, name: b, endpoints: [{interface: public, url: "ftp://x"}]}]',
      '0.endpoints.0.url must be an http:// or https:// URL',
    ],
    [
      'an unknown placeholder',
      '[{type: a, name: b, endpoints: [{interface: public, url: "http://x/%(user_id)s"}]}]',
      'may contain only the %(project_id)s',
    ],
    [
      'the identity service, which is Twofold itself',
      '[{type: identity, name: keystone, endpoints: [{interface: public, url: "http://x"}]}]',
      'identity is Twofold itself',
    ],
    ['a service without endpoints', '[{type: a, name: b, endpoints: []}]', 'must list at least one endpoint'],
    [
      'an unknown field',
      '[{type: a, name: b, endpoints: [{interface: public, url: "http://x"}], colour: red}]',
      'colour',
    ],
    ['text that is not YAML', '[{type: a', 'is not YAML or JSON'],
  ])('refuses %s in one line naming the file and the place', (_what, text, expected) => {
    const path = file('bad.yaml', text);

    const problem = problemOf(path);

    expect(problem).toContain(path);
    expect(problem).toContain(expected);
    expect(problem.split('\n')).toHaveLength(1);
  });

  it('says when the file cannot be read', () => {
    expect(problemOf('/nonexistent/catalog.yaml')).toBe('cannot read the file /nonexistent/catalog.yaml');
  });

  it('stops the gateway at start-up with a line naming KEYSTONE_CATALOG_FILE', () => {
    const path = file(
      'bad.yaml',
      '[{type: identity, name: x, endpoints: [{interface: public, url: "http://x"}]}]',
    );
    let problems: string[] = [];
    try {
      loadGatewayConfig({ KEYSTONE_CATALOG_FILE: path });
    } catch (error) {
      if (error instanceof ConfigError) problems = error.problems;
    }

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^KEYSTONE_CATALOG_FILE: .*identity is Twofold itself/);
  });
});

describe('the catalog of a token', () => {
  const services = readServiceCatalog(file('catalog.yaml', SWIFT_YAML));
  const catalog = catalogBody(
    { identityUrl: 'https://id.example.com/identity/v3', region: 'RegionOne', services },
    '0123456789abcdef0123456789abcdef',
  );

  it('lists the identity endpoint first, then the configured services', () => {
    expect(catalog.map((s) => `${s.type}:${s.name}`)).toEqual([
      'identity:keystone',
      'object-store:swift',
      'compute:nova',
    ]);
  });

  it('substitutes the token’s project in the URLs, as Keystone does', () => {
    expect(catalog[1].endpoints.map((e) => e.url)).toEqual([
      'https://swift.example.com/v1/AUTH_0123456789abcdef0123456789abcdef',
      'http://swift.internal:8080/v1/AUTH_0123456789abcdef0123456789abcdef',
    ]);
    expect(endpointUrlFor('https://nova.example.com/v2.1', 'p')).toBe('https://nova.example.com/v2.1');
  });

  it('gives each endpoint a region (the default one when the file names none) and a stable id', () => {
    const again = catalogBody({ identityUrl: 'x', region: 'RegionOne', services }, 'another');

    expect(catalog[1].endpoints.map((e) => [e.interface, e.region_id])).toEqual([
      ['public', 'RegionTwo'],
      ['internal', 'RegionOne'],
    ]);
    expect(again[1].endpoints[0].id).toBe(catalog[1].endpoints[0].id);
    expect(again[1].id).toMatch(/^[0-9a-f]{32}$/);
  });
});
