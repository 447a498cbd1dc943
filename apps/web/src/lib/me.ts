import type { MeView } from '@twofold/contracts';
import type { Api } from './api';
import type { Route } from './route';

export type Me = MeView;

export const isManager = (me: Me): boolean =>
  me.user.roles.some((role) => role === 'owner' || role === 'admin');

export interface SignedIn {
  api: Api;
  me: Me;
  refresh: () => Promise<void>;
  signOut: (message?: string) => Promise<void>;
  navigate: (route: Route) => void;
}
