import { symmetricDecrypt, symmetricEncrypt } from 'better-auth/crypto';
import type { Encryption, FieldContext } from '../crypto/encryption.ts';

/** How an event's secret is stored: one of the two columns, by whether the event has a clinic. */
export type SealedSecret = { secret: string | null; identitySecret: string | null };

export type EventRef = { id: string; organizationId: string | null };

/**
 * An event's secret (the token of an invitation link, a sign-in link) is stored only encrypted
 * (db/secret-storage.ts), and only until its handlers are done:
 * - an event of a clinic: under the clinic's data key (server/crypto/, ADR 0014), bound to this
 *   event's row, in `domain_events.secret` (the encrypted_field domain);
 * - an event of no clinic, which today means the identity service's mails: under the identity
 *   service's own scheme (better-auth's XChaCha20-Poly1305 under AUTH_TOKEN_SECRET, which already
 *   protects its TOTP seeds), in `domain_events.identity_secret`, with the event's id inside, so
 *   a ciphertext moved to another event (another address) does not open there.
 */
export type EventSecrets = {
  seal(event: EventRef, secret: unknown): Promise<SealedSecret>;
  open(event: EventRef, sealed: SealedSecret): Promise<unknown>;
};

export class EventSecretError extends Error {
  override name = 'EventSecretError';
}

const context = (eventId: string): FieldContext => ({ table: 'domain_events', column: 'secret', rowId: eventId });

export function createEventSecrets(deps: { encryption: Pick<Encryption, 'encryptField' | 'decryptField'>; identitySecret: string }): EventSecrets {
  return {
    async seal(event, secret) {
      const json = JSON.stringify(secret);
      if (event.organizationId !== null) {
        return { secret: await deps.encryption.encryptField(event.organizationId, context(event.id), json), identitySecret: null };
      }
      return { secret: null, identitySecret: await symmetricEncrypt({ key: deps.identitySecret, data: JSON.stringify({ eventId: event.id, secret: json }) }) };
    },
    async open(event, sealed) {
      if (event.organizationId !== null) {
        if (sealed.secret === null) throw new EventSecretError(`event ${event.id} has no secret`);
        return JSON.parse(await deps.encryption.decryptField(event.organizationId, context(event.id), sealed.secret)) as unknown;
      }
      if (sealed.identitySecret === null) throw new EventSecretError(`event ${event.id} has no secret`);
      let opened: { eventId?: unknown; secret?: unknown };
      try {
        opened = JSON.parse(await symmetricDecrypt({ key: deps.identitySecret, data: sealed.identitySecret })) as { eventId?: unknown; secret?: unknown };
      } catch {
        throw new EventSecretError(`the secret of event ${event.id} does not decrypt`);
      }
      // Security: sealed for another event, i.e. copied here from another row.
      if (opened.eventId !== event.id || typeof opened.secret !== 'string') throw new EventSecretError(`the secret of event ${event.id} belongs to another event`);
      return JSON.parse(opened.secret) as unknown;
    },
  };
}
