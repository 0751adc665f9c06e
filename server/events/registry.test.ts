import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineEvent, eventKey } from './define-event.ts';
import { EVENT_DEFINITIONS, findEvent } from './registry.ts';

describe('the events registry', () => {
  it('holds each event once, by name and version, each with a payload schema and a description', () => {
    const keys = EVENT_DEFINITIONS.map((event) => eventKey(event.name, event.version));
    expect(new Set(keys).size).toBe(keys.length);
    for (const event of EVENT_DEFINITIONS) {
      expect(findEvent(event.name, event.version)).toBe(event);
      expect(event.payload).toBeInstanceOf(z.ZodType);
      expect(event.description.length).toBeGreaterThan(20);
    }
  });

  it('knows no other name or version', () => {
    expect(findEvent('invitation.created', 2)).toBeNull();
    expect(findEvent('invitation.deleted', 1)).toBeNull();
    expect(findEvent('', 1)).toBeNull();
  });

  it('keeps the links of its mail events out of their payloads', () => {
    // A webhook or automation will be offered the payload; a link's token must never be in it.
    for (const event of EVENT_DEFINITIONS) {
      const fields = Object.keys((event.payload as z.ZodObject).shape);
      expect(fields.filter((field) => /token|url|link|secret|password/i.test(field)), event.name).toEqual([]);
    }
  });

  it('refuses names and versions the outbox table would refuse', () => {
    const payload = z.object({});
    for (const name of ['Invitation.created', 'invitation', 'invitation..created', 'invitation.created!', `a.${'b'.repeat(100)}`]) {
      expect(() => defineEvent({ name, version: 1, payload, description: 'x' }), name).toThrow();
    }
    for (const version of [0, 1.5, 1001]) expect(() => defineEvent({ name: 'a.b', version, payload, description: 'x' })).toThrow();
    expect(defineEvent({ name: 'clinic_location.closed', version: 3, payload, description: 'x' })).toMatchObject({ secret: null });
  });
});
