/** The contract entry of a handler, set by @Route for the guards that enforce its access. */
export const ROUTE = Symbol('route');
