import { useT } from './i18n/i18n-provider.tsx';
import { reasonText, type NoticeReason } from './notice-reason.ts';

/** Why an action on this page failed, said in words and announced; nothing when it did not. */
export function ReasonAlert({ reason }: { reason: NoticeReason | null }) {
  const t = useT();
  if (reason === null) return null;
  return (
    <p className="callout" role="alert">
      {reasonText(t, reason)}
    </p>
  );
}
