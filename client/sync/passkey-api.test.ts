import { describe, expect, it } from 'vitest';
import { IdentityError } from './identity-api.ts';
import { browserRefusal, PASSKEY_ALREADY_REGISTERED, PASSKEY_CANCELLED, PASSKEY_NOT_ALLOWED_HERE, PASSKEY_UNSUPPORTED } from './passkey-api.ts';

const codeOf = (error: unknown) => (error instanceof IdentityError ? error.code : error);

describe("the browser's refusals of a passkey ceremony", () => {
  it('become codes the sign-in screen can explain', () => {
    expect(codeOf(browserRefusal(new DOMException('closed', 'NotAllowedError'), 'get'))).toBe(PASSKEY_CANCELLED);
    expect(codeOf(browserRefusal(new DOMException('aborted', 'AbortError'), 'get'))).toBe(PASSKEY_CANCELLED);
    expect(codeOf(browserRefusal(new DOMException('excluded', 'InvalidStateError'), 'create'))).toBe(PASSKEY_ALREADY_REGISTERED);
    expect(codeOf(browserRefusal(new DOMException('ip address', 'SecurityError'), 'get'))).toBe(PASSKEY_NOT_ALLOWED_HERE);
    expect(codeOf(browserRefusal(new DOMException('no algorithm', 'NotSupportedError'), 'create'))).toBe(PASSKEY_UNSUPPORTED);
  });

  it('leave anything else as it was', () => {
    const other = new DOMException('odd', 'UnknownError');
    expect(browserRefusal(other, 'get')).toBe(other);
    const bug = new TypeError('bug');
    expect(browserRefusal(bug, 'create')).toBe(bug);
  });
});
