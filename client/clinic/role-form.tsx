import { useId, useState, type FormEvent } from 'react';
import { ORGANIZATION_PERMISSIONS, type OrganizationPermission } from '../../sync-rules/permissions.ts';
import { useT } from '../ui/i18n/i18n-provider.tsx';
import { TextField } from '../ui/text-field.tsx';

export type RoleFields = { name: string; description: string; permissions: OrganizationPermission[] };

type Props = {
  initial: RoleFields;
  /** What the editor holds: a role cannot grant more (the server refuses it too). */
  grantable: readonly OrganizationPermission[];
  submitLabel: string;
  /** Resolves to a message for the name field, or null once saved. */
  onSave: (fields: RoleFields) => Promise<string | null>;
  onCancel: () => void;
};

/** A custom role: a name people recognise and the permissions it grants, each explained. */
export function RoleForm({ initial, grantable, submitLabel, onSave, onCancel }: Props) {
  const t = useT();
  const legendId = useId();
  const [fields, setFields] = useState(initial);
  const [nameProblem, setNameProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const toggle = (permission: OrganizationPermission, on: boolean) =>
    setFields((current) => ({
      ...current,
      permissions: on ? [...current.permissions, permission] : current.permissions.filter((p) => p !== permission),
    }));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (fields.name.trim() === '') {
      setNameProblem(t('roles.nameRequired'));
      return;
    }
    setBusy(true);
    void onSave({ ...fields, name: fields.name.trim(), description: fields.description.trim() }).then((problem) => {
      setNameProblem(problem);
      setBusy(false);
    });
  };

  return (
    <form className="panel" onSubmit={onSubmit} noValidate data-testid="role-form">
      <TextField label={t('roles.name')} value={fields.name} onChange={(name) => setFields((c) => ({ ...c, name }))} error={nameProblem ?? undefined} required />
      <TextField label={t('roles.description')} value={fields.description} onChange={(description) => setFields((c) => ({ ...c, description }))} />
      <fieldset aria-labelledby={legendId}>
        <legend id={legendId}>{t('roles.permissions')}</legend>
        {ORGANIZATION_PERMISSIONS.map((permission) => {
          const allowed = grantable.includes(permission);
          return (
            <label key={permission} className="checkbox">
              <input
                type="checkbox"
                checked={fields.permissions.includes(permission)}
                disabled={!allowed}
                onChange={(event) => toggle(permission, event.target.checked)}
              />
              <span>
                {t(`permission.${permission}`)}
                {!allowed && <span className="muted"> {t('roles.notYours')}</span>}
              </span>
            </label>
          );
        })}
      </fieldset>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {submitLabel}
        </button>
        <button type="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
