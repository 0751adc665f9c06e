import { deleteDB, openDB, type DBSchema } from 'idb';
import type { AppName } from './app-name.ts';
import { ZOutboxEntry, type OutboxEntry } from './outbox-entry.ts';
import type { OutboxStore } from './outbox.ts';

interface OutboxSchema extends DBSchema {
  entries: { key: string; value: OutboxEntry };
}

/** One database per app and principal, so a different person on the same device never replays them. */
export function outboxDatabaseName(app: AppName, principalId: string): string {
  return `restartix-${app}-outbox-${principalId}`;
}

export type OpenOutboxStore = OutboxStore & { close(): void };

/**
 * The outbox in IndexedDB. Tabs of the same app share it; each change is announced on a
 * BroadcastChannel so the other tabs' pending counts follow.
 */
export async function openOutboxStore(name: string, onOtherTabChange: () => void): Promise<OpenOutboxStore> {
  const db = await openDB<OutboxSchema>(name, 1, {
    upgrade(database) {
      database.createObjectStore('entries', { keyPath: 'writeId' });
    },
    blocking() {
      // Another tab signs out and deletes this database: let it.
      db.close();
    },
  });
  const channel = new BroadcastChannel(name);
  channel.onmessage = onOtherTabChange;

  return {
    async put(entry) {
      const tx = db.transaction('entries', 'readwrite');
      await Promise.all([tx.store.put(entry), tx.done]);
      channel.postMessage('changed');
    },
    async delete(writeId) {
      const tx = db.transaction('entries', 'readwrite');
      await Promise.all([tx.store.delete(writeId), tx.done]);
      channel.postMessage('changed');
    },
    async getAll() {
      const rows = await db.getAll('entries');
      return rows.flatMap((row) => {
        const parsed = ZOutboxEntry.safeParse(row);
        if (parsed.success) return [parsed.data];
        // Kept in the database (never silently deleted), but not replayed: it is not a write we understand.
        console.error('outbox: unreadable entry', row, parsed.error);
        return [];
      });
    },
    close() {
      channel.close();
      db.close();
    },
  };
}

/**
 * The outbox of a shared device: nothing on disk, so a write not yet confirmed when the tab closes
 * is lost. That is what "shared device" means; the app warns before signing out with pending writes.
 */
export function memoryOutboxStore(): OpenOutboxStore {
  const entries = new Map<string, OutboxEntry>();
  return {
    put(entry) {
      entries.set(entry.writeId, entry);
      return Promise.resolve();
    },
    delete(writeId) {
      entries.delete(writeId);
      return Promise.resolve();
    },
    getAll() {
      return Promise.resolve([...entries.values()]);
    },
    close() {
      entries.clear();
    },
  };
}

export async function deleteOutbox(name: string): Promise<void> {
  await deleteDB(name);
}
