import { useQuery } from '@rocicorp/zero/react';
import { Link } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { can } from '../../sync-rules/permissions.ts';
import { queries } from '../../sync-rules/queries.ts';
import { useSession } from '../sync/session-provider.tsx';
import { newWriteId } from '../sync/write-schemas.ts';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { useT, type Translate } from '../ui/i18n/i18n-provider.tsx';
import { PageTitle } from '../ui/page-title.tsx';
import { useWrite } from '../ui/use-write.ts';
import { choiceValue, mayGrant, mayManage, roleChoices, type RoleChoice } from './member-roles.ts';

type Member = { id: string; principalId: string; name: string; email: string; current: RoleChoice | undefined };

export function roleLabel(t: Translate, choice: RoleChoice | undefined, customName?: string): string {
  if (choice === undefined) return t('members.unknownRole');
  if (choice.role === 'custom') return customName ?? t('members.unknownRole');
  return t(`roles.system.${choice.role}`);
}

/** Who works at the clinic; managers change roles and remove people (never themselves). */
export function MembersPage() {
  const t = useT();
  const session = useSession();
  const write = useWrite();
  const [memberships, details] = useQuery(queries.clinic.members());
  const [customRoles] = useQuery(queries.clinic.roles());
  const [removing, setRemoving] = useState<Member | null>(null);
  const manager = session.context;
  const canManage = can(manager, 'members.manage');

  const choices = useMemo(() => roleChoices(customRoles), [customRoles]);
  const customNames = useMemo(() => new Map(customRoles.map((role) => [role.id, role.name])), [customRoles]);
  const members: Member[] = useMemo(
    () =>
      memberships
        .map((membership) => ({
          id: membership.id,
          principalId: membership.principalId,
          name: membership.human?.name ?? '',
          email: membership.human?.email ?? '',
          current: choices.find((choice) => choice.value === choiceValue(membership.role, membership.customRoleId)),
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    [memberships, choices],
  );

  const changeRole = (member: Member, value: string) => {
    const next = choices.find((choice) => choice.value === value);
    if (next === undefined) return;
    void write('member.changeRole', { writeId: newWriteId(), id: member.id, role: next.role, customRoleId: next.customRoleId });
  };

  const labelOf = (choice: RoleChoice | undefined) => roleLabel(t, choice, choice?.customRoleId === null ? undefined : customNames.get(choice?.customRoleId ?? ''));

  return (
    <>
      <PageTitle>{t('members.title')}</PageTitle>
      <div className="toolbar">
        {canManage ? (
          <span className="actions">
            <Link to="/invitations" className="button primary">{t('members.invite')}</Link>
            <Link to="/roles" className="button">{t('members.manageRoles')}</Link>
          </span>
        ) : (
          <p className="muted">{t('members.readOnly')}</p>
        )}
      </div>
      {members.length === 0 ? (
        <p className="muted">{details.type === 'complete' ? t('members.empty') : t('common.loading')}</p>
      ) : (
        <table className="data-table" data-testid="members-table">
          <caption className="visually-hidden">{t('members.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('members.name')}</th>
              <th scope="col">{t('members.email')}</th>
              <th scope="col">{t('members.role')}</th>
              {canManage && <th scope="col">{t('members.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {members.map((member) => {
              const manageable = canManage && mayManage(manager, member.principalId, member.current);
              return (
                <tr key={member.id} data-testid="member-row" data-email={member.email}>
                  <th scope="row">
                    {member.name}
                    {member.principalId === manager.principalId && <span className="muted"> {t('members.you')}</span>}
                  </th>
                  <td>{member.email}</td>
                  <td>
                    {manageable ? (
                      <select
                        aria-label={t('members.roleOf', { name: member.name })}
                        value={member.current?.value ?? ''}
                        onChange={(event) => changeRole(member, event.target.value)}
                      >
                        {choices.map((choice) => (
                          <option key={choice.value} value={choice.value} disabled={!mayGrant(manager, choice)}>
                            {labelOf(choice)}
                          </option>
                        ))}
                      </select>
                    ) : (
                      labelOf(member.current)
                    )}
                  </td>
                  {canManage && (
                    <td>
                      {manageable && (
                        <button type="button" className="danger small" onClick={() => setRemoving(member)}>
                          {t('members.remove')}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <ConfirmDialog
        open={removing !== null}
        title={t('members.removeTitle', { name: removing?.name ?? '' })}
        confirmLabel={t('members.removeConfirm')}
        onCancel={() => setRemoving(null)}
        onConfirm={() => {
          if (removing !== null) void write('member.remove', { writeId: newWriteId(), id: removing.id });
          setRemoving(null);
        }}
      >
        <p>{t('members.removeExplain')}</p>
      </ConfirmDialog>
    </>
  );
}
