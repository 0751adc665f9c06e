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
    // The chain (db/migrations/0012_audit_chain.sql): positions and SHA-256 digests, no content.
    chain_seq: 'internal',
    prev_id: 'internal',
    prev_hash: 'internal',
    entry_hash: 'internal',
    subject_principal_id: 'internal',
    break_glass_session_id: 'internal',
    outcome: 'internal',
    error_code: 'internal',
    ip_address: 'personal',
    user_agent: 'personal',
    // Redacted by class before it is written, like changes; personal to be safe.
    diff: 'personal',
  },
  // Each audit chain's head and archive checkpoint (0012); its key is an organisation id or 'platform'.
  audit_chains: {
    chain_key: 'internal',
    last_seq: 'internal',
    last_id: 'internal',
    last_hash: 'internal',
    last_occurred_at: 'internal',
    archived_through_seq: 'internal',
    archived_through_id: 'internal',
    archived_through_hash: 'internal',
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
    patient_id: 'internal',
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
  // Last seen per principal and organisation (db/migrations/0016_principal_activity.sql).
  principal_activity: { id: 'internal', principal_id: 'internal', organization_id: 'internal', created_at: 'internal', last_seen_at: 'internal' },
  // Per-organisation data keys, wrapped by the key provider (db/migrations/0013_organization_keys.sql).
  organization_keys: {
    organization_id: 'internal', version: 'internal', provider: 'internal', key_id: 'internal', wrapped_key: 'secret',
    created_at: 'internal', retired_at: 'internal',
  },
  share_link_joins: { id: 'internal', share_link_id: 'internal', organization_id: 'internal', principal_id: 'internal', joined_at: 'internal' },
  // Files in object storage (db/migrations/0015_files.sql, ADR 0016). The name may name a patient or a
  // condition; the storage key is random and opens nothing without a URL the server signs.
  // Patients (0018, ADR 0019): the person, and each clinic's record of them.
  patient_profiles: {
    id: 'internal', principal_id: 'internal', managed_by_organization_id: 'internal',
    given_name: 'personal', family_name: 'personal', birth_date: 'personal', sex: 'personal',
    email: 'personal', phone: 'personal', locale: 'internal',
    created_at: 'internal', updated_at: 'internal', created_by: 'internal', updated_by: 'internal',
  },
  patients: {
    id: 'internal', organization_id: 'internal', patient_profile_id: 'internal', principal_id: 'internal', status: 'internal',
    // A clinic's own reference for the person (a chart number): identifies them.
    external_ref: 'personal', profile_shared_at: 'internal',
    created_at: 'internal', updated_at: 'internal', created_by: 'internal', updated_by: 'internal',
    deleted_at: 'internal', deleted_by: 'internal',
  },
  files: {
    id: 'internal', organization_id: 'internal', storage_key: 'internal', name: 'health', content_type: 'internal',
    size_bytes: 'internal', sha256: 'internal', status: 'internal', uploaded_at: 'internal', created_by: 'internal',
    created_at: 'internal', updated_by: 'internal', updated_at: 'internal', deleted_at: 'internal', deleted_by: 'internal',
  },
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
  // Rate-limit counters (0017): the key names a client address or a principal or API key id.
  rate_limit_counters: { key: 'personal', points: 'internal', expire: 'internal' },
  // The outbox and the job queue (db/migrations/0014_outbox_and_jobs.sql, ADR 0015).
  domain_events: {
    id: 'internal', name: 'internal', version: 'internal', organization_id: 'internal', actor_principal_id: 'internal',
    request_id: 'internal',
    // What handlers need: an invitee's address and name, say.
    payload: 'personal',
    // A link's token until the event is handled, encrypted; erased then, or after 90 days.
    secret: 'secret', identity_secret: 'secret',
    occurred_at: 'internal', dispatched_at: 'internal',
  },
  handled_events: { event_id: 'internal', handler: 'internal', handled_at: 'internal' },
  // A view over graphile-worker's jobs; the error is a name and a code (server/jobs/handle-event.ts).
  job_dead_letters: {
    job_id: 'internal', task: 'internal', event_id: 'internal', event_name: 'internal', event_version: 'internal', handler: 'internal',
    attempts: 'internal', max_attempts: 'internal', last_error: 'internal', created_at: 'internal', failed_at: 'internal',
  },
  // Patient tiers and subscriptions (db/migrations/0021_patient_tiers.sql). A tier is the clinic's
  // offer. Which tier a person is on may hint at their condition ("post-stroke programme"), so the
  // tier a subscription names is personal, and a patient's export must carry it.
  patient_tiers: {
    id: 'internal', organization_id: 'internal', name: 'internal', description: 'internal', price_minor: 'internal',
    currency: 'internal', billing_period: 'internal', status: 'internal', created_by: 'internal', updated_by: 'internal',
    created_at: 'internal', updated_at: 'internal',
  },
  patient_subscriptions: {
    id: 'internal', organization_id: 'internal', patient_id: 'internal', tier_id: 'personal', status: 'internal',
    started_at: 'internal', current_period_end: 'internal', cancelled_at: 'internal', created_by: 'internal',
    updated_by: 'internal', created_at: 'internal', updated_at: 'internal',
  },
  // Consent ledger (db/migrations/0019_consent_ledger.sql, ADR 0020). What a person chose, and when,
  // is about that person: the choice is personal, so a data-subject export carries the ledger.
  consent_purposes: {
    code: 'public', scope: 'public', requirement: 'public', legal_basis: 'public', document: 'public', title: 'public',
    description: 'public', position: 'public', created_at: 'internal',
  },
  consent_ledger: {
    id: 'internal', seq: 'internal', principal_id: 'internal', organization_id: 'internal', purpose: 'personal', action: 'personal',
    legal_basis: 'internal', document_version: 'internal', recorded_at: 'internal', recorded_by: 'internal', source: 'internal',
    request_id: 'internal',
  },
  consent_current: {
    principal_id: 'internal', organization_id: 'internal', purpose: 'personal', granted: 'personal', action: 'personal',
    legal_basis: 'internal', document_version: 'internal', recorded_at: 'internal', source: 'internal', ledger_id: 'internal',
  },
  purpose_notification_skips: {
    id: 'internal', organization_id: 'internal', event_id: 'internal', patient_id: 'internal', principal_id: 'internal',
    purpose: 'personal', reason: 'personal', ledger_id: 'internal', created_at: 'internal',
  },
  // Privacy notices and platform terms (db/migrations/0020_privacy_notices.sql, ADR 0021). A clinic's
  // notice may name its data protection officer, so what it filled in, and the text, are personal.
  platform_terms_versions: { id: 'internal', version: 'public', body: 'public', material: 'public', created_at: 'public', created_by: 'internal' },
  privacy_notice_templates: { id: 'internal', version: 'public', sections: 'public', created_at: 'public', created_by: 'internal' },
  privacy_notices: {
    id: 'internal', organization_id: 'internal', version: 'public', template_id: 'internal', placeholder_values: 'personal',
    chosen_sections: 'public', rendered: 'personal', material: 'public', created_at: 'public', created_by: 'internal',
  },
  // Data-subject requests (db/migrations/0022_data_subject_requests.sql, ADR 0022). The kind is what
  // the clinic must act on and what its audit log must show; a decline's reason may say anything
  // about the person. An export holds everything the clinic held about them: health, encrypted.
  data_subject_requests: {
    id: 'internal', organization_id: 'internal', patient_id: 'internal', requested_by: 'internal', kind: 'internal',
    status: 'internal', reason: 'personal', decided_at: 'internal', decided_by: 'internal', created_at: 'internal',
    updated_at: 'internal', updated_by: 'internal',
  },
  data_subject_exports: {
    id: 'internal', organization_id: 'internal', content: 'health', created_by: 'internal', created_at: 'internal', available_until: 'internal',
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
  // The identifier carries the one-time token (reset, magic link, passkey challenge): stored as its
  // SHA-256 (storeIdentifier: 'hashed', ADR 0014). The value is a user id or JSON with an address.
  'auth.verification': { id: 'internal', identifier: 'secret', value: 'personal', expiresAt: 'internal', createdAt: 'internal', updatedAt: 'internal' },
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
