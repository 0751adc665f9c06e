import { describe, expect, it } from 'vitest';
import { connectionLabel } from './connection-label.ts';

describe('connectionLabel', () => {
  it('maps every Zero state to one of four labels', () => {
    expect(connectionLabel('connected')).toBe('connection.connected');
    expect(connectionLabel('connecting')).toBe('connection.connecting');
    expect(connectionLabel('needs-auth')).toBe('connection.needsAuth');
    for (const state of ['disconnected', 'error', 'closed'] as const) expect(connectionLabel(state)).toBe('connection.offline');
  });
});
