import type { ConnectionState } from '@rocicorp/zero';

type ConnectionLabel = 'connection.connected' | 'connection.connecting' | 'connection.needsAuth' | 'connection.offline';

/** What the badge says for each of Zero's connection states; every state that cannot sync is "offline". */
export function connectionLabel(state: ConnectionState['name']): ConnectionLabel {
  switch (state) {
    case 'connected':
      return 'connection.connected';
    case 'connecting':
      return 'connection.connecting';
    case 'needs-auth':
      return 'connection.needsAuth';
    case 'disconnected':
    case 'error':
    case 'closed':
      return 'connection.offline';
  }
}
