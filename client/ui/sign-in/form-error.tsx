import { useT } from '../i18n/i18n-provider.tsx';
import { identityErrorKey } from './identity-messages.ts';

/** A failed step, said in words and announced. Renders nothing when there is no error. */
export function FormError({ error }: { error: unknown }) {
  const t = useT();
  if (error === null || error === undefined) return null;
  return (
    <p className="field-error" role="alert" data-testid="form-error">
      {t(identityErrorKey(error))}
    </p>
  );
}
