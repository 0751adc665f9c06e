import { z } from 'zod';

export const ZFileParams = z.object({ id: z.uuid() });
export type TFileParams = z.infer<typeof ZFileParams>;
