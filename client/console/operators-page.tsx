import { useCallback, useEffect, useState } from 'react';
import type { PlatformRole } from '../../sync-rules/context.ts';
import { can } from '../../sync-rules/permissions.ts';
import { useSession } from '../sync/session-provider.tsx';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { useT } from '../ui/i18n/i18n-provider.tsx';
import { PageTitle } from '../ui/page-title.tsx';
import { FormError } from '../ui/sign-in/form-error.tsx';
import { useAction } from '../ui/sign-in/use-action.ts';
import { useApi } from '../ui/use-api.ts';
import { OperatorGrantForm } from './operator-grant-form.tsx';
import { changeOperatorRole, listOperators, revokeOperator, type Operator } from './operators-api.ts';

const OTHER_ROLE: Record<PlatformRole, PlatformRole> = { superadmin: 'support_engineer', support_engineer: 'superadmin' };

/**
 * Everyone with a platform role. Superadmins grant, change and revoke; support engineers read.
 * Nobody acts on their own row: the server refuses changing one's own role, and so the only
 * superadmin (who would be the viewer) can never be demoted from here.
 */
function OperatorList({ manage, reloadKey }: { manage: boolean; reloadKey: number }) {
  const t = useT();
  const { context } = useSession();
  const api = useApi();
  const [operators, setOperators] = useState<Operator[] | null>(null);
  const [revoking, setRevoking] = useState<Operator | null>(null);
  const { busy, error, run } = useAction();

  // useApi's call is stable across renewed tokens, so the list loads once (and after each change).
  const load = useCallback(async () => setOperators(await api(listOperators)), [api]);
  useEffect(() => {
    run(load);
  }, [run, load, reloadKey]);

  const act = (work: () => Promise<unknown>) =>
    run(async () => {
      await work();
      await load();
    });

  if (operators === null) return error === null ? <p className="muted">{t('common.loading')}</p> : <FormError error={error} />;
  return (
    <>
      <FormError error={error} />
      <table className="data-table">
        <caption className="visually-hidden">{t('operators.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('operators.name')}</th>
            <th scope="col">{t('operators.email')}</th>
            <th scope="col">{t('operators.role')}</th>
            <th scope="col">{t('operators.secondFactor')}</th>
            {manage && <th scope="col">{t('operators.actions')}</th>}
          </tr>
        </thead>
        <tbody>
          {operators.map((operator) => {
            const self = operator.principalId === context.principalId;
            return (
              <tr key={operator.principalId} data-testid="operator-row" data-email={operator.email} data-role={operator.role}>
                <th scope="row">
                  {operator.name}
                  {self && <span className="tag">{t('operators.you')}</span>}
                </th>
                <td>{operator.email}</td>
                <td>{t(`operators.role.${operator.role}`)}</td>
                <td>{operator.secondFactor ? t('operators.secondFactorOn') : t('operators.secondFactorOff')}</td>
                {manage && (
                  <td>
                    {!self && (
                      <div className="row-actions">
                        <button type="button" className="small" disabled={busy} onClick={() => act(() => api((token) => changeOperatorRole(token, operator.principalId, OTHER_ROLE[operator.role])))}>
                          {operator.role === 'superadmin' ? t('operators.makeSupportEngineer') : t('operators.makeSuperadmin')}
                        </button>
                        <button type="button" className="small danger" disabled={busy} onClick={() => setRevoking(operator)}>
                          {t('operators.revoke')}
                        </button>
                      </div>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      <ConfirmDialog
        open={revoking !== null}
        title={t('operators.revokeTitle', { name: revoking?.name ?? '' })}
        confirmLabel={t('operators.revokeConfirm')}
        onCancel={() => setRevoking(null)}
        onConfirm={() => {
          const target = revoking;
          setRevoking(null);
          if (target !== null) act(() => api((token) => revokeOperator(token, target.principalId)));
        }}
      >
        <p>{t('operators.revokeExplain')}</p>
      </ConfirmDialog>
    </>
  );
}

export function OperatorsPage() {
  const t = useT();
  const { context } = useSession();
  const [reloadKey, setReloadKey] = useState(0);

  if (!can(context, 'platform.operators.read')) {
    return (
      <>
        <PageTitle>{t('operators.title')}</PageTitle>
        <p className="callout" data-testid="operators-only">
          {t('organizations.operatorsOnly')}
        </p>
      </>
    );
  }
  const manage = can(context, 'platform.manage');
  return (
    <>
      <PageTitle>{t('operators.title')}</PageTitle>
      <p className="muted">{t('operators.intro')}</p>
      {manage ? <OperatorGrantForm onGranted={() => setReloadKey((key) => key + 1)} /> : <p className="muted">{t('operators.readOnly')}</p>}
      <OperatorList manage={manage} reloadKey={reloadKey} />
    </>
  );
}
