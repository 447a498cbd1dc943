import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { StepUpDialog } from './components/step-up';
import { Alert, ScreenTitle } from './components/ui';
import { ApiError, createApi, type StepUpNeed } from './lib/api';
import { isManager, type Me, type SignedIn } from './lib/me';
import { deadlineInWords } from './lib/format';
import { language, switchLanguage, t, tx } from './i18n';
import { LANGUAGES, type Language } from '@twofold/contracts';
import { allowedRoute, hrefOf, linkTokenOf, parseRoute, type Route } from './lib/route';
import { sessionToken } from './lib/session';
import { AuditScreen } from './screens/audit';
import { InvitationScreen } from './screens/invitation';
import { NotMeScreen } from './screens/not-me';
import { VerifyEmailScreen } from './screens/verify-email';
import { PasswordResetScreen } from './screens/password-reset';
import { FixCodes, SettingsScreen } from './screens/settings';
import { SignInScreen } from './screens/sign-in';
import { SignUpScreen } from './screens/sign-up';
import { TeamScreen } from './screens/team';

export function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [loading, setLoading] = useState(sessionToken.get() !== null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [greeting, setGreeting] = useState<string | null>(null);
  const [wanted, setWanted] = useState(parseRoute(location.hash));
  // An e-mailed link's token, kept in memory only: the address bar loses it at the first render.
  const [linkToken, setLinkToken] = useState<string | null>(linkTokenOf(location.hash) ?? null);
  const [lang, setLang] = useState<Language>(language());
  const [stepUp, setStepUp] = useState<{ need: StepUpNeed; done: (ok: boolean) => void } | null>(null);

  const endSession = useCallback((message?: string) => {
    sessionToken.clear();
    setMe(null);
    setGreeting(message ?? null);
  }, []);
  const api = useMemo(
    () =>
      createApi({
        token: sessionToken.get,
        onSessionEnded: () => endSession(t('app.sessionEnded')),
        onStepUp: (need) =>
          new Promise<boolean>((resolve) =>
            setStepUp({
              need,
              done: (ok) => {
                setStepUp(null);
                resolve(ok);
              },
            }),
          ),
      }),
    [endSession],
  );

  const refresh = useCallback(async () => {
    const token = sessionToken.get();
    const fresh = await api.call('GET /api/v1/me');
    // An answer that arrives after a sign-out (or another sign-in) must not bring that session back.
    if (token !== null && sessionToken.get() === token) setMe(fresh);
  }, [api]);

  useEffect(() => {
    const onHash = () => {
      setWanted(parseRoute(location.hash));
      const token = linkTokenOf(location.hash);
      if (token) {
        setLinkToken(token);
        // The same screen may be open already: take the token out of the address bar here too.
        history.replaceState(null, '', location.hash.split('?')[0]);
      }
    };
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  useEffect(() => {
    if (!sessionToken.get()) return;
    refresh()
      .catch((error: unknown) => {
        // An ended session already greets the sign-in screen; anything else is shown.
        if (!(error instanceof ApiError && error.code === 'unauthenticated')) setLoadError(error);
      })
      .finally(() => setLoading(false));
  }, [refresh]);

  const route = allowedRoute(wanted, {
    signedIn: me !== null,
    restricted: me?.session.restricted ?? false,
    manager: me !== null && isManager(me),
  });
  // Replaced, not remembered: a restricted member who asked for #/team stays on settings after enrolling.
  useEffect(() => {
    if (loading) return;
    if (location.hash !== hrefOf(route)) history.replaceState(null, '', hrefOf(route));
    if (wanted !== route) setWanted(route);
  }, [route, wanted, loading]);

  const chooseLanguage = (next: Language) => {
    switchLanguage(next, true);
    setLang(next);
    // Signed in, the choice is also the language of the member's security e-mails.
    if (me && me.user.language !== next)
      void api.call('PUT /api/v1/me/language', { body: { language: next } }).then(
        ({ language }) => setMe((now) => now && { ...now, user: { ...now.user, language } }),
        () => undefined,
      );
  };
  useEffect(() => {
    switchLanguage(lang, false);
    document.title = t('app.title');
  }, [lang]);

  const navigate = (to: Route) => {
    location.hash = hrefOf(to);
  };
  const signedIn = async (token: string) => {
    sessionToken.set(token);
    setGreeting(null);
    await refresh();
    setWanted('settings');
  };
  const signOut = async (message?: string) => {
    try {
      await api.call('POST /api/v1/auth/logout');
    } catch {
      // The session is gone either way.
    }
    endSession(message);
  };

  if (loading) {
    return (
      <main id="main" class="loading" aria-busy="true">
        <p>{t('app.loading')}</p>
      </main>
    );
  }

  const context: SignedIn | null = me && { api, me, refresh, signOut, navigate };
  return (
    <>
      <a class="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header class="top">
        <div class="brand">
          <span class="logo" aria-hidden="true">
            2F
          </span>
          {t('app.brand')}
        </div>
        <LanguageSwitch current={lang} onChoose={chooseLanguage} />
        {context && (
          <nav aria-label={t('app.nav')}>
            <ul>
              <NavLink route="settings" current={route} label={t('app.nav.settings')} />
              {!context.me.session.restricted && isManager(context.me) && (
                <>
                  <NavLink route="team" current={route} label={t('app.nav.team')} />
                  <NavLink route="audit" current={route} label={t('app.nav.audit')} />
                </>
              )}
            </ul>
            <span class="who" title={context.me.account.name}>
              {context.me.user.login}
            </span>
            <button type="button" class="link" onClick={() => void signOut()}>
              {t('app.signOut')}
            </button>
          </nav>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {context && <TwoFactorDeadlineBanner me={context.me} />}
        <Alert error={loadError} />
        {route === 'sign-in' && <SignInScreen api={api} greeting={greeting} onSignedIn={signedIn} />}
        {route === 'sign-up' && <SignUpScreen api={api} onSignedIn={signedIn} />}
        {route === 'password-reset' && (
          <PasswordResetScreen
            api={api}
            token={linkToken}
            onReset={() => {
              setLinkToken(null);
              endSession(t('app.passwordReset'));
              navigate('sign-in');
            }}
            onNewLink={() => setLinkToken(null)}
          />
        )}
        {route === 'resync' && (
          <section class="card narrow" aria-labelledby="resync-title">
            <ScreenTitle id="resync-title">{t('app.resync.title')}</ScreenTitle>
            {linkToken ? <FixCodes api={api} token={linkToken} /> : <p>{t('app.resync.noLink')}</p>}
            <p class="aside">
              <a href={hrefOf('sign-in')}>{t('app.signIn')}</a>
            </p>
          </section>
        )}
        {route === 'not-me' && (
          <NotMeScreen
            api={api}
            token={linkToken}
            onSecured={() => {
              setLinkToken(null);
              endSession();
            }}
          />
        )}
        {route === 'invitation' && (
          <InvitationScreen
            api={api}
            token={linkToken}
            onJoined={(login) => {
              setLinkToken(null);
              endSession(t('app.welcome', { login }));
              navigate('sign-in');
            }}
          />
        )}
        {route === 'verify-email' && (
          <VerifyEmailScreen
            api={api}
            token={linkToken}
            onVerified={() => {
              setLinkToken(null);
              if (context) void refresh();
            }}
          />
        )}
        {context && route === 'settings' && <SettingsScreen {...context} />}
        {context && route === 'team' && <TeamScreen {...context} />}
        {context && route === 'audit' && <AuditScreen {...context} />}
      </main>
      {context && stepUp && <StepUpDialog api={api} need={stepUp.need} onDone={stepUp.done} />}
    </>
  );
}

/** On every screen, while the account's policy gives this member a deadline to turn 2FA on. */
function TwoFactorDeadlineBanner({ me }: { me: Me }) {
  const deadline = me.twoFactor.deadline;
  if (!deadline || me.twoFactor.enabled || me.session.restricted) return null;
  return (
    <div class="alert warning banner" role="status" data-testid="two-factor-deadline">
      <p>
        {tx('app.deadline', { deadline: deadlineInWords(deadline) })}{' '}
        <a href={hrefOf('settings')}>{t('app.deadline.now')}</a>
      </p>
    </div>
  );
}

function NavLink({ route, current, label }: { route: Route; current: Route; label: string }) {
  return (
    <li>
      <a href={hrefOf(route)} aria-current={route === current ? 'page' : undefined}>
        {label}
      </a>
    </li>
  );
}

const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', de: 'Deutsch' };

/** Each language named in itself, so a member who cannot read the current one still finds theirs. */
function LanguageSwitch({
  current,
  onChoose,
}: {
  current: Language;
  onChoose: (language: Language) => void;
}) {
  return (
    <div class="language" role="group" aria-label={t('app.language')}>
      {LANGUAGES.map((code) => (
        <button
          key={code}
          type="button"
          class="link"
          lang={code}
          aria-pressed={code === current}
          onClick={() => onChoose(code)}
        >
          <span class="long">{LANGUAGE_NAMES[code]}</span>
          <span class="short" aria-hidden="true">
            {code.toUpperCase()}
          </span>
        </button>
      ))}
    </div>
  );
}
