import { type Amr, type MemberWithAccount, type Role, type SessionVia } from '@twofold/contracts';

export interface Session {
  id: string;
  memberId: string;
  accountId: string;
  /** The member's at sign-in (a role change replaces the stamp), or an application credential's. */
  roles: Role[];
  /** As at sign-in, so Keystone validation need not ask account-service: roles or removal replace the stamp. */
  member: MemberWithAccount;
  aal: 1 | 2;
  methods: AuthMethod[];
  amr?: Amr;
  auditId: string;
  /** The member's security stamp at sign-in: the session lives only while it is still the member's. */
  stamp: string;
  /** The account requires 2FA and the member has none yet: the session may only enrol. */
  restricted?: true;
  /** The 2FA deadline at sign-in, used only where the policy publishes none now (memberDeadlineKey). */
  enrolBy?: string;
  /** 2FA on at sign-in or turned on since: the 2FA policy has nothing to restrict. */
  twoFactor?: boolean;
  applicationCredential?: { id: string; name: string };
  unscoped?: true;
  verifiedAt?: string;
  verifiedWith?: 'password' | 'second_factor';
  ip?: string | null;
  device?: string;
  via?: SessionVia;
  createdAt: string;
  expiresAt: string;
}

/** Keystone's method names, and ours: `webauthn` a passkey after the password, `passkey` one alone. */
export type AuthMethod = 'password' | 'totp' | 'webauthn' | 'passkey' | 'application_credential';

const AMR_OF: Record<Exclude<AuthMethod, 'webauthn' | 'passkey'>, Amr[number] | undefined> = {
  password: 'pwd',
  totp: 'otp',
  application_credential: undefined,
};

/** RFC 8176: a passkey is `hwk` bound to one device, `swk` synced; alone and verified, `mfa` too. */
export function amrOf(methods: readonly AuthMethod[], passkey?: 'hwk' | 'swk'): Amr {
  const amr = new Set<Amr[number]>();
  for (const method of methods) {
    if (method === 'webauthn' || method === 'passkey') {
      amr.add(passkey ?? 'hwk');
      if (method === 'passkey') amr.add('mfa');
    } else {
      const value = AMR_OF[method];
      if (value) amr.add(value);
    }
  }
  return [...amr];
}

export interface IssuedSession {
  token: string;
  session: Session;
  /** Issued to a device the member had not signed in from before (never on its first one). */
  newDevice?: true;
}
