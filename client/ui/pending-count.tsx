import { usePendingCount } from '../sync/sync-provider.tsx';
import { useT } from './i18n/i18n-provider.tsx';

export function PendingCount() {
  const t = useT();
  const count = usePendingCount();
  return (
    <span className="pending-count" data-testid="pending-count" data-count={count} title={t('header.pendingHint')}>
      {t('header.pending', { count })}
    </span>
  );
}
