/**
 * Every column of every table, classified. Logs redact by class; a column without a class fails
 * the tests (db/data-classes.pg.test.ts), so a migration cannot add one silently.
 * - public:   may be shown to anyone
 * - internal: ids, states, timestamps; not personal on its own
 * - personal: identifies a person (name, email)
 * - health:   health data of a patient
 * - secret:   credentials and keys; never replicated, encrypted at rest
 */
export type DataClass = 'public' | 'internal' | 'personal' | 'health' | 'secret';

export const DATA_CLASSES: Record<string, Record<string, DataClass>> = {
  schema_migrations: { name: 'internal', checksum: 'internal', applied_at: 'internal' },
  principals: { id: 'internal', kind: 'internal', created_at: 'internal' },
  humans: {
    principal_id: 'internal',
    email: 'personal',
    name: 'personal',
    locale: 'internal',
    platform_role: 'internal',
    created_at: 'internal',
    kind: 'internal',
    time_zone: 'internal',
  },
  organizations: {
    id: 'internal',
    slug: 'public',
    name: 'public',
    tenancy_mode: 'internal',
    activated_at: 'internal',
    created_at: 'internal',
    updated_at: 'internal',
  },
  memberships: {
    id: 'internal',
    organization_id: 'internal',
    principal_id: 'internal',
    role: 'internal',
    custom_role_id: 'internal',
    created_at: 'internal',
    updated_at: 'internal',
    updated_by: 'internal',
  },
  organization_roles: {
    id: 'internal',
    organization_id: 'internal',
    name: 'internal',
    description: 'internal',
    permissions: 'internal',
    created_by: 'internal',
    updated_by: 'internal',
    created_at: 'internal',
    updated_at: 'internal',
  },
  locations: {
    id: 'internal',
    organization_id: 'internal',
    slug: 'public',
    name: 'public',
    address: 'public',
    city: 'public',
    country: 'public',
    status: 'internal',
    closed_at: 'internal',
    created_at: 'internal',
    updated_at: 'internal',
  },
  audit_log: {
    id: 'internal',
    occurred_at: 'internal',
    request_id: 'internal',
    actor_principal_id: 'internal',
    organization_id: 'internal',
    action: 'internal',
    entity_type: 'internal',
    entity_id: 'internal',
    write_id: 'internal',
    // What changed may include personal data once people are edited.
    changes: 'personal',
  },
  write_receipts: { write_id: 'internal', principal_id: 'internal', mutator: 'internal', applied_at: 'internal' },
  agents: {
    principal_id: 'internal',
    kind: 'internal',
    owner_principal_id: 'internal',
    organization_id: 'internal',
    name: 'internal',
    created_at: 'internal',
  },
  service_accounts: {
    principal_id: 'internal',
    kind: 'internal',
    organization_id: 'internal',
    name: 'internal',
    created_by: 'internal',
    created_at: 'internal',
    disabled_at: 'internal',
  },
  api_keys: {
    id: 'internal',
    service_account_id: 'internal',
    organization_id: 'internal',
    name: 'internal',
    // The visible part of a key (`rx_live_ab12cd34`): identifies it, grants nothing.
    prefix: 'internal',
    // SHA-256 of the whole key; the key itself is never stored.
    secret_hash: 'secret',
    permissions: 'internal',
    created_by: 'internal',
    created_at: 'internal',
    expires_at: 'internal',
    revoked_at: 'internal',
    last_used_at: 'internal',
  },
  invitations: {
    id: 'internal',
    organization_id: 'internal',
    kind: 'internal',
    email: 'personal',
    name: 'personal',
    role: 'internal',
    locale: 'internal',
    expires_at: 'internal',
    created_by: 'internal',
    created_at: 'internal',
    sent_count: 'internal',
    last_sent_at: 'internal',
    accepted_at: 'internal',
    accepted_by: 'internal',
    revoked_at: 'internal',
  },
  // SHA-256 of each token an invitation was sent with; the token itself is never stored.
  invitation_tokens: { token_hash: 'secret', invitation_id: 'internal', organization_id: 'internal', issued_at: 'internal', superseded_at: 'internal' },
  share_links: {
    id: 'internal',
    organization_id: 'internal',
    // Printed on posters by design: not a secret (db/migrations/0006_invitations.sql).
    code: 'internal',
    label: 'internal',
    expires_at: 'internal',
    max_uses: 'internal',
    uses: 'internal',
    created_by: 'internal',
    created_at: 'internal',
    revoked_at: 'internal',
  },
  share_link_joins: { id: 'internal', share_link_id: 'internal', organization_id: 'internal', principal_id: 'internal', joined_at: 'internal' },
  notification_deliveries: {
    id: 'internal',
    idempotency_key: 'internal',
    category: 'internal',
    recipient_email: 'personal',
    locale: 'internal',
    status: 'internal',
    attempts: 'internal',
    provider_message_id: 'internal',
    // An SMTP reply can quote the recipient's address.
    last_error: 'personal',
    sent_at: 'internal',
    created_at: 'internal',
    updated_at: 'internal',
  },
  // The identity service's schema (better-auth, ADR 0009); keys are `auth.<table>`.
  'auth.user': {
    id: 'internal', name: 'personal', email: 'personal', emailVerified: 'internal', image: 'personal',
    createdAt: 'internal', updatedAt: 'internal', twoFactorEnabled: 'internal',
  },
  'auth.session': {
    id: 'internal', expiresAt: 'internal', token: 'secret', createdAt: 'internal', updatedAt: 'internal',
    ipAddress: 'personal', userAgent: 'personal', userId: 'internal', activeOrganizationId: 'internal',
    signedInWithPasskey: 'internal',
  },
  'auth.account': {
    id: 'internal', accountId: 'internal', providerId: 'internal', userId: 'internal', accessToken: 'secret',
    refreshToken: 'secret', idToken: 'secret', accessTokenExpiresAt: 'internal', refreshTokenExpiresAt: 'internal',
    scope: 'internal', password: 'secret', createdAt: 'internal', updatedAt: 'internal',
  },
  'auth.verification': { id: 'internal', identifier: 'personal', value: 'secret', expiresAt: 'internal', createdAt: 'internal', updatedAt: 'internal' },
  'auth.twoFactor': {
    id: 'internal', secret: 'secret', backupCodes: 'secret', userId: 'internal', verified: 'internal',
    failedVerificationCount: 'internal', lockedUntil: 'internal',
  },
  'auth.jwks': { id: 'internal', publicKey: 'public', privateKey: 'secret', createdAt: 'internal', expiresAt: 'internal', alg: 'internal', crv: 'internal' },
  // Keys are "<ip>|<path>".
  'auth.rateLimit': { id: 'internal', key: 'personal', count: 'internal', lastRequest: 'internal' },
  // Passkeys (ADR 0010). The name is the person's own label ("Ioana's phone"); the public key and the
  // credential id grant nothing without the device that holds the private key.
  'auth.passkey': {
    id: 'internal', name: 'personal', publicKey: 'internal', userId: 'internal', credentialID: 'internal', counter: 'internal',
    deviceType: 'internal', backedUp: 'internal', transports: 'internal', createdAt: 'internal', aaguid: 'internal',
  },
};

/** Classes that must never appear in a log line. */
export const REDACTED_CLASSES: readonly DataClass[] = ['personal', 'health', 'secret'];
