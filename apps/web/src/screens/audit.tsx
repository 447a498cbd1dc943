import type { AuditEventView } from '@twofold/contracts';
import { useEffect, useState } from 'preact/hooks';
import { Alert, ScreenTitle, useAction } from '../components/ui';
import { describeEvent } from '../lib/format';
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

  const who = (id: string | null) => (id === null ? '—' : (names[id] ?? 'a former member'));
  return (
    <>
      <ScreenTitle>Audit log</ScreenTitle>
      <p class="lead">Every security event of your account, newest first.</p>
      <Alert error={error} />
      <div class="table-scroll" tabIndex={0} aria-label="Audit events">
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Event</th>
              <th scope="col">By</th>
              <th scope="col">Member</th>
              <th scope="col">From</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <tr key={event.id}>
                <td>
                  <time dateTime={event.occurredAt}>{new Date(event.occurredAt).toLocaleString()}</time>
                </td>
                <td>{describeEvent(event.type)}</td>
                <td>{who(event.actorId)}</td>
                <td>{who(event.subjectId)}</td>
                <td>{event.ip ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {events.length === 0 && cursor !== undefined && <p>No events yet.</p>}
      {cursor && (
        <button type="button" class="secondary" disabled={busy} onClick={() => more(cursor)}>
          Show older events
        </button>
      )}
    </>
  );
}
