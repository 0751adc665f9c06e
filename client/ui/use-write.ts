import { useCallback } from 'react';
import type { MutatorName } from '../../sync-rules/mutators.ts';
import type { SubmitOutcome } from '../sync/outbox.ts';
import { useSubmit } from '../sync/sync-provider.tsx';
import type { WriteArgs } from '../sync/write-schemas.ts';
import { useNotify } from './notices.tsx';

export type WriteOutcome = SubmitOutcome | { status: 'failed' };

/**
 * Submit for UI handlers: rejections are already announced by the outbox; a failure to store the
 * write at all (IndexedDB refused it) is announced here, and the caller keeps the form open.
 */
export function useWrite(): <N extends MutatorName>(name: N, args: WriteArgs<N>) => Promise<WriteOutcome> {
  const submit = useSubmit();
  const notify = useNotify();
  return useCallback(
    async (name, args) => {
      try {
        return await submit(name, args);
      } catch (error) {
        console.error(`write ${name} could not be stored`, error);
        notify({ reason: 'GENERIC', rejected: false });
        return { status: 'failed' };
      }
    },
    [submit, notify],
  );
}
