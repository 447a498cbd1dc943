import { randomUUID } from 'node:crypto';
import { Controller, Inject, UseFilters } from '@nestjs/common';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway-config';
import { Route, type RouteHandlers, type RouteInput } from '../http/route';
import { RateLimitedByIp } from '../rate-limit/ip-rate-limiter';
import {
  identityBaseUrl,
  identityV3Url,
  KeystoneErrorFilter,
  notAuthorized,
  REQUIRES_AUTHENTICATION,
} from './keystone-errors';
import {
  applicationCredentialBody,
  type CatalogSource,
  catalogBody,
  collection,
  keystoneId,
  projectEntity,
  projectsBody,
  roleIdOf,
  userEntity,
  uuidOf,
  receiptBody,
  tokenBody,
  v2AccessBody,
  v2VersionDocument,
  v3VersionDocument,
  versionsDocument,
} from './keystone-presenter';
import { ApplicationCredentialsService } from '../application-credentials/application-credentials.service';
import {
  DomainError,
  type MemberWithAccount,
  type NewApplicationCredential,
  ROLES,
  ROUTES,
  type V3NewApplicationCredential,
} from '@twofold/contracts';
import { isServiceUser, KeystoneService } from './keystone.service';

const credentialNotFound = (id: string): DomainError =>
  new DomainError(
    'not_found',
    `Could not find Application Credential: ${id.replace(/[^\w-]/g, '').slice(0, 64)}.`,
  );

const ownerOf = (caller: { member: MemberWithAccount }) => ({
  userId: caller.member.user.id,
  projectId: caller.member.account.id,
});

/** Keystone names roles by name or id; ids are Twofold's derived ones (see the token bodies). */
function fromKeystone(body: V3NewApplicationCredential): NewApplicationCredential {
  const c = body.application_credential;
  const roles = c.roles?.map((ref) => {
    const name = ref.name ?? ROLES.find((role) => roleIdOf(role) === ref.id);
    if (!name || !(ROLES as readonly string[]).includes(name)) {
      throw new DomainError(
        'not_found',
        `Role ${(ref.name ?? ref.id ?? '').replace(/[^\w-]/g, '').slice(0, 64)} is not defined`,
      );
    }
    return name as NonNullable<NewApplicationCredential['roles']>[number];
  });
  return {
    name: c.name,
    ...(c.description ? { description: c.description } : {}),
    ...(c.secret ? { secret: c.secret } : {}),
    ...(roles ? { roles } : {}),
    // Keystone writes UTC times without a zone.
    ...(c.expires_at
      ? { expiresAt: /[zZ]|[+-]\d\d:?\d\d$/.test(c.expires_at) ? c.expires_at : `${c.expires_at}Z` }
      : {}),
  };
}

