import { z } from 'zod';
import { ZMembershipRole, type SystemRole } from '../../sync-rules/context.ts';
import { restBlob, restJson } from './rest-api.ts';

/**
 * The Clinic's and the Portal's calls to /api/v1 for invitations, share-links and the clinics a
 * patient joined (server/invitations/). Answers are parsed, so a changed server fails loudly here.
 */

const ZOrganization = z.object({ id: z.string(), name: z.string() });

export const INVITATION_STATUSES = ['pending', 'expired', 'accepted', 'revoked'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

const ZInvitation = z.object({
  id: z.string(),
  kind: z.enum(['member', 'patient']),
  email: z.string(),
  name: z.string().nullable(),
  role: ZMembershipRole.nullable(),
  locale: z.enum(['ro', 'en']),
  status: z.enum(INVITATION_STATUSES),
  expiresAt: z.string(),
  createdAt: z.string(),
  sentCount: z.number(),
  lastSentAt: z.string(),
  acceptedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type Invitation = z.infer<typeof ZInvitation>;

const ZSent = z.object({ invitation: ZInvitation, emailSent: z.boolean() });
export type SentInvitation = z.infer<typeof ZSent>;

export type NewInvitation =
  | { kind: 'member'; email: string; name: string | null; role: SystemRole; locale: 'ro' | 'en' }
  | { kind: 'patient'; email: string; name: string | null; locale: 'ro' | 'en'; patientId?: string };

export async function listInvitations(token: string): Promise<Invitation[]> {
  return z.object({ invitations: z.array(ZInvitation) }).parse(await restJson('/api/v1/invitations', { token })).invitations;
}

export async function createInvitation(token: string, invitation: NewInvitation): Promise<SentInvitation> {
  return ZSent.parse(await restJson('/api/v1/invitations', { token, body: invitation }));
}

export async function resendInvitation(token: string, id: string): Promise<SentInvitation> {
  return ZSent.parse(await restJson(`/api/v1/invitations/${encodeURIComponent(id)}/resend`, { token, body: {} }));
}

export async function revokeInvitation(token: string, id: string): Promise<void> {
  await restJson(`/api/v1/invitations/${encodeURIComponent(id)}`, { token, method: 'DELETE' });
}

const ZInvitationPreview = z.object({
  kind: z.enum(['member', 'patient']),
  role: ZMembershipRole.nullable(),
  organization: ZOrganization,
  expiresAt: z.string(),
});
export type InvitationPreview = z.infer<typeof ZInvitationPreview>;

/** What an invitation offers, for its invitee; refused with the reason accepting would meet. */
export async function previewInvitation(token: string, invitationToken: string): Promise<InvitationPreview> {
  return z.object({ invitation: ZInvitationPreview }).parse(await restJson('/api/v1/invitations/preview', { token, body: { token: invitationToken } })).invitation;
}

const ZAccepted = z.object({ kind: z.enum(['member', 'patient']), role: ZMembershipRole.nullable(), organization: ZOrganization });
export type AcceptedInvitation = z.infer<typeof ZAccepted>;

export async function acceptInvitation(token: string, invitationToken: string): Promise<AcceptedInvitation> {
  return z.object({ accepted: ZAccepted }).parse(await restJson('/api/v1/invitations/accept', { token, body: { token: invitationToken } })).accepted;
}

export const SHARE_LINK_STATUSES = ['active', 'expired', 'exhausted', 'revoked'] as const;

const ZShareLink = z.object({
  id: z.string(),
  label: z.string(),
  code: z.string(),
  joinUrl: z.string(),
  expiresAt: z.string(),
  maxUses: z.number().nullable(),
  uses: z.number(),
  status: z.enum(SHARE_LINK_STATUSES),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type ShareLink = z.infer<typeof ZShareLink>;

export type NewShareLink = { label: string; expiresAt: string; maxUses: number | null };

export async function listShareLinks(token: string): Promise<ShareLink[]> {
  return z.object({ shareLinks: z.array(ZShareLink) }).parse(await restJson('/api/v1/share-links', { token })).shareLinks;
}

export async function createShareLink(token: string, link: NewShareLink): Promise<ShareLink> {
  return z.object({ shareLink: ZShareLink }).parse(await restJson('/api/v1/share-links', { token, body: link })).shareLink;
}

export async function revokeShareLink(token: string, id: string): Promise<void> {
  await restJson(`/api/v1/share-links/${encodeURIComponent(id)}`, { token, method: 'DELETE' });
}

/** The poster's QR code (an SVG image of the join URL, with the code beneath it). */
export async function shareLinkQr(token: string, id: string): Promise<Blob> {
  return restBlob(`/api/v1/share-links/${encodeURIComponent(id)}/qr.svg`, { token, accept: 'image/svg+xml' });
}

const ZShareLinkPreview = z.object({ organization: ZOrganization, alreadyJoined: z.boolean() });
export type ShareLinkPreview = z.infer<typeof ZShareLinkPreview>;

export async function previewShareLink(token: string, code: string): Promise<ShareLinkPreview> {
  return z.object({ shareLink: ZShareLinkPreview }).parse(await restJson('/api/v1/share-links/preview', { token, body: { code } })).shareLink;
}

const ZJoined = z.object({ organization: ZOrganization, alreadyJoined: z.boolean() });
export type JoinedClinic = z.infer<typeof ZJoined>;

export async function joinShareLink(token: string, code: string): Promise<JoinedClinic> {
  return z.object({ joined: ZJoined }).parse(await restJson('/api/v1/share-links/join', { token, body: { code } })).joined;
}

const ZMyClinic = z.object({ id: z.string(), name: z.string(), joinedAt: z.string() });
export type MyClinic = z.infer<typeof ZMyClinic>;

/** The clinics the signed-in person joined as a patient. */
export async function listMyClinics(token: string): Promise<MyClinic[]> {
  return z.object({ clinics: z.array(ZMyClinic) }).parse(await restJson('/api/v1/me/clinics', { token })).clinics;
}
