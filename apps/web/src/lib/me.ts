import type { AccountView, MemberEmail, MemberView } from '@twofold/contracts';
import type { Api } from './api';
import type { Route } from './route';

/** GET /api/v1/me */
export interface Me {
  user: MemberView;
  account: AccountView;
  session: { aal: 1 | 2; expiresAt: string; restricted: boolean };
  /** The address now, whether it is proven, and a new one waiting for its link. */
  email: MemberEmail;
  /** `deadline`: the account requires 2FA of this member by then (null: no deadline applies). */
  twoFactor: { enabled: boolean; recoveryCodesRemaining: number; deadline: string | null };
}

export const isManager = (me: Me): boolean =>
  me.user.roles.some((role) => role === 'owner' || role === 'admin');

/** What every signed-in screen gets. */
export interface SignedIn {
  api: Api;
  me: Me;
  /** Reads /me again (after a change that alters it). */
  refresh: () => Promise<void>;
  /** Ends the session here and on the server; the message greets the sign-in screen. */
  signOut: (message?: string) => Promise<void>;
  navigate: (route: Route) => void;
}
