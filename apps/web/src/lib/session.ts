/**
 * The session token lives in this tab's sessionStorage: it survives a reload, not the tab, and
 * is never put in a URL or a cookie. The strict Content-Security-Policy keeps foreign script out.
 */
const KEY = 'twofold.session';

export const sessionToken = {
  get: (): string | null => sessionStorage.getItem(KEY),
  set: (token: string): void => sessionStorage.setItem(KEY, token),
  clear: (): void => sessionStorage.removeItem(KEY),
};
