import { allowedRoute, linkTokenOf, parseRoute } from './route';

describe(parseRoute.name, () => {
  it('reads the screen from the fragment', () => {
    expect(parseRoute('#/team')).toBe('team');
    expect(parseRoute('#/settings?x=1')).toBe('settings');
    expect(parseRoute('')).toBeUndefined();
    expect(parseRoute('#/elsewhere')).toBeUndefined();
  });
});

describe(linkTokenOf.name, () => {
  const token = 'Zk3_q-8xYbT1rN0aWcE5mPu7LdHs2fGjKvXo9iQ4Bq0';

  it('reads the token of an e-mailed link', () => {
    expect(parseRoute(`#/password-reset?token=${token}`)).toBe('password-reset');
    expect(linkTokenOf(`#/password-reset?token=${token}`)).toBe(token);
    expect(linkTokenOf(`#/not-me?token=${token}&utm_source=mail`)).toBe(token);
  });

  it('takes nothing that is not such a token', () => {
    expect(linkTokenOf('#/password-reset')).toBeUndefined();
    expect(linkTokenOf('#/not-me?token=')).toBeUndefined();
    expect(linkTokenOf('#/not-me?token=<script>alert(1)</script>')).toBeUndefined();
  });
});

describe(allowedRoute.name, () => {
  const member = { signedIn: true, restricted: false, manager: false };

  it('sends a visitor who is not signed in to sign-in, or lets them sign up', () => {
    expect(allowedRoute('team', { ...member, signedIn: false })).toBe('sign-in');
    expect(allowedRoute('sign-up', { ...member, signedIn: false })).toBe('sign-up');
  });

  it('keeps a restricted session on settings, where it can enrol', () => {
    expect(allowedRoute('team', { ...member, restricted: true, manager: true })).toBe('settings');
    expect(allowedRoute('audit', { ...member, restricted: true, manager: true })).toBe('settings');
  });

  it('opens the team and the audit log to owners and admins only', () => {
    expect(allowedRoute('team', member)).toBe('settings');
    expect(allowedRoute('team', { ...member, manager: true })).toBe('team');
    expect(allowedRoute('audit', { ...member, manager: true })).toBe('audit');
  });

  it('opens the screens of e-mailed links to anyone, signed in, restricted or not', () => {
    for (const state of [{ ...member, signedIn: false }, member, { ...member, restricted: true }]) {
      expect(allowedRoute('password-reset', state)).toBe('password-reset');
      expect(allowedRoute('not-me', state)).toBe('not-me');
    }
  });

  it('takes a signed-in member from the sign-in pages to settings', () => {
    expect(allowedRoute('sign-in', member)).toBe('settings');
    expect(allowedRoute(undefined, member)).toBe('settings');
  });
});
