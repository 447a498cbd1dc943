import { Injectable } from '@nestjs/common';
import {
  AccountRpc,
  DomainError,
  type MemberWithAccount,
  type PasswordSignInRequest,
  SERVICE_PROJECT_NAME,
  SERVICE_ROLE,
} from '@twofold/contracts';
import { type RequestMeta, RpcClient } from '@twofold/platform';
import { type Session } from '../sessions/session';
import { SessionStore } from '../sessions/session.store';
import { StepUp } from '../sessions/step-up';
import { type ApplicationCredentialProof } from '../sign-in/methods/application-credential.method';
import { type PendingSignIn } from '../sign-in/pending-sign-in.store';
import { SignInAttempt } from '../sign-in/sign-in-method';
import { SignInFlow } from '../sign-in/sign-in-flow';
import { KEYSTONE_AUTH_METHODS, REQUIRES_AUTHENTICATION } from './keystone-errors';
import { DEFAULT_DOMAIN, uuidOf } from './keystone-presenter';
import { type KeystoneUserRef, type V2AuthRequest, type V3AuthRequest } from '@twofold/contracts';

type KeystoneMethod = (typeof KEYSTONE_AUTH_METHODS)[number];
const SUPPORTED: readonly string[] = KEYSTONE_AUTH_METHODS;

export const isServiceUser = (caller: { member: MemberWithAccount }): boolean =>
  caller.member.user.roles.includes(SERVICE_ROLE) && caller.member.account.name === SERVICE_PROJECT_NAME;
const BAD_REQUEST_TAIL =
  'The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.';

export interface KeystoneCaller {
  session: Session;
  member: MemberWithAccount;
}

export type TokenOutcome =
  | { kind: 'token'; token: string; session: Session; member: MemberWithAccount }
  | { kind: 'receipt'; receipt: string; pending: PendingSignIn; member: MemberWithAccount };

/** The password comes first: until it is proven every login gets the same 401, and no passcode is read. */
@Injectable()
export class KeystoneService {
  constructor(
    private readonly rpc: RpcClient,
    private readonly sessions: SessionStore,
    private readonly signIn: SignInFlow,
    private readonly stepUp: StepUp,
  ) {}

  async authenticate(
    request: V3AuthRequest,
    receiptToken: string | undefined,
    meta: RequestMeta,
  ): Promise<TokenOutcome> {
    const { identity } = request.auth;
    const methods = validateMethods(identity);
    // The shapes first (400s say nothing about any member), then the secrets in their order.
    const passwordUser = methods.includes('password') ? userRef(identity.password!.user) : undefined;
    const totpUser = methods.includes('totp') ? userRef(identity.totp!.user) : undefined;
    const credential = methods.includes('application_credential')
      ? credentialProofOf(identity.application_credential!)
      : undefined;
    if (credential && request.auth.scope !== undefined) {
      throw new DomainError(
        'scope_not_allowed',
        'Error authenticating with application credential: Application credentials cannot request a scope.',
      );
    }
    const attempt = receiptToken ? await this.resumeReceipt(receiptToken, meta) : new SignInAttempt(meta);
    const passcode = totpUser ? String(identity.totp!.user.passcode) : undefined;
    const outcome = await this.signIn.submit(
      attempt,
      {
        // Keystone answers an id it never issued with a 404 naming it (fixture i6): not_found.
        ...(credential ? { application_credential: credential } : {}),
        ...(passwordUser ? { password: signInOf(passwordUser, identity.password!.user.password) } : {}),
        ...(passcode !== undefined ? { totp: { code: passcode } } : {}),
      },
      {
        restricted: 'refuse',
        unscoped: request.auth.scope === 'unscoped',
        via: 'keystone',
        // The scope before the passcode, so that a scoping mistake does not spend a code.
        afterFirstFactors: (member) => {
          if (!member) throw unauthorized();
          this.checkScope(request, member);
          if (totpUser && !names(totpUser, member)) throw unauthorized();
        },
        // Keystone answers a malformed passcode like a wrong one: 401, nothing more.
        translate: (factor, error) =>
          factor === 'totp' && error instanceof DomainError && error.code === 'validation_failed'
            ? unauthorized()
            : error,
      },
    );
    if (outcome.kind === 'session') {
      return { kind: 'token', token: outcome.token, session: outcome.session, member: outcome.member };
    }
    if (outcome.kind === 'pending') {
      return { kind: 'receipt', receipt: outcome.token, pending: outcome.pending, member: outcome.member };
    }
    throw new Error('A Keystone v3 sign-in neither completed nor was kept');
  }

  async authenticateV2(
    request: V2AuthRequest,
    meta: RequestMeta,
  ): Promise<{ token: string; session: Session; member: MemberWithAccount }> {
    const { username, password } = request.auth.passwordCredentials;
    const { tenantId, tenantName } = request.auth;
    const outcome = await this.signIn.submit(
      new SignInAttempt(meta),
      { password: { login: username, password } },
      {
        restricted: 'refuse',
        via: 'keystone',
        suspend: false,
        afterFirstFactors: (member) => {
          if (!member) throw unauthorized();
          if (tenantId && uuidOf(tenantId) !== member.account.id) throw unauthorized();
          if (tenantName && tenantName.toLowerCase() !== member.account.name.toLowerCase())
            throw unauthorized();
        },
      },
    );
    if (outcome.kind !== 'session') {
      throw new DomainError(
        'two_factor_required',
        'This user has two-factor authentication enabled, which the Identity v2.0 API cannot complete. Use the Identity v3 API with the password and totp methods (for example --os-auth-type v3multifactor --os-auth-methods v3password,v3totp).',
      );
    }
    return outcome;
  }

