/**
 * WebAuthn between the server's JSON (base64url strings) and the browser's binary API. The browsers'
 * own `parse…FromJSON` / `toJSON` are newer than WebAuthn itself, so this works without them.
 */

export function base64urlToBytes(text: string): ArrayBuffer {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

export function bytesToBase64url(bytes: ArrayBuffer | ArrayBufferView): string {
  const view = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let binary = '';
  for (const byte of view) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const descriptor = (json: PublicKeyCredentialDescriptorJSON): PublicKeyCredentialDescriptor => ({
  type: 'public-key',
  id: base64urlToBytes(json.id),
  ...(json.transports === undefined ? {} : { transports: json.transports as AuthenticatorTransport[] }),
});

// The only extension our server asks for: whether the passkey is discoverable. Others are dropped.
const extensions = (json: { extensions?: AuthenticationExtensionsClientInputsJSON }) =>
  json.extensions?.credProps === undefined ? {} : { extensions: { credProps: json.extensions.credProps } };

export function creationOptionsFromJSON(json: PublicKeyCredentialCreationOptionsJSON): PublicKeyCredentialCreationOptions {
  return {
    rp: json.rp,
    user: { id: base64urlToBytes(json.user.id), name: json.user.name, displayName: json.user.displayName },
    challenge: base64urlToBytes(json.challenge),
    pubKeyCredParams: json.pubKeyCredParams.map(({ alg }) => ({ type: 'public-key', alg })),
    excludeCredentials: (json.excludeCredentials ?? []).map(descriptor),
    ...(json.timeout === undefined ? {} : { timeout: json.timeout }),
    ...(json.authenticatorSelection === undefined ? {} : { authenticatorSelection: json.authenticatorSelection }),
    ...(json.attestation === undefined ? {} : { attestation: json.attestation as AttestationConveyancePreference }),
    ...extensions(json),
  };
}

export function requestOptionsFromJSON(json: PublicKeyCredentialRequestOptionsJSON): PublicKeyCredentialRequestOptions {
  return {
    challenge: base64urlToBytes(json.challenge),
    allowCredentials: (json.allowCredentials ?? []).map(descriptor),
    ...(json.rpId === undefined ? {} : { rpId: json.rpId }),
    ...(json.timeout === undefined ? {} : { timeout: json.timeout }),
    ...(json.userVerification === undefined ? {} : { userVerification: json.userVerification as UserVerificationRequirement }),
  };
}

/** What `navigator.credentials` hands back, as far as the server needs it. */
export type BrowserCredential = {
  id: string;
  rawId: ArrayBuffer;
  type: string;
  authenticatorAttachment: string | null;
  response: {
    clientDataJSON: ArrayBuffer;
    attestationObject?: ArrayBuffer;
    getTransports?: () => string[];
    authenticatorData?: ArrayBuffer;
    signature?: ArrayBuffer;
    userHandle?: ArrayBuffer | null;
  };
  getClientExtensionResults(): AuthenticationExtensionsClientOutputs;
};

function common(credential: BrowserCredential) {
  return {
    id: credential.id,
    rawId: bytesToBase64url(credential.rawId),
    type: credential.type,
    clientExtensionResults: credential.getClientExtensionResults(),
    ...(credential.authenticatorAttachment === null ? {} : { authenticatorAttachment: credential.authenticatorAttachment }),
  };
}

/** A new passkey, for `/passkey/verify-registration`. */
export function registrationToJSON(credential: BrowserCredential) {
  const { response } = credential;
  if (response.attestationObject === undefined) throw new TypeError('not a registration');
  return {
    ...common(credential),
    response: {
      clientDataJSON: bytesToBase64url(response.clientDataJSON),
      attestationObject: bytesToBase64url(response.attestationObject),
      transports: response.getTransports?.() ?? [],
    },
  };
}

/** A signed challenge, for `/passkey/verify-authentication`. */
export function assertionToJSON(credential: BrowserCredential) {
  const { response } = credential;
  if (response.authenticatorData === undefined || response.signature === undefined) throw new TypeError('not an assertion');
  return {
    ...common(credential),
    response: {
      clientDataJSON: bytesToBase64url(response.clientDataJSON),
      authenticatorData: bytesToBase64url(response.authenticatorData),
      signature: bytesToBase64url(response.signature),
      ...(response.userHandle === null || response.userHandle === undefined ? {} : { userHandle: bytesToBase64url(response.userHandle) }),
    },
  };
}
