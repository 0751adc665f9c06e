import { describe, expect, it } from 'vitest';
import { assertionToJSON, base64urlToBytes, bytesToBase64url, creationOptionsFromJSON, registrationToJSON, requestOptionsFromJSON, type BrowserCredential } from './webauthn-json.ts';

const bytes = (...values: number[]) => new Uint8Array(values).buffer;

describe('WebAuthn JSON', () => {
  it('round-trips base64url, including the characters base64 spells differently and no padding', () => {
    const all = new Uint8Array(256).map((_, i) => i);
    const text = bytesToBase64url(all);
    expect(text).not.toMatch(/[+/=]/);
    expect(new Uint8Array(base64urlToBytes(text))).toEqual(all);
    expect(bytesToBase64url(bytes(0xfb, 0xff))).toBe('-_8');
    expect(new Uint8Array(base64urlToBytes('-_8'))).toEqual(new Uint8Array([0xfb, 0xff]));
    expect(bytesToBase64url(new Uint8Array([9, 1, 2, 3]).subarray(1))).toBe(bytesToBase64url(bytes(1, 2, 3)));
  });

  it("turns the server's registration options into the browser's, bytes where bytes belong", () => {
    const options = creationOptionsFromJSON({
      challenge: 'AQID',
      rp: { id: 'localhost', name: 'RestartiX' },
      user: { id: 'BAU', name: 'ana@example.test', displayName: 'ana@example.test' },
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      excludeCredentials: [{ id: 'Bgc', type: 'public-key', transports: ['internal'] }],
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      attestation: 'none',
      extensions: { credProps: true },
    });
    expect(new Uint8Array(options.challenge as ArrayBuffer)).toEqual(new Uint8Array([1, 2, 3]));
    expect(new Uint8Array(options.user.id as ArrayBuffer)).toEqual(new Uint8Array([4, 5]));
    expect(options.excludeCredentials?.map((c) => [new Uint8Array(c.id as ArrayBuffer), c.transports])).toEqual([[new Uint8Array([6, 7]), ['internal']]]);
    expect(options.authenticatorSelection).toEqual({ residentKey: 'required', userVerification: 'required' });
    expect(options.extensions).toEqual({ credProps: true });
  });

  it("turns the server's sign-in options into the browser's", () => {
    const options = requestOptionsFromJSON({ challenge: 'AQID', rpId: 'localhost', userVerification: 'required' });
    expect(new Uint8Array(options.challenge as ArrayBuffer)).toEqual(new Uint8Array([1, 2, 3]));
    expect(options).toMatchObject({ rpId: 'localhost', userVerification: 'required', allowCredentials: [] });
  });

  const credential = (response: BrowserCredential['response']): BrowserCredential => ({
    id: 'AQ',
    rawId: bytes(1),
    type: 'public-key',
    authenticatorAttachment: 'platform',
    response,
    getClientExtensionResults: () => ({ credProps: { rk: true } }),
  });

  it('encodes a new passkey for the server', () => {
    const json = registrationToJSON(credential({ clientDataJSON: bytes(1, 2), attestationObject: bytes(3), getTransports: () => ['internal', 'hybrid'] }));
    expect(json).toEqual({
      id: 'AQ',
      rawId: 'AQ',
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: { credProps: { rk: true } },
      response: { clientDataJSON: 'AQI', attestationObject: 'Aw', transports: ['internal', 'hybrid'] },
    });
    expect(() => assertionToJSON(credential({ clientDataJSON: bytes(1), attestationObject: bytes(3) }))).toThrow(TypeError);
  });

  it('encodes a signed challenge for the server, without a user handle when there is none', () => {
    const withHandle = assertionToJSON(credential({ clientDataJSON: bytes(1), authenticatorData: bytes(2), signature: bytes(3), userHandle: bytes(4) }));
    expect(withHandle.response).toEqual({ clientDataJSON: 'AQ', authenticatorData: 'Ag', signature: 'Aw', userHandle: 'BA' });
    const withoutHandle = assertionToJSON(credential({ clientDataJSON: bytes(1), authenticatorData: bytes(2), signature: bytes(3), userHandle: null }));
    expect(withoutHandle.response).not.toHaveProperty('userHandle');
    expect(() => registrationToJSON(credential({ clientDataJSON: bytes(1), authenticatorData: bytes(2), signature: bytes(3) }))).toThrow(TypeError);
  });
});
