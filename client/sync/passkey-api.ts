import { z } from 'zod';
import { IdentityError, identityRequest } from './identity-api.ts';
import { assertionToJSON, creationOptionsFromJSON, registrationToJSON, requestOptionsFromJSON, type BrowserCredential } from './webauthn-json.ts';

/**
 * Passkeys through better-auth's passkey plugin (docs/adr/0010-passkeys.md). The browser's refusals
 * become IdentityErrors with our own codes, so they read like every other sign-in failure.
 */
export const PASSKEY_CANCELLED = 'PASSKEY_CANCELLED';
export const PASSKEY_UNSUPPORTED = 'PASSKEY_UNSUPPORTED';
export const PASSKEY_NOT_ALLOWED_HERE = 'PASSKEY_NOT_ALLOWED_HERE';
export const PASSKEY_ALREADY_REGISTERED = 'PASSKEY_ALREADY_REGISTERED';

export function passkeysSupported(): boolean {
  return typeof window !== 'undefined' && typeof window.PublicKeyCredential === 'function' && typeof navigator.credentials?.get === 'function';
}

/** Whether the browser can offer passkeys in the email field's autofill (WebAuthn conditional UI). */
export async function passkeyAutofillAvailable(): Promise<boolean> {
  if (!passkeysSupported() || typeof PublicKeyCredential.isConditionalMediationAvailable !== 'function') return false;
  return PublicKeyCredential.isConditionalMediationAvailable().catch(() => false);
}

/** A browser refusal of a WebAuthn ceremony as an IdentityError with our code; other failures unchanged. */
export function browserRefusal(error: unknown, ceremony: 'create' | 'get'): unknown {
  if (!(error instanceof DOMException)) return error;
  const code = (() => {
    switch (error.name) {
      // The person closed the prompt, it timed out, or (sign-in) this device has no passkey for us.
      case 'NotAllowedError':
      case 'AbortError':
        return PASSKEY_CANCELLED;
      case 'InvalidStateError':
        return ceremony === 'create' ? PASSKEY_ALREADY_REGISTERED : PASSKEY_CANCELLED;
      // Passkeys need a domain over https (or localhost), never a bare IP address.
      case 'SecurityError':
        return PASSKEY_NOT_ALLOWED_HERE;
      case 'NotSupportedError':
        return PASSKEY_UNSUPPORTED;
      default:
        return null;
    }
  })();
  return code === null ? error : new IdentityError(code, 0, error.message);
}

async function ask<T>(ceremony: 'create' | 'get', run: () => Promise<Credential | null>, toJSON: (credential: BrowserCredential) => T): Promise<T> {
  if (!passkeysSupported()) throw new IdentityError(PASSKEY_UNSUPPORTED, 0, 'no WebAuthn in this browser');
  let credential: Credential | null;
  try {
    credential = await run();
  } catch (error) {
    throw browserRefusal(error, ceremony);
  }
  if (credential === null) throw new IdentityError(PASSKEY_CANCELLED, 0, 'no credential');
  return toJSON(credential as unknown as BrowserCredential);
}

/**
 * Signs in with a passkey the person picks. With `autofill`, the browser offers the passkeys in the
 * email field's suggestions instead of a prompt, until the signal aborts (leaving the page, or the
 * button asking instead). `rememberMe: false` (a shared device) ends the session with the browser.
 */
export async function signInWithPasskey(options: { rememberMe: boolean; autofill?: AbortSignal }): Promise<void> {
  const json = (await identityRequest('/api/auth/passkey/generate-authenticate-options')) as PublicKeyCredentialRequestOptionsJSON;
  const publicKey = requestOptionsFromJSON(json);
  const response = await ask(
    'get',
    () => navigator.credentials.get(options.autofill === undefined ? { publicKey } : { publicKey, mediation: 'conditional', signal: options.autofill }),
    assertionToJSON,
  );
  await identityRequest(`/api/auth/passkey/verify-authentication${options.rememberMe ? '' : '?rememberMe=false'}`, { body: { response } });
}

/** Adds a passkey to the signed-in account, under a name the person chose. */
export async function registerPasskey(name: string): Promise<void> {
  const json = (await identityRequest('/api/auth/passkey/generate-register-options')) as PublicKeyCredentialCreationOptionsJSON;
  const publicKey = creationOptionsFromJSON(json);
  const response = await ask('create', () => navigator.credentials.create({ publicKey }), registrationToJSON);
  await identityRequest('/api/auth/passkey/verify-registration', { body: { response, name } });
}

const ZPasskey = z.object({ id: z.string(), name: z.string().nullish(), createdAt: z.coerce.date().nullish() });
export type PasskeyInfo = z.infer<typeof ZPasskey>;

export async function listPasskeys(): Promise<PasskeyInfo[]> {
  return z.array(ZPasskey).parse(await identityRequest('/api/auth/passkey/list-user-passkeys'));
}

export async function deletePasskey(id: string): Promise<void> {
  await identityRequest('/api/auth/passkey/delete-passkey', { body: { id } });
}
