import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { deletePasskey, listPasskeys, passkeysSupported, registerPasskey, type PasskeyInfo } from '../../sync/passkey-api.ts';
import { ConfirmDialog } from '../confirm-dialog.tsx';
import { useFormat, useT } from '../i18n/i18n-provider.tsx';
import { FormError } from '../sign-in/form-error.tsx';
import { useAction } from '../sign-in/use-action.ts';
import { TextField } from '../text-field.tsx';
import { describeUserAgent } from './user-agent.ts';

type Mode = { name: 'idle' } | { name: 'adding' } | { name: 'deleting'; passkey: PasskeyInfo };

const MAX_NAME_LENGTH = 60;

/**
 * The passkeys of this account: each signs in on its own (the device's PIN or biometric is the
 * second factor). Adding one names it after this browser until the person says otherwise.
 */
export function PasskeysSection() {
  const t = useT();
  const format = useFormat();
  const titleId = useId();
  const [passkeys, setPasskeys] = useState<PasskeyInfo[] | null>(null);
  const [mode, setMode] = useState<Mode>({ name: 'idle' });
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState(false);
  const [status, setStatus] = useState<'added' | 'deleted' | null>(null);
  const [supported] = useState(passkeysSupported);
  const { busy, error, run } = useAction();

  const load = useCallback(async () => {
    const listed = await listPasskeys();
    setPasskeys(listed.sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0)));
  }, []);

  useEffect(() => {
    run(load);
  }, [run, load]);

  const startAdding = () => {
    setStatus(null);
    setNameError(false);
    setName(describeUserAgent(navigator.userAgent) ?? '');
    setMode({ name: 'adding' });
  };

  const add = (event: FormEvent) => {
    event.preventDefault();
    const chosen = name.trim();
    const invalid = chosen === '' || chosen.length > MAX_NAME_LENGTH;
    setNameError(invalid);
    if (invalid) return;
    run(async () => {
      await registerPasskey(chosen);
      await load();
      setStatus('added');
      setMode({ name: 'idle' });
    });
  };

  const remove = (passkey: PasskeyInfo) => {
    setMode({ name: 'idle' });
    run(async () => {
      await deletePasskey(passkey.id);
      await load();
      setStatus('deleted');
    });
  };

  const label = (passkey: PasskeyInfo) => passkey.name ?? t('passkey.unnamed');

  return (
    <section className="account-section" aria-labelledby={titleId} data-testid="passkeys">
      <h2 id={titleId}>{t('passkey.title')}</h2>
      <p className="hint">{t('passkey.explain')}</p>
      {status !== null && (
        <p className="callout" role="status">
          {status === 'added' ? t('passkey.added') : t('passkey.deleted')}
        </p>
      )}
      {passkeys !== null && passkeys.length === 0 && <p>{t('passkey.none')}</p>}
      {passkeys !== null && passkeys.length > 0 && (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('passkey.name')}</th>
              <th scope="col">{t('passkey.created')}</th>
              <th scope="col">{t('account.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {passkeys.map((passkey) => (
              <tr key={passkey.id} data-testid="passkey-row">
                <th scope="row">{label(passkey)}</th>
                <td>{passkey.createdAt === null || passkey.createdAt === undefined ? '' : format.date(passkey.createdAt)}</td>
                <td>
                  <button
                    type="button"
                    className="small danger"
                    disabled={busy}
                    aria-label={t('passkey.deleteNamed', { name: label(passkey) })}
                    onClick={() => {
                      setStatus(null);
                      setMode({ name: 'deleting', passkey });
                    }}
                  >
                    {t('passkey.delete')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!supported && <p className="hint">{t('passkey.unsupported')}</p>}
      {supported && mode.name !== 'adding' && (
        <div className="actions">
          <button type="button" className="primary" disabled={busy || passkeys === null} onClick={startAdding}>
            {t('passkey.add')}
          </button>
        </div>
      )}
      {mode.name === 'adding' && (
        <form onSubmit={add} noValidate className="form" data-testid="add-passkey">
          <TextField
            label={t('passkey.nameLabel')}
            name="passkey-name"
            autoComplete="off"
            required
            value={name}
            onChange={setName}
            hint={t('passkey.nameHint')}
            error={nameError ? t('passkey.nameInvalid', { max: MAX_NAME_LENGTH }) : undefined}
          />
          <div className="actions">
            <button type="button" onClick={() => setMode({ name: 'idle' })}>
              {t('common.cancel')}
            </button>
            <button type="submit" className="primary" disabled={busy}>
              {busy ? t('passkey.adding') : t('passkey.create')}
            </button>
          </div>
        </form>
      )}
      <FormError error={error} />
      <ConfirmDialog
        open={mode.name === 'deleting'}
        title={t('passkey.deleteTitle')}
        confirmLabel={t('passkey.delete')}
        onConfirm={() => {
          if (mode.name === 'deleting') remove(mode.passkey);
        }}
        onCancel={() => setMode({ name: 'idle' })}
      >
        <p>{mode.name === 'deleting' ? t('passkey.deleteWarning', { name: label(mode.passkey) }) : null}</p>
      </ConfirmDialog>
    </section>
  );
}
