import { useQuery } from '@rocicorp/zero/react';
import { useState } from 'react';
import { roleNameKey } from '../../sync-rules/mutators/organization-roles.ts';
import { can, organizationPermissionsOf } from '../../sync-rules/permissions.ts';
import { queries } from '../../sync-rules/queries.ts';
import { useSession } from '../sync/session-provider.tsx';
import { newWriteId } from '../sync/write-schemas.ts';
import { ConfirmDialog } from '../ui/confirm-dialog.tsx';
import { useT } from '../ui/i18n/i18n-provider.tsx';
import { PageTitle } from '../ui/page-title.tsx';
import { useWrite } from '../ui/use-write.ts';
import { RoleForm, type RoleFields } from './role-form.tsx';

type Editing = { kind: 'new' } | { kind: 'edit'; id: string; fields: RoleFields };
type RoleRow = { id: string; name: string; description: string; permissions: RoleFields['permissions'] };

const EMPTY: RoleFields = { name: '', description: '', permissions: ['locations.read', 'members.read'] };

/** The clinic's own roles: named sets of permissions, on top of the system roles. */
export function RolesPage() {
  const t = useT();
  const session = useSession();
  const write = useWrite();
  const [roles, details] = useQuery(queries.clinic.roles());
  const [members] = useQuery(queries.clinic.members());
  const [editing, setEditing] = useState<Editing | null>(null);
  const [deleting, setDeleting] = useState<RoleRow | null>(null);
  const canManage = can(session.context, 'roles.manage');
  const grantable = organizationPermissionsOf(session.context);
  const holders = (id: string) => members.filter((membership) => membership.customRoleId === id).length;

  const save = async (fields: RoleFields): Promise<string | null> => {
    const taken = roles.some((role) => roleNameKey(role.name) === roleNameKey(fields.name) && (editing?.kind !== 'edit' || role.id !== editing.id));
    if (taken) return t('error.ROLE_NAME_TAKEN');
    const outcome = editing?.kind === 'edit'
      ? await write('role.update', { writeId: newWriteId(), id: editing.id, ...fields })
      : await write('role.create', { writeId: newWriteId(), id: crypto.randomUUID(), ...fields });
    if (outcome.status === 'rejected' && outcome.code === 'ROLE_NAME_TAKEN') return t('error.ROLE_NAME_TAKEN');
    if (outcome.status !== 'failed') setEditing(null);
    return null;
  };

  return (
    <>
      <PageTitle>{t('roles.title')}</PageTitle>
      <p className="muted">{t('roles.explain')}</p>
      {canManage && editing === null && (
        <div className="toolbar">
          <button type="button" className="primary" onClick={() => setEditing({ kind: 'new' })}>
            {t('roles.new')}
          </button>
        </div>
      )}
      {editing !== null && (
        <RoleForm
          key={editing.kind === 'edit' ? editing.id : 'new'}
          initial={editing.kind === 'edit' ? editing.fields : EMPTY}
          grantable={grantable}
          submitLabel={editing.kind === 'edit' ? t('roles.save') : t('roles.create')}
          onSave={save}
          onCancel={() => setEditing(null)}
        />
      )}
      {roles.length === 0 ? (
        <p className="muted">{details.type === 'complete' ? t('roles.empty') : t('common.loading')}</p>
      ) : (
        <table className="data-table" data-testid="roles-table">
          <caption className="visually-hidden">{t('roles.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('roles.name')}</th>
              <th scope="col">{t('roles.permissions')}</th>
              <th scope="col">{t('roles.holders')}</th>
              {canManage && <th scope="col">{t('members.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {roles.map((role) => {
              const editable = canManage && role.permissions.every((permission) => grantable.includes(permission));
              return (
                <tr key={role.id} data-testid="role-row">
                  <th scope="row">
                    {role.name}
                    {role.description !== '' && <p className="muted">{role.description}</p>}
                  </th>
                  <td>{role.permissions.map((permission) => t(`permission.${permission}`)).join(', ') || t('roles.noPermissions')}</td>
                  <td>{holders(role.id)}</td>
                  {canManage && (
                    <td className="actions">
                      {editable && (
                        <>
                          <button type="button" className="small" onClick={() => setEditing({ kind: 'edit', id: role.id, fields: { name: role.name, description: role.description, permissions: [...role.permissions] } })}>
                            {t('roles.edit')}
                          </button>
                          <button type="button" className="small danger" onClick={() => setDeleting(role)}>
                            {t('roles.delete')}
                          </button>
                        </>
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
        open={deleting !== null}
        title={t('roles.deleteTitle', { name: deleting?.name ?? '' })}
        confirmLabel={t('roles.delete')}
        onCancel={() => setDeleting(null)}
        onConfirm={() => {
          if (deleting !== null) void write('role.delete', { writeId: newWriteId(), id: deleting.id });
          setDeleting(null);
        }}
      >
        <p>{deleting !== null && holders(deleting.id) > 0 ? t('error.ROLE_IN_USE') : t('roles.deleteExplain')}</p>
      </ConfirmDialog>
    </>
  );
}
