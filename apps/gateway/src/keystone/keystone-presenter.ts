import { hash } from 'node:crypto';
import { type AccountView, type ApplicationCredential, type MemberView } from '@twofold/contracts';
import { type PendingSignIn } from '../sign-in/pending-sign-in.store';
import { type CatalogService, endpointUrlFor } from './service-catalog';
import { type Session } from '../sessions/session';

/** Twofold has one identity domain, Keystone's default one. */
export const DEFAULT_DOMAIN = { id: 'default', name: 'Default' } as const;

const V3 = { id: 'v3.14', status: 'stable', updated: '2020-04-07T00:00:00Z' };
const V2 = { id: 'v2.0', status: 'deprecated', updated: '2016-08-04T00:00:00Z' };

const mediaTypes = (version: 'v3' | 'v2.0') => [
  { base: 'application/json', type: `application/vnd.openstack.identity-${version}+json` },
];

export function versionsDocument(base: string) {
  return {
    versions: {
      values: [
        { ...V3, links: [{ rel: 'self', href: `${base}/v3/` }], 'media-types': mediaTypes('v3') },
        { ...V2, links: [{ rel: 'self', href: `${base}/v2.0/` }], 'media-types': mediaTypes('v2.0') },
      ],
    },
  };
}

export function v3VersionDocument(base: string) {
  return {
    version: { ...V3, links: [{ rel: 'self', href: `${base}/v3/` }], 'media-types': mediaTypes('v3') },
  };
}

export function v2VersionDocument(base: string) {
  return {
    version: { ...V2, links: [{ rel: 'self', href: `${base}/v2.0/` }], 'media-types': mediaTypes('v2.0') },
  };
}

