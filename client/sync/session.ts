import { z } from 'zod';
import { ZMembershipRole, ZPlatformRole, type AuthContext } from '../../sync-rules/context.ts';
import { ZOrganizationPermission } from '../../sync-rules/permissions.ts';
import type { AppName } from './app-name.ts';

export const ZAuthContext = z.object({
  principalId: z.string().min(1),
  organizationId: z.string().nullable(),
  membershipRole: ZMembershipRole.nullable(),
  platformRole: ZPlatformRole.nullable(),
  customRolePermissions: z.array(ZOrganizationPermission).readonly().optional(),
}) satisfies z.ZodType<AuthContext>;

/** What a signed-in session is built from: a POST /api/dev/login answer, or a real sign-in. */
export const ZSignIn = z.object({
  /**
   * `identity`: a better-auth session (cookie), whose short-lived tokens are renewed from the cookie;
   * `development`: the development login, renewed by signing in again. Older stored sessions are the latter.
   */
  source: z.enum(['development', 'identity']).default('development'),
  token: z.string().min(1),
  /** Epoch milliseconds. */
  expiresAt: z.number(),
  context: ZAuthContext,
  human: z.object({ name: z.string(), email: z.string(), locale: z.string() }),
  organizations: z.array(z.object({ id: z.string(), name: z.string(), role: z.string() })),
});
export type SignIn = z.infer<typeof ZSignIn>;

export const ZSession = ZSignIn.extend({
  /** Chosen at sign-in: memory-only Zero storage and a session that ends with the browser. */
  sharedDevice: z.boolean(),
});
export type Session = z.infer<typeof ZSession>;

/** Where sessions live: localStorage normally, sessionStorage only on shared devices. */
export type SessionStores = { local: Storage; session: Storage };

const keyFor = (app: AppName) => `restartix-${app}-session`;

function read(storage: Storage, key: string): Session | null {
  const raw = storage.getItem(key);
  if (raw === null) return null;
  try {
    const parsed = ZSession.safeParse(JSON.parse(raw));
    if (parsed.success) return parsed.data;
  } catch {
    // Not JSON: fall through and forget it.
  }
  // A session we cannot read (older format, tampering) is treated as signed out.
  storage.removeItem(key);
  return null;
}

export function loadSession(app: AppName, stores: SessionStores): Session | null {
  return read(stores.session, keyFor(app)) ?? read(stores.local, keyFor(app));
}

export function saveSession(app: AppName, session: Session, stores: SessionStores): void {
  const key = keyFor(app);
  const [keep, other] = session.sharedDevice ? [stores.session, stores.local] : [stores.local, stores.session];
  keep.setItem(key, JSON.stringify(session));
  other.removeItem(key);
}

export function clearSession(app: AppName, stores: SessionStores): void {
  stores.local.removeItem(keyFor(app));
  stores.session.removeItem(keyFor(app));
}

/** The name of the clinic this session works in, if any. */
export function currentOrganizationName(session: Session): string | null {
  const { organizationId } = session.context;
  if (organizationId === null) return null;
  return session.organizations.find((organization) => organization.id === organizationId)?.name ?? null;
}
