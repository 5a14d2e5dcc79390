// Placeholder until the WBXML codec lands.
import type { Route } from './context';
export const activeSync: Route = () => false;
