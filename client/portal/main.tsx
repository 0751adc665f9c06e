import { boot } from '../ui/app-root.tsx';
import { router } from './router.tsx';

boot('portal', router);
