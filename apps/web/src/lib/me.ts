import type { AccountView, MemberEmail, MemberView } from '@twofold/contracts';
import type { Api } from './api';
import type { Route } from './route';

export interface Me {
  user: MemberView;
  account: AccountView;
  session: { aal: 1 | 2; amr: string[]; expiresAt: string; restricted: boolean };
  email: MemberEmail;
  twoFactor: {
    enabled: boolean;
    factors: ('totp' | 'webauthn')[];
    recoveryCodesRemaining: number;
    deadline: string | null;
    passkeyDeadline: string | null;
  };
}

export const isManager = (me: Me): boolean =>
  me.user.roles.some((role) => role === 'owner' || role === 'admin');

export interface SignedIn {
  api: Api;
  me: Me;
  refresh: () => Promise<void>;
  signOut: (message?: string) => Promise<void>;
  navigate: (route: Route) => void;
}
