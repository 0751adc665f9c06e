import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { rateLimitSettings, routeClassOf } from './route-classes.ts';

describe('route classes', () => {
  it('puts every API route in a class, by its path', () => {
    expect(routeClassOf('GET', '/api/v1/locations')).toBe('rest');
    expect(routeClassOf('POST', '/api/v1/invitations/accept')).toBe('rest');
    expect(routeClassOf('GET', '/api/session')).toBe('rest');
    expect(routeClassOf('POST', '/api/session/organization')).toBe('rest');
    expect(routeClassOf('GET', '/api/platform/operators')).toBe('rest');
    expect(routeClassOf('GET', '/api/no-such-route')).toBe('rest');
    expect(routeClassOf('POST', '/api/zero/mutate')).toBe('mutate');
    expect(routeClassOf('POST', '/api/telemetry/batches')).toBe('telemetry');
    expect(routeClassOf('POST', '/api/v1/telemetry')).toBe('telemetry');
    expect(routeClassOf('POST', '/api/v1/files')).toBe('files');
    expect(routeClassOf('GET', '/api/v1/files/0b0e/download')).toBe('files');
  });

  it('cannot be dodged by spelling a path the router still matches', () => {
    expect(routeClassOf('GET', '/API/V1/locations')).toBe('rest');
    expect(routeClassOf('POST', '/Api/Zero/Mutate')).toBe('mutate');
    expect(routeClassOf('GET', '/api//v1/files')).toBe('files');
    // Only whole segments: "filesystem" is not "files", "/api/authz" is not sign-in.
    expect(routeClassOf('GET', '/api/v1/filesystem')).toBe('rest');
    expect(routeClassOf('GET', '/api/authz')).toBe('rest');
  });

  it('leaves alone what is limited elsewhere or not worth counting', () => {
    expect(routeClassOf('GET', '/clinic/assets/app.js')).toBeNull();
    expect(routeClassOf('GET', '/dev/mailbox')).toBeNull();
    expect(routeClassOf('GET', '/api/health')).toBeNull();
    expect(routeClassOf('POST', '/api/auth/sign-in/email')).toBeNull();
    expect(routeClassOf('POST', '/api/zero/query')).toBeNull();
    expect(routeClassOf('OPTIONS', '/api/v1/locations')).toBeNull();
  });

  it('reads the budgets from the configuration; mutate has none per address', () => {
    const settings = rateLimitSettings(loadConfig({ RATE_LIMIT_REST_PER_IP: '5/10s', RATE_LIMIT_MUTATE_PER_PRINCIPAL: '7/60s' }));
    expect(settings.rest.perAddress).toEqual({ points: 5, seconds: 10 });
    expect(settings.mutate).toEqual({ perAddress: null, perPrincipal: { points: 7, seconds: 60 } });
    expect(settings.files.perPrincipal).toEqual({ points: 120, seconds: 60 });
  });
});
