import { ROLES } from '../../db/roles.ts';
import { defineRecurringJob } from '../jobs/recurring.ts';

/**
 * Exports past their availability leave the database (app_purge_expired_data_exports, 0022): the
 * person had their days to download it, and the clinic keeps the originals, not this copy. Reads
 * already refuse an expired export; this takes away the ciphertext.
 */
export const purgeExpiredDataExports = defineRecurringJob({
  name: 'maintenance.purge_expired_data_exports',
  schedule: '17 4 * * *',
  async run({ sql, log }) {
    const [row] = await sql.begin(async (tx) => {
      await tx.unsafe(`set local role ${ROLES.runtime}`);
      return tx<{ removed: number }[]>`select app_purge_expired_data_exports() as removed`;
    });
    log.info({ removed: row?.removed ?? 0 }, 'expired data-subject exports removed');
  },
});
