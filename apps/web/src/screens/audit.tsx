import type { AuditEventView } from '@twofold/contracts';
import { useEffect, useState } from 'preact/hooks';
import { Alert, ScreenTitle, useAction } from '../components/ui';
import { formatDateTime, t } from '../i18n';
import { describeEvent, describePolicyChange } from '../lib/format';
import type { SignedIn } from '../lib/me';

const PAGE = 25;

export function AuditScreen({ api }: SignedIn) {
  const [events, setEvents] = useState<AuditEventView[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [names, setNames] = useState<Record<string, string>>({});
  const { busy, error, run } = useAction();

  const more = (after?: string | null) =>
    void run(async () => {
      const page = await api.call('GET /api/v1/account/audit-events', {
        query: { limit: PAGE, ...(after ? { cursor: after } : {}) },
      });
      setEvents((earlier) => (after ? [...earlier, ...page.events] : page.events));
      setCursor(page.nextCursor);
    });
  useEffect(() => {
    more();
    void api
      .call('GET /api/v1/account/members')
      .then(({ members }) => setNames(Object.fromEntries(members.map((m) => [m.id, m.login]))))
      .catch(() => undefined);
  }, []);

  const who = (id: string | null) => (id === null ? '—' : (names[id] ?? t('audit.formerMember')));
  return (
    <>
      <ScreenTitle>{t('audit.title')}</ScreenTitle>
      <p class="lead">{t('audit.lead')}</p>
      <Alert error={error} />
      <div class="table-scroll" tabIndex={0} aria-label={t('audit.table')}>
        <table class="stacking">
          <thead>
            <tr>
              <th scope="col">{t('audit.when')}</th>
              <th scope="col">{t('audit.event')}</th>
              <th scope="col">{t('audit.by')}</th>
              <th scope="col">{t('audit.member')}</th>
              <th scope="col">{t('audit.from')}</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <tr key={event.id}>
                <td>
                  <span class="cell-label" aria-hidden="true">
                    {t('audit.when')}
                  </span>
                  <time dateTime={event.occurredAt}>{formatDateTime(event.occurredAt)}</time>
                </td>
                <td>
                  <span class="cell-label" aria-hidden="true">
                    {t('audit.event')}
                  </span>
                  <span>
                    {describeEvent(event.type)}
                    {event.type === 'policy.changed' && (
                      <span class="hint" data-testid="policy-change">
                        {' '}
                        ({describePolicyChange(event.details)})
                      </span>
                    )}
                  </span>
                </td>
                <td>
                  <span class="cell-label" aria-hidden="true">
                    {t('audit.by')}
                  </span>
                  {who(event.actorId)}
                </td>
                <td>
                  <span class="cell-label" aria-hidden="true">
                    {t('audit.member')}
                  </span>
                  {who(event.subjectId)}
                </td>
                <td>
                  <span class="cell-label" aria-hidden="true">
                    {t('audit.from')}
                  </span>
                  {event.ip ?? '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {events.length === 0 && cursor !== undefined && <p>{t('audit.none')}</p>}
      {cursor && (
        <button type="button" class="secondary" disabled={busy} onClick={() => more(cursor)}>
          {t('audit.older')}
        </button>
      )}
    </>
  );
}
