import type { Sql } from 'postgres';
import type { MembershipRole } from '../sync-rules/context.ts';
import { addMembership, createHuman, createLocation, createOrganization, createPatient, type LocationSpec } from './factories.ts';

export type DemoAccount = { email: string; name: string; description: string };

type DemoClinic = {
  slug: string;
  name: string;
  staff: { email: string; name: string; role: MembershipRole }[];
  locations: LocationSpec[];
};

const SUPERADMIN = { email: 'superadmin@restartix.test', name: 'Ana Platform' };

export const DEMO_CLINICS: DemoClinic[] = [
  {
    slug: 'kinetic',
    name: 'Kinetic Recuperare',
    staff: [
      { email: 'owner@kinetic.test', name: 'Ioana Popescu', role: 'owner' },
      { email: 'admin@kinetic.test', name: 'Mihai Ionescu', role: 'admin' },
      { email: 'staff@kinetic.test', name: 'Elena Dumitrescu', role: 'staff' },
    ],
    locations: [
      { slug: 'centru', name: 'Kinetic Centru', city: 'București', country: 'România', address: 'Str. Academiei 14' },
      { slug: 'floreasca', name: 'Kinetic Floreasca', city: 'București', country: 'România', address: 'Calea Floreasca 120' },
      { slug: 'cluj', name: 'Kinetic Cluj', city: 'Cluj-Napoca', country: 'România', address: 'Str. Memorandumului 5' },
    ],
  },
  {
    slug: 'motion',
    name: 'Motion Physio',
    staff: [
      { email: 'owner@motion.test', name: 'Andrei Stan', role: 'owner' },
      { email: 'admin@motion.test', name: 'Maria Georgescu', role: 'admin' },
      { email: 'staff@motion.test', name: 'Radu Marin', role: 'staff' },
    ],
    locations: [
      { slug: 'iasi', name: 'Motion Iași', city: 'Iași', country: 'România', address: 'Bd. Independenței 20' },
      { slug: 'timisoara', name: 'Motion Timișoara', city: 'Timișoara', country: 'România', address: 'Str. Alba Iulia 2' },
      { slug: 'brasov', name: 'Motion Brașov', city: 'Brașov', country: 'România', address: 'Str. Republicii 33' },
    ],
  },
];

/** The sign-ins `npm start` prints and the development login lists. */
export const DEMO_ACCOUNTS: DemoAccount[] = [
  { ...SUPERADMIN, description: 'platform superadmin (Console)' },
  ...DEMO_CLINICS.flatMap((clinic) =>
    clinic.staff.map((member) => ({ email: member.email, name: member.name, description: `${member.role}, ${clinic.name} (Clinic)` }))),
];

/** Loads the demo data once: a second run finds the superadmin and does nothing. */
export async function seedDemo(sql: Sql): Promise<boolean> {
  const [existing] = await sql`select 1 as found from humans where email = ${SUPERADMIN.email}`;
  if (existing !== undefined) return false;
  await sql.begin(async (tx) => {
    const db = tx as unknown as Sql;
    await createHuman(db, { ...SUPERADMIN, platformRole: 'superadmin' });
    for (const clinic of DEMO_CLINICS) {
      const organizationId = await createOrganization(db, { slug: clinic.slug, name: clinic.name });
      for (const member of clinic.staff) {
        const principalId = await createHuman(db, { email: member.email, name: member.name });
        await addMembership(db, organizationId, principalId, member.role);
      }
      for (const location of clinic.locations) await createLocation(db, organizationId, location);
    }
  });
  // Two people Kinetic registered before they had accounts, so the patient screens are not empty.
  // After the transaction: createPatient opens its own.
  const [kinetic] = await sql<{ id: string; owner: string }[]>`
    select o.id, m.principal_id as owner from organizations o join memberships m on m.organization_id = o.id and m.role = 'owner' where o.slug = 'kinetic'`;
  if (kinetic !== undefined) {
    await createPatient(sql, kinetic.id, { givenName: 'Andreea', familyName: 'Vasilescu', birthDate: '1986-04-12', phone: '+40 721 000 111', createdBy: kinetic.owner });
    await createPatient(sql, kinetic.id, { givenName: 'Ștefan', familyName: 'Constantinescu', birthDate: '1952-11-03', email: 'stefan.c@example.test', createdBy: kinetic.owner });
  }
  return true;
}
