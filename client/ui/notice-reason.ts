import type { ErrorCode } from '../../sync-rules/errors.ts';
import type { Translate } from './i18n/i18n-provider.tsx';

/** Why something failed, as the person is told: one of our error codes, the network, or "unknown". */
export type NoticeReason = ErrorCode | 'NETWORK' | 'GENERIC';

export function reasonText(t: Translate, reason: NoticeReason): string {
  if (reason === 'NETWORK') return t('error.network');
  if (reason === 'GENERIC') return t('error.generic');
  return t(`error.${reason}`);
}