  /** An enrol-only session is no Keystone token: every Keystone call refuses it. */
  async describe(token: string): Promise<KeystoneCaller | undefined> {
    const session = await this.sessions.resolve(token);
    return session && !session.restricted ? { session, member: session.member } : undefined;
  }

  mayInspect(
    caller: { session: Session; member: MemberWithAccount },
    subject: { session: Session },
    action: 'validate' | 'revoke',
  ): boolean {
    if (caller.session.memberId === subject.session.memberId) return true;
    if (action === 'validate' && isServiceUser(caller)) return true;
    if (caller.session.accountId !== subject.session.accountId) return false;
    return caller.member.user.roles.some((r) => r === 'owner' || r === 'admin');
  }

  async changePassword(
    caller: { session: Session },
    currentPassword: string,
    newPassword: string,
    meta: RequestMeta,
  ): Promise<void> {
    await this.stepUp.require(caller.session, meta);
    await this.rpc.call(
      AccountRpc.changePassword,
      // Made from the caller's token, only while it holds; Keystone's tokens all end with it.
      {
        memberId: caller.session.memberId,
        currentPassword,
        newPassword,
        grant: { stamp: caller.session.stamp },
      },
      { meta },
    );
  }

  revoke(token: string): Promise<void> {
    return this.sessions.revoke(token);
  }

  private async resumeReceipt(receiptToken: string, meta: RequestMeta): Promise<SignInAttempt> {
    const attempt = /^[A-Za-z0-9_-]{16,128}$/.test(receiptToken)
      ? await this.signIn.resume(receiptToken, meta)
      : undefined;
    // Keystone names the receipt in this message; a receipt is a credential, so it is not repeated here.
    if (!attempt) throw new DomainError('mfa_token_invalid', 'Could not find auth receipt.');
    return attempt;
  }

  /** The account is the member's only project: a scope naming anything else is refused. */
  private checkScope(request: V3AuthRequest, member: MemberWithAccount): void {
    const scope = request.auth.scope;
    if (!scope || scope === 'unscoped') return;
    if (scope.domain || scope.system) throw unauthorized();
    const project = scope.project;
    if (!project) return;
    if (project.id !== undefined) {
      if (uuidOf(project.id) !== member.account.id) throw unauthorized();
      return;
    }
    if (project.name === undefined) throw badRequest('Expecting to find id or name in project.');
    if (!project.domain) throw badRequest('Expecting to find domain in project.');
    if (
      !isDefaultDomain(project.domain) ||
      project.name.toLowerCase() !== member.account.name.toLowerCase()
    ) {
      throw unauthorized();
    }
  }
}

function validateMethods(identity: V3AuthRequest['auth']['identity']): KeystoneMethod[] {
  if (identity.methods.length === 0 || identity.methods.some((m) => !SUPPORTED.includes(m))) {
    throw new DomainError('unsupported_auth_method', 'Attempted to authenticate with an unsupported method.');
  }
  const methods = identity.methods as KeystoneMethod[];
  for (const method of methods) {
    if (!identity[method]) throw badRequest(`Expecting to find ${method} in identity.`);
  }
  return methods;
}

type UserRef = { by: 'id'; memberId: string } | { by: 'name'; name: string };

function credentialProofOf(
  section: NonNullable<V3AuthRequest['auth']['identity']['application_credential']>,
): ApplicationCredentialProof {
  const secret = section.secret ?? '';
  if (section.id !== undefined) {
    const id = uuidOf(section.id);
    if (!id) {
      throw new DomainError(
        'not_found',
        `Could not find Application Credential: ${section.id.replace(/[^\w-]/g, '').slice(0, 64)}.`,
      );
    }
    if (!secret) throw unauthorized();
    return { id, secret };
  }
  if (section.name === undefined) throw badRequest('Expecting to find id or name in application credential.');
  if (!section.user) throw badRequest('Expecting to find user in application credential.');
  const user = userRef(section.user);
  if (!secret) throw unauthorized();
  return {
    name: section.name,
    member: user.by === 'id' ? { memberId: user.memberId } : { login: user.name },
    secret,
  };
}

const signInOf = (ref: UserRef, password: string): PasswordSignInRequest =>
  ref.by === 'id' ? { memberId: ref.memberId, password } : { login: ref.name, password };

const names = (ref: UserRef, member: MemberWithAccount): boolean =>
  ref.by === 'id'
    ? ref.memberId === member.user.id
    : ref.name.toLowerCase() === member.user.login.toLowerCase();

function userRef(user: KeystoneUserRef): UserRef {
  if (user.id !== undefined) {
    const memberId = uuidOf(user.id);
    if (!memberId) throw unauthorized();
    return { by: 'id', memberId };
  }
  if (user.name === undefined) throw badRequest('Expecting to find id or name in user.');
  if (!user.domain) throw badRequest('Expecting to find domain in user.');
  if (!isDefaultDomain(user.domain)) throw unauthorized();
  return { by: 'name', name: user.name };
}

function isDefaultDomain(domain: { id?: string | undefined; name?: string | undefined }): boolean {
  return domain.id === DEFAULT_DOMAIN.id || (domain.id === undefined && domain.name === DEFAULT_DOMAIN.name);
}

const unauthorized = (): DomainError => new DomainError('unauthenticated', REQUIRES_AUTHENTICATION);
const badRequest = (message: string): DomainError =>
  new DomainError('validation_failed', `${message} ${BAD_REQUEST_TAIL}`);
