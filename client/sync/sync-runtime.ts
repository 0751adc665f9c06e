import { dropAllDatabases, type Zero } from '@rocicorp/zero';
import type { AppName } from './app-name.ts';
import { becameConnected } from './outbox-logic.ts';
import { deleteOutbox, memoryOutboxStore, openOutboxStore, outboxDatabaseName } from './outbox-store.ts';
import { Outbox, type Rejection } from './outbox.ts';
import type { Session } from './session.ts';
import { createZero, mutateThrough } from './zero-client.ts';

export type SyncRuntime = {
  zero: Zero;
  outbox: Outbox;
  /** Closes Zero and the outbox; safe to call more than once. */
  stop(): Promise<void>;
};

export type SyncHandlers = {
  onRejected: (rejection: Rejection) => void;
  onError: (error: unknown) => void;
};

/** One signed-in session's sync: a Zero instance and the outbox that feeds it. */
export async function startSync(app: AppName, session: Session, handlers: SyncHandlers): Promise<SyncRuntime> {
  // The store reports changes made by other tabs; until the outbox exists there is nothing to refresh.
  let onStoreChange = (): void => undefined;
  // A shared device keeps nothing on disk: Zero runs in memory (zero-client.ts), and so does the outbox.
  const store = session.sharedDevice
    ? memoryOutboxStore()
    : await openOutboxStore(outboxDatabaseName(app, session.context.principalId), () => { onStoreChange(); });
  const zero = createZero(app, session);
  const booted = new Outbox({ store, mutate: mutateThrough(zero), ...handlers });
  onStoreChange = () => { booted.refresh().catch(handlers.onError); };

  try {
    await booted.refresh();
  } catch (error) {
    store.close();
    await zero.close();
    throw error;
  }
  // A new Zero instance knows nothing of writes a previous page left unconfirmed: send them all.
  booted.replay();

  let stopping: Promise<void> | undefined;
  let previous: string | undefined = zero.connection.state.current.name;
  const unsubscribe = zero.connection.state.subscribe((state) => {
    const cameBack = becameConnected(previous, state.name);
    previous = state.name;
    if (!cameBack) return;
    // Writes refused while disconnected, or whose answer was lost, go again once we are back.
    // Zero's own write gate hears of the new state after this listener (1.9 subscribes it
    // later), so a replay made right here would still be refused as "offline": wait one task.
    setTimeout(() => {
      if (stopping === undefined && zero.connection.state.current.name === 'connected') booted.replay();
    }, 0);
  });

  return {
    zero,
    outbox: booted,
    stop() {
      stopping ??= (async () => {
        unsubscribe();
        booted.close();
        store.close();
        await zero.close();
      })();
      return stopping;
    },
  };
}

/**
 * Sign-out leaves nothing behind: unconfirmed writes, then every Zero database on this origin
 * (they are not encrypted). The other apps' unconfirmed writes survive in their own outboxes.
 */
export async function wipeLocalData(
  app: AppName,
  principalId: string,
  runtime: SyncRuntime | null,
  forgetSession: () => void,
): Promise<void> {
  await runtime?.stop();
  await deleteOutbox(outboxDatabaseName(app, principalId));
  // Before Zero's databases: dropping them can wait on other tabs, and the person must not wait.
  forgetSession();
  await dropAllDatabases();
}
