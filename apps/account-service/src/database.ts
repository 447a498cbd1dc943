import { serviceDataSourceOptions } from '@twofold/platform';
import { type DataSourceOptions } from 'typeorm';
import { AccountEntity } from './accounts/account.entity';
import { AuditEventEntity } from './audit/audit-event.entity';
import { type AccountConfig } from './config/account-config';
import { MemberEntity } from './members/member.entity';
import { ACCOUNT_MIGRATIONS } from './migrations';

/** account-service owns the PostgreSQL schema "account". */
export const ACCOUNT_SCHEMA = 'account';

export function accountDataSourceOptions(config: Pick<AccountConfig, 'DATABASE_URL'>): DataSourceOptions {
  return serviceDataSourceOptions({
    url: config.DATABASE_URL,
    schema: ACCOUNT_SCHEMA,
    entities: [AccountEntity, MemberEntity, AuditEventEntity],
    migrations: ACCOUNT_MIGRATIONS,
    applicationName: 'account-service',
  });
}