const header = (req: FastifyRequest, name: string): string | undefined => {
  const value = req.headers[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
};

const R = ROUTES.keystone;

/** Keystone-V3-compatible, so keystoneauth1 and the openstack CLI sign in unmodified. */
@Controller()
@UseFilters(KeystoneErrorFilter)
export class KeystoneController implements RouteHandlers<typeof R> {
  constructor(
    private readonly keystone: KeystoneService,
    private readonly credentials: ApplicationCredentialsService,
    @Inject(GATEWAY_CONFIG)
    private readonly config: Pick<
      GatewayConfig,
      'KEYSTONE_REGION' | 'KEYSTONE_PUBLIC_URL' | 'KEYSTONE_CATALOG_FILE'
    >,
  ) {}

  @Route(R.versions)
  versions({ request: req, reply }: RouteInput<typeof R.versions>) {
    void reply.status(300).header('location', `${this.base(req)}/v3/`);
    return this.stamp(reply, versionsDocument(this.base(req)));
  }

  @Route(R.v3)
  v3({ request: req, reply }: RouteInput<typeof R.v3>) {
    return this.stamp(reply, v3VersionDocument(this.base(req)));
  }

  @Route(R.v2)
  v2({ request: req, reply }: RouteInput<typeof R.v2>) {
    return this.stamp(reply, v2VersionDocument(this.base(req)));
  }

  @Route(R.issue)
  @RateLimitedByIp('keystone')
  async issue({ meta, request: req, reply, body, query }: RouteInput<typeof R.issue>) {
    const outcome = await this.keystone.authenticate(body, header(req, 'openstack-auth-receipt'), meta);
    if (outcome.kind === 'receipt') {
      void reply.status(401).header('openstack-auth-receipt', outcome.receipt);
      return this.stamp(reply, receiptBody(outcome.pending, outcome.member.user));
    }
    void reply.status(201).header('x-subject-token', outcome.token);
    return this.stamp(
      reply,
      tokenBody({
        ...outcome.member,
        session: outcome.session,
        catalog: this.catalog(req),
        withCatalog: query.nocatalog === undefined,
      }),
    );
  }

  /** Validate (GET) and check (HEAD, which Fastify answers from this route without a body). */
  @Route(R.validate)
  async validate({ request: req, reply, query }: RouteInput<typeof R.validate>) {
    const { subjectToken, subject } = await this.subject(req);
    void reply.header('x-subject-token', subjectToken);
    return this.stamp(
      reply,
      tokenBody({
        ...subject.member,
        session: subject.session,
        catalog: this.catalog(req),
        withCatalog: query.nocatalog === undefined,
      }),
    );
  }

  @Route(R.revoke)
  async revoke({ request: req, reply }: RouteInput<typeof R.revoke>) {
    const { subjectToken } = await this.subject(req, 'revoke');
    await this.keystone.revoke(subjectToken);
    this.stamp(reply, undefined);
  }

  @Route(R.catalogOfToken)
  catalogOfToken({ auth: caller, request: req, reply }: RouteInput<typeof R.catalogOfToken>) {
    return this.stamp(reply, {
      catalog: catalogBody(this.catalog(req), keystoneId(caller.member.account.id)),
      links: { self: `${identityV3Url(req, this.config.KEYSTONE_PUBLIC_URL)}/auth/catalog` },
    });
  }

  @Route(R.projects)
  projects({ auth: caller, request: req, reply }: RouteInput<typeof R.projects>) {
    return this.stamp(reply, projectsBody(caller.member.account, this.base(req)));
  }

  // openstack CLI self-service calls, with Keystone 22's shapes and policy answers (fixtures c–g).

  @Route(R.user)
  user({ auth: caller, request: req, reply }: RouteInput<typeof R.user>) {
    return this.stamp(reply, { user: userEntity(caller.member, this.base(req)) });
  }

  @Route(R.userProjects)
  userProjects({ auth: caller, request: req, reply, params }: RouteInput<typeof R.userProjects>) {
    const base = this.base(req);
    return this.stamp(
      reply,
      collection(
        'projects',
        [projectEntity(caller.member.account, base)],
        `${base}/v3/users/${params.userId}/projects`,
      ),
    );
  }

  @Route(R.project)
  project({ auth: caller, request: req, reply }: RouteInput<typeof R.project>) {
    return this.stamp(reply, { project: projectEntity(caller.member.account, this.base(req)) });
  }

  /** A member holds no domain roles: Keystone's answer is the empty list (f1). */
  @Route(R.domains)
  domains({ request: req, reply }: RouteInput<typeof R.domains>) {
    return this.stamp(reply, collection('domains', [], `${this.base(req)}/v3/auth/domains`));
  }

  /** Keystone wants no token here; Twofold does, so a password without the second factor can't replace it. */
  @Route(R.changePassword)
  @RateLimitedByIp('reauthenticate')
  async changePassword({ meta, auth: caller, reply, body }: RouteInput<typeof R.changePassword>) {
    await this.keystone.changePassword(caller, body.user.original_password, body.user.password, meta);
    this.stamp(reply, undefined);
  }

  // Application credentials, with Keystone 22's shapes (fixtures/keystone-recordings.md, h–j).

  @Route(R.listCredentials)
  async listCredentials({
    meta,
    auth: caller,
    request: req,
    reply,
    params,
    query,
  }: RouteInput<typeof R.listCredentials>) {
    const { credentials } = await this.credentials.list(caller.session, meta);
    const base = this.base(req);
    return this.stamp(
      reply,
      collection(
        'application_credentials',
        credentials
          .filter((c) => query.name === undefined || c.name === query.name)
          .map((c) => applicationCredentialBody(c, ownerOf(caller), base)),
        `${base}/v3/users/${params.userId}/application_credentials`,
      ),
    );
  }

  @Route(R.createCredential)
  async createCredential({
    meta,
    auth: caller,
    request: req,
    reply,
    body,
  }: RouteInput<typeof R.createCredential>) {
    const created = await this.credentials.create(caller.session, fromKeystone(body), meta);
    return this.stamp(reply, {
      application_credential: applicationCredentialBody(
        created.credential,
        ownerOf(caller),
        this.base(req),
        created.secret,
      ),
    });
  }

  @Route(R.getCredential)
  async getCredential({
    meta,
    auth: caller,
    request: req,
    reply,
    params,
  }: RouteInput<typeof R.getCredential>) {
    const { credentials } = await this.credentials.list(caller.session, meta);
    const found = credentials.find((c) => c.id === uuidOf(params.credentialId));
    if (!found) throw credentialNotFound(params.credentialId);
    return this.stamp(reply, {
      application_credential: applicationCredentialBody(found, ownerOf(caller), this.base(req)),
    });
  }

  @Route(R.deleteCredential)
  async deleteCredential({ meta, auth: caller, reply, params }: RouteInput<typeof R.deleteCredential>) {
    const id = uuidOf(params.credentialId);
    if (!id) throw credentialNotFound(params.credentialId);
    await this.credentials.delete(caller.session, id, meta);
    this.stamp(reply, undefined);
  }

  @Route(R.issueV2)
  @RateLimitedByIp('keystone')
  async issueV2({ meta, request: req, reply, body }: RouteInput<typeof R.issueV2>) {
    const issued = await this.keystone.authenticateV2(body, meta);
    return this.stamp(
      reply,
      v2AccessBody({ ...issued.member, token: issued.token, session: issued.session, ...this.where(req) }),
    );
  }

  /**
   * A service user may validate and check any token (keystonemiddleware does) but revoke only its
   * own (Keystone 22: 403, fixtures k11); a customer sees no other account's tokens at all.
   */
  private async subject(req: FastifyRequest, action: 'validate' | 'revoke' = 'validate') {
    const callerToken = header(req, 'x-auth-token');
    const subjectToken = header(req, 'x-subject-token');
    // Both looked up at once (one Redis write), or once when a token is checked by its holder.
    const own = callerToken !== undefined && subjectToken === callerToken;
    const [caller, other] = await Promise.all([
      callerToken ? this.keystone.describe(callerToken) : undefined,
      subjectToken && callerToken && !own ? this.keystone.describe(subjectToken) : undefined,
    ]);
    const subject = own ? caller : other;
    if (!caller) throw new DomainError('unauthenticated', REQUIRES_AUTHENTICATION);
    if (!subjectToken) throw new DomainError('not_found', 'No token in the request');
    if (!subject) throw new DomainError('not_found', 'Failed to validate token');
    if (!this.keystone.mayInspect(caller, subject, action)) {
      if (isServiceUser(caller)) throw notAuthorized('identity:revoke_token');
      throw new DomainError('not_found', 'Failed to validate token');
    }
    return { subjectToken, subject };
  }

  private where(req: FastifyRequest): { identityUrl: string; region: string } {
    return {
      identityUrl: identityV3Url(req, this.config.KEYSTONE_PUBLIC_URL),
      region: this.config.KEYSTONE_REGION,
    };
  }

  private catalog(req: FastifyRequest): CatalogSource {
    return { ...this.where(req), services: this.config.KEYSTONE_CATALOG_FILE };
  }

  private base(req: FastifyRequest): string {
    return identityBaseUrl(req, this.config.KEYSTONE_PUBLIC_URL);
  }

  /** Keystone's per-request id header, which OpenStack clients log. */
  private stamp<T>(reply: FastifyReply, body: T): T {
    void reply.header('x-openstack-request-id', `req-${randomUUID()}`);
    return body;
  }
}
