import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/**
 * A WebAuthn authenticator in software, for server tests: it answers the JSON options of a
 * registration or sign-in with the JSON a browser would post (ES256, "none" attestation), and can be
 * told to lie (no user verification, another origin, another key) the way an attacker would.
 */

type Cbor = number | string | Uint8Array | Map<number | string, Cbor>;

function cborHead(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 0x100) return Buffer.from([(major << 5) | 24, length]);
  if (length < 0x10000) return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff]);
  const head = Buffer.alloc(5);
  head[0] = (major << 5) | 26;
  head.writeUInt32BE(length, 1);
  return head;
}

/** The subset of CBOR (RFC 8949) that attestation objects and COSE keys use. */
function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? cborHead(0, value) : cborHead(1, -1 - value);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([cborHead(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([cborHead(2, value.length), value]);
  return Buffer.concat([cborHead(5, value.size), ...[...value].flatMap(([key, item]) => [cbor(key), cbor(item)])]);
}

const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest();

const FLAG_USER_PRESENT = 0x01;
const FLAG_USER_VERIFIED = 0x04;
const FLAG_ATTESTED_CREDENTIAL = 0x40;

function authenticatorData(rpId: string, flags: number, counter: number, attested?: Buffer): Buffer {
  const count = Buffer.alloc(4);
  count.writeUInt32BE(counter);
  return Buffer.concat([sha256(rpId), Buffer.from([flags]), count, ...(attested === undefined ? [] : [attested])]);
}

function coseKey(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  const coordinate = (value: string | undefined) => Buffer.from(value ?? '', 'base64url');
  // kty EC2, alg ES256, crv P-256, x, y
  return cbor(new Map<number, Cbor>([[1, 2], [3, -7], [-1, 1], [-2, coordinate(jwk.x)], [-3, coordinate(jwk.y)]]));
}

type Lies = {
  /** Presence only, no PIN or biometric. */
  userVerified?: boolean;
  /** The page the browser would report: a phishing site, say. */
  origin?: string;
  /** Sign with a key the server never saw. */
  forgeSignature?: boolean;
  /** Register under a credential id of someone else's passkey. */
  credentialId?: string;
};

export type SoftPasskey = { credentialId: string; userHandle: string | null };

export type SoftAuthenticator = {
  /** Answers `/passkey/generate-register-options`; the body for `/passkey/verify-registration`'s `response`. */
  register(options: unknown, lies?: Lies): Record<string, unknown>;
  /** Answers `/passkey/generate-authenticate-options` with the newest passkey; the `response` of `/passkey/verify-authentication`. */
  signIn(options: unknown, lies?: Lies): Record<string, unknown>;
  passkeys(): SoftPasskey[];
};

type Credential = SoftPasskey & { privateKey: KeyObject; counter: number; rpId: string };

type RegistrationOptions = { challenge: string; rp: { id: string }; user: { id: string } };
type SignInOptions = { challenge: string; rpId: string };

/** `origin` is the page the ceremonies run on (the server's baseURL). */
export function softAuthenticator(origin: string): SoftAuthenticator {
  const credentials: Credential[] = [];
  const clientData = (type: string, challenge: string, lies: Lies) =>
    Buffer.from(JSON.stringify({ type, challenge, origin: lies.origin ?? origin, crossOrigin: false }));
  const flags = (lies: Lies) => FLAG_USER_PRESENT | (lies.userVerified === false ? 0 : FLAG_USER_VERIFIED);

  return {
    register(raw, lies = {}) {
      const options = raw as RegistrationOptions;
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const id = lies.credentialId === undefined ? randomBytes(16) : Buffer.from(lies.credentialId, 'base64url');
      const idLength = Buffer.alloc(2);
      idLength.writeUInt16BE(id.length);
      const attested = Buffer.concat([Buffer.alloc(16), idLength, id, coseKey(publicKey)]);
      const authData = authenticatorData(options.rp.id, flags(lies) | FLAG_ATTESTED_CREDENTIAL, 0, attested);
      const attestationObject = cbor(new Map<string, Cbor>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]));
      credentials.push({ credentialId: b64url(id), userHandle: options.user.id, privateKey, counter: 0, rpId: options.rp.id });
      return {
        id: b64url(id),
        rawId: b64url(id),
        type: 'public-key',
        response: {
          clientDataJSON: b64url(clientData('webauthn.create', options.challenge, lies)),
          attestationObject: b64url(attestationObject),
          transports: ['internal'],
        },
        clientExtensionResults: {},
        authenticatorAttachment: 'platform',
      };
    },

    signIn(raw, lies = {}) {
      const options = raw as SignInOptions;
      const credential = credentials.at(-1);
      if (credential === undefined) throw new Error('no passkey registered on this authenticator');
      credential.counter += 1;
      const authData = authenticatorData(options.rpId, flags(lies), credential.counter);
      const data = clientData('webauthn.get', options.challenge, lies);
      const key = lies.forgeSignature === true ? generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey : credential.privateKey;
      const signature = sign('sha256', Buffer.concat([authData, sha256(data)]), key);
      return {
        id: credential.credentialId,
        rawId: credential.credentialId,
        type: 'public-key',
        response: {
          clientDataJSON: b64url(data),
          authenticatorData: b64url(authData),
          signature: b64url(signature),
          ...(credential.userHandle === null ? {} : { userHandle: credential.userHandle }),
        },
        clientExtensionResults: {},
        authenticatorAttachment: 'platform',
      };
    },

    passkeys: () => credentials.map(({ credentialId, userHandle }) => ({ credentialId, userHandle })),
  };
}
