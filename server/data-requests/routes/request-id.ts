import { z } from 'zod';

export const ZDataRequestParams = z.object({ id: z.uuid() });
