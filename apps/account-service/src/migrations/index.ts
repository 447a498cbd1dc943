import { AccountsMembersAudit1764316800000 } from './1764316800000-accounts-members-audit';

/** Every migration of the "account" schema, oldest first. */
export const ACCOUNT_MIGRATIONS = [AccountsMembersAudit1764316800000];
