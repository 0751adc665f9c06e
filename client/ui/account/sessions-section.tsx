import { useCallback, useEffect, useId, useState } from 'react';
import { fetchCurrentSession, listSessions, revokeOtherSessions, revokeSession, type DeviceSession } from '../../sync/identity-api.ts';
import { useFormat, useT } from '../i18n/i18n-provider.tsx';
import { FormError } from '../sign-in/form-error.tsx';
import { useAction } from '../sign-in/use-action.ts';
import { describeUserAgent } from './user-agent.ts';

type Loaded = { sessions: DeviceSession[]; currentId: string | null };

/** Every device where this account is signed in, with a way to end any of them. */
export function SessionsSection() {
  const t = useT();
  const format = useFormat();
  const titleId = useId();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const { busy, error, run } = useAction();

  const load = useCallback(async () => {
    const [sessions, current] = await Promise.all([listSessions(), fetchCurrentSession()]);
    setLoaded({ sessions: sessions.sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime()), currentId: current?.session.id ?? null });
  }, []);

  useEffect(() => {
    run(load);
  }, [run, load]);

  const others = loaded?.sessions.filter((session) => session.id !== loaded.currentId) ?? [];

  return (
    <section className="account-section" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('account.sessions')}</h2>
      {loaded !== null && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('account.device')}</th>
              <th scope="col">{t('account.lastActive')}</th>
              <th scope="col">{t('account.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {loaded.sessions.map((session) => {
              const current = session.id === loaded.currentId;
              return (
                <tr key={session.id} data-testid="device-session" data-current={current}>
                  <th scope="row">
                    {describeUserAgent(session.userAgent) ?? t('account.unknownDevice')}
                    {session.ipAddress !== null && session.ipAddress !== undefined && session.ipAddress !== '' && <span className="muted"> · {session.ipAddress}</span>}
                  </th>
                  <td>{format.dateTime(session.updatedAt)}</td>
                  <td>
                    {current ? (
                      <span className="tag">{t('account.thisDevice')}</span>
                    ) : (
                      <button
                        type="button"
                        className="small"
                        disabled={busy}
                        onClick={() =>
                          run(async () => {
                            await revokeSession(session.token);
                            await load();
                          })
                        }
                      >
                        {t('account.signOutSession')}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {loaded !== null && others.length === 0 && <p className="hint">{t('account.noOtherSessions')}</p>}
      {others.length > 0 && (
        <div className="actions">
          <button
            type="button"
            className="danger"
            disabled={busy}
            onClick={() =>
              run(async () => {
                await revokeOtherSessions();
                await load();
              })
            }
          >
            {t('account.signOutOthers')}
          </button>
        </div>
      )}
      <FormError error={error} />
    </section>
  );
}
