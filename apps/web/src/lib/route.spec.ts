import { allowedRoute, parseRoute } from './route';

describe(parseRoute.name, () => {
  it('reads the screen from the fragment', () => {
    expect(parseRoute('#/team')).toBe('team');
    expect(parseRoute('#/settings?x=1')).toBe('settings');
    expect(parseRoute('')).toBeUndefined();
    expect(parseRoute('#/elsewhere')).toBeUndefined();
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

  it('takes a signed-in member from the sign-in pages to settings', () => {
    expect(allowedRoute('sign-in', member)).toBe('settings');
    expect(allowedRoute(undefined, member)).toBe('settings');
  });
});