export const keystoneId = (uuid: string): string => uuid.replace(/-/g, '');
export function uuidOf(id: string): string | undefined {
  const hex = id.replace(/-/g, '').toLowerCase();
  return /^[0-9a-f]{32}$/.test(hex)
    ? `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
    : undefined;
}

/** Names come from code or configuration, so each is hashed once, not on every token body. */
const derivedIds = new Map<string, string>();
function derivedId(name: string): string {
  let id = derivedIds.get(name);
  if (id === undefined) {
    id = hash('sha256', name, 'hex').slice(0, 32);
    derivedIds.set(name, id);
  }
  return id;
}

export const roleIdOf = (name: string): string => derivedId(`twofold-role:${name}`);

const userBody = (user: MemberView) => ({
  domain: DEFAULT_DOMAIN,
  id: keystoneId(user.id),
  name: user.login,
  password_expires_at: null,
});

const projectBody = (account: AccountView) => ({
  domain: DEFAULT_DOMAIN,
  id: keystoneId(account.id),
  name: account.name,
});

const keystoneTime = (iso: string): string => iso.replace(/\.(\d{3})Z$/, '.$1000Z');

const stableId = (...parts: string[]): string => derivedId(parts.join('\0'));

export interface CatalogSource {
  identityUrl: string;
  region: string;
  services: CatalogService[];
}

export function catalogBody(source: CatalogSource, projectId: string) {
  const identity = {
    endpoints: (['public', 'internal', 'admin'] as const).map((iface) => ({
      id: derivedId(`endpoint:${iface}`),
      interface: iface,
      region_id: source.region,
      url: source.identityUrl,
      region: source.region,
    })),
    id: derivedId('service:identity'),
    type: 'identity',
    name: 'keystone',
  };
  const configured = source.services.map((service) => ({
    endpoints: service.endpoints.map((e) => {
      const region = e.region ?? source.region;
      return {
        id: stableId('endpoint', service.type, service.name, e.interface, region, e.url),
        interface: e.interface,
        region_id: region,
        url: endpointUrlFor(e.url, projectId),
        region,
      };
    }),
    id: stableId('service', service.type, service.name),
    type: service.type,
    name: service.name,
  }));
  return [identity, ...configured];
}

export function tokenBody(input: {
  session: Session;
  user: MemberView;
  account: AccountView;
  catalog: CatalogSource;
  withCatalog: boolean;
}) {
  return {
    token: {
      methods: input.session.methods,
      user: userBody(input.user),
      audit_ids: [input.session.auditId],
      expires_at: keystoneTime(input.session.expiresAt),
      issued_at: keystoneTime(input.session.createdAt),
      // Without an explicit "unscoped", the token is scoped to the member's only project, as
      // Keystone does for a user with a default project.
      ...(input.session.unscoped
        ? {}
        : {
            project: projectBody(input.account),
            is_domain: false,
            // The member's (a change of them ends the session), or the signing-in credential's.
            roles: input.session.roles.map((name) => ({ id: roleIdOf(name), name })),
            ...(input.withCatalog
              ? { catalog: catalogBody(input.catalog, keystoneId(input.account.id)) }
              : {}),
          }),
      ...(input.session.applicationCredential
        ? {
            application_credential: {
              id: keystoneId(input.session.applicationCredential.id),
              name: input.session.applicationCredential.name,
              restricted: true,
            },
          }
        : {}),
    },
  };
}

/** Keystone's form (fixtures h1, h11, h14); the secret only when made. */
export function applicationCredentialBody(
  credential: ApplicationCredential,
  owner: { userId: string; projectId: string },
  base: string,
  secret?: string,
) {
  return {
    id: keystoneId(credential.id),
    name: credential.name,
    description: credential.description,
    user_id: keystoneId(owner.userId),
    project_id: keystoneId(owner.projectId),
    system: null,
    expires_at: credential.expiresAt ? credential.expiresAt.replace(/\.(\d{3})Z$/, '.$1000') : null,
    unrestricted: null,
    roles: credential.roles.map((name) => ({
      id: roleIdOf(name),
      name,
      domain_id: null,
      description: null,
      options: { immutable: true },
    })),
    ...(secret === undefined ? {} : { secret }),
    links: { self: `${base}/v3/application_credentials/${keystoneId(credential.id)}` },
  };
}

export function receiptBody(pending: PendingSignIn, user: MemberView) {
  return {
    receipt: {
      methods: pending.proven,
      user: { id: keystoneId(user.id), name: user.login, domain: DEFAULT_DOMAIN },
      expires_at: keystoneTime(pending.expiresAt),
      issued_at: keystoneTime(pending.issuedAt),
    },
    required_auth_methods: [['password', 'totp']],
  };
}

/** A project as Keystone's project API shows it (fixtures/keystone-recordings.md, d1). */
export const projectEntity = (account: AccountView, base: string) => ({
  id: keystoneId(account.id),
  name: account.name,
  domain_id: DEFAULT_DOMAIN.id,
  description: '',
  enabled: true,
  parent_id: DEFAULT_DOMAIN.id,
  is_domain: false,
  tags: [],
  options: {},
  links: { self: `${base}/v3/projects/${keystoneId(account.id)}` },
});

/** A user as Keystone's user API shows it (c1): the account is its default project. */
export const userEntity = (member: { user: MemberView; account: AccountView }, base: string) => ({
  id: keystoneId(member.user.id),
  name: member.user.login,
  domain_id: DEFAULT_DOMAIN.id,
  enabled: true,
  default_project_id: keystoneId(member.account.id),
  password_expires_at: null,
  options: {},
  links: { self: `${base}/v3/users/${keystoneId(member.user.id)}` },
});

export const collection = <K extends string>(key: K, items: unknown[], self: string) =>
  ({ [key]: items, links: { next: null, self, previous: null } }) as Record<K, unknown[]> & {
    links: { next: null; self: string; previous: null };
  };

export function projectsBody(account: AccountView, base: string) {
  return collection('projects', [projectEntity(account, base)], `${base}/v3/auth/projects`);
}

export function v2AccessBody(input: {
  token: string;
  session: Session;
  user: MemberView;
  account: AccountView;
  identityUrl: string;
  region: string;
}) {
  const expires = input.session.expiresAt.replace(/\.\d{3}Z$/, 'Z');
  return {
    access: {
      token: {
        id: input.token,
        expires,
        issued_at: keystoneTime(input.session.createdAt),
        audit_ids: [input.session.auditId],
        tenant: {
          id: keystoneId(input.account.id),
          name: input.account.name,
          enabled: true,
          description: null,
        },
      },
      serviceCatalog: [
        {
          type: 'identity',
          name: 'keystone',
          endpoints: [
            {
              region: input.region,
              publicURL: input.identityUrl,
              internalURL: input.identityUrl,
              adminURL: input.identityUrl,
              id: derivedId('endpoint:v2'),
            },
          ],
          endpoints_links: [],
        },
      ],
      user: {
        id: keystoneId(input.user.id),
        name: input.user.login,
        username: input.user.login,
        roles: input.user.roles.map((name) => ({ name })),
        roles_links: [],
      },
      metadata: { is_admin: 0, roles: input.user.roles.map(roleIdOf) },
    },
  };
}
